package io.nowmesh.mesh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import com.typesafe.config.ConfigFactory;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.mesh.envelope.DecodeResult;
import io.nowmesh.mesh.envelope.Envelope;
import io.nowmesh.mesh.envelope.EnvelopeCodec;
import io.nowmesh.mesh.routing.NodeActor.Delivery;
import io.nowmesh.mesh.testair.FakeRadio;
import io.nowmesh.mesh.testair.TestAir;
import io.nowmesh.mesh.testair.TestNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Hostile air against one gateway: floods from one MAC, malformed envelopes, absurd hop limits. Each
 * is dropped or delivered by the documented rule, counted, and the gateway keeps routing. The rate
 * limit refills at 0.01 tokens/s here, so a burst of 20 is exact however slow the machine is.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileAirTest {
  static final Duration WAIT = Duration.ofSeconds(20);
  static final int BURST = 20;
  static final TestAir air = new TestAir();
  static final Mac RG = Mac.parse("aa:00:00:00:02:01");
  static final Mac FLOODER = Mac.parse("66:00:00:00:00:01");
  static final Mac MANGLER = Mac.parse("66:00:00:00:00:02");
  static final Mac RELAYER = Mac.parse("66:00:00:00:00:03");
  static final Mac GOOD = Mac.parse("24:0a:c4:00:02:01");
  static final FakeRadio radio = new FakeRadio(air, RG);
  static final TestNode good = new TestNode(air, GOOD);
  static ActorTestKit kit;
  static Mesh mesh;

  @BeforeAll
  static void start() {
    for (Mac m : List.of(FLOODER, MANGLER, RELAYER, GOOD)) {
      air.link(m, RG, -50);
    }
    kit = ActorTestKit.create(ActorSystem.create(Behaviors.empty(), "nowmesh", ConfigFactory.parseString(String.join("\n",
        "nowmesh.mesh.rate-limit.per-second = 0.01",
        "nowmesh.mesh.rate-limit.burst = " + BURST,
        "nowmesh.mesh.rate-limit.max-sources = 64",
        "nowmesh.mesh.max-hops = 4")).withFallback(MeshTestConfig.gateway(false))));
    Cluster.get(kit.system()).manager().tell(Join.create(Cluster.get(kit.system()).selfMember().address()));
    mesh = Mesh.get(kit.system());
    mesh.attach(radio);
    kit.createTestProbe().awaitAssert(WAIT, () -> {
      assertEquals(1, mesh.liveGateways().toCompletableFuture().get(3, TimeUnit.SECONDS));
      assertEquals(1, mesh.frameTopicPeers().toCompletableFuture().get(3, TimeUnit.SECONDS));
      return null;
    });
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  static GatewayCounters counters() throws Exception {
    return mesh.counters().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  static TestProbe<MeshMessage> subscriber() {
    TestProbe<MeshMessage> p = kit.createTestProbe(MeshMessage.class);
    mesh.subscribe(p.ref());
    return p;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  @Order(1)
  void floodFromOneMacIsLimitedWhileAnotherMacStillFlows() throws Exception {
    TestProbe<MeshMessage> sub = subscriber();
    long limitedBefore = counters().get(GatewayCounter.RATE_LIMITED);
    for (int i = 0; i < 200; i++) {
      air.transmit(FLOODER, Mac.BROADCAST, utf8("flood-" + i));
    }
    for (int i = 0; i < 5; i++) {
      good.sendRawBroadcast("good-" + i);
    }
    List<MeshMessage> got = sub.receiveSeveralMessages(BURST + 5, WAIT);
    sub.expectNoMessage(Duration.ofMillis(500));
    long fromFlooder = got.stream().filter(m -> ((MeshMessage.Raw) m).source().equals(FLOODER)).count();
    long fromGood = got.stream().filter(m -> ((MeshMessage.Raw) m).source().equals(GOOD)).count();
    assertEquals(BURST, fromFlooder);
    assertEquals(5, fromGood);
    assertEquals(200 - BURST, counters().get(GatewayCounter.RATE_LIMITED) - limitedBefore);
    mesh.unsubscribe(sub.ref());
  }

  @Test
  @Order(2)
  void malformedEnvelopesAreCountedAndDeliveredAsRaw() throws Exception {
    TestProbe<MeshMessage> sub = subscriber();
    GatewayCounters before = counters();
    List<String> frames = List.of(
        "a7", // magic only
        "a7110003240ac400000100000001ffffff", // header cut short
        "a7210003240ac400000100000001ffffffffffff01", // version 2
        "a71f0003240ac400000100000001ffffffffffff02", // type 15
        "a711f003240ac400000100000001ffffffffffff03", // reserved flags
        "a7120003240ac400000100000001ffffffffffff"); // ACK without its ref
    for (String hex : frames) {
      air.transmit(MANGLER, Mac.BROADCAST, HexFormat.of().parseHex(hex));
    }
    for (String hex : frames) {
      MeshMessage.Raw raw = sub.expectMessageClass(MeshMessage.Raw.class, WAIT);
      assertEquals(MANGLER, raw.source());
      assertArrayEquals(HexFormat.of().parseHex(hex), raw.payload());
    }
    sub.expectNoMessage(Duration.ofMillis(300));
    GatewayCounters after = counters();
    assertEquals(frames.size(), after.get(GatewayCounter.MALFORMED) - before.get(GatewayCounter.MALFORMED));
    assertEquals(0, after.get(GatewayCounter.REAIRED) - before.get(GatewayCounter.REAIRED));
    mesh.unsubscribe(sub.ref());
  }

  @Test
  @Order(3)
  void absurdHopLimitIsCountedAndClampedWhenReAired() throws Exception {
    TestProbe<MeshMessage> sub = subscriber();
    GatewayCounters before = counters();
    Mac farNode = Mac.parse("24:0a:c4:00:02:99");
    // RELAYER claims to re-air farNode's broadcast with hop limit 255 (max-hops is 4 here)
    air.transmit(RELAYER, Mac.BROADCAST,
        EnvelopeCodec.encode(Envelope.data(farNode, 77, Mac.BROADCAST, 255, false, utf8("far"))));
    MeshMessage.FromNode m = sub.expectMessageClass(MeshMessage.FromNode.class, WAIT);
    assertEquals(farNode, m.origin());
    kit.createTestProbe().awaitAssert(WAIT, () -> {
      assertEquals(1, radio.airings(farNode, 77));
      return null;
    });
    List<Envelope> reAired = radio.airedFrames().stream()
        .map(b -> EnvelopeCodec.decode(b))
        .filter(r -> r instanceof DecodeResult.Decoded d && d.envelope().origin().equals(farNode))
        .map(r -> ((DecodeResult.Decoded) r).envelope()).toList();
    assertEquals(1, reAired.size());
    assertEquals(3, reAired.get(0).hops(), "re-aired as if it carried max-hops (4), minus one");
    GatewayCounters after = counters();
    assertEquals(1, after.get(GatewayCounter.HOPS_CLAMPED) - before.get(GatewayCounter.HOPS_CLAMPED));
    assertEquals(1, after.get(GatewayCounter.REAIRED) - before.get(GatewayCounter.REAIRED));
    sub.expectNoMessage(Duration.ofMillis(300));
    mesh.unsubscribe(sub.ref());
  }

  @Test
  @Order(4)
  void gatewayStillRoutesAfterTheHostileAir() throws Exception {
    // GOOD was heard during the flood test: its route exists; the flooder is still limited
    assertEquals(new Outcome.Delivered(RG, true),
        mesh.send(GOOD, utf8("still-here"), Delivery.END_TO_END).toCompletableFuture().get(30, TimeUnit.SECONDS));
    assertEquals(1, good.count("data:still-here"));
    long limited = counters().get(GatewayCounter.RATE_LIMITED);
    air.transmit(FLOODER, Mac.BROADCAST, utf8("still-flooding"));
    kit.createTestProbe().awaitAssert(WAIT, () -> {
      assertEquals(limited + 1, counters().get(GatewayCounter.RATE_LIMITED));
      return null;
    });
    assertInstanceOf(GatewayCounters.class, counters());
  }
}
