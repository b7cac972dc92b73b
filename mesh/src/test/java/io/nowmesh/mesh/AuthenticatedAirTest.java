package io.nowmesh.mesh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import com.typesafe.config.ConfigFactory;
import io.nowmesh.actors.espnow.EspNowError;
import io.nowmesh.actors.espnow.EspNowException;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.mesh.auth.MeshAuth;
import io.nowmesh.mesh.auth.MeshKey;
import io.nowmesh.mesh.envelope.DecodeResult;
import io.nowmesh.mesh.envelope.Envelope;
import io.nowmesh.mesh.envelope.EnvelopeCodec;
import io.nowmesh.mesh.testair.FakeRadio;
import io.nowmesh.mesh.testair.TestAir;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two gateways with a mesh key (NODE is heard by G1 only; an attacker sits near G2): authenticated
 * broadcasts are delivered; forged, altered, unsigned and replayed ones are dropped and counted; G2
 * re-airs G1's authenticated frames with a tag that still verifies, and refuses their replay although
 * it learned their counters from the cluster only. {@code dedup-capacity = 1} makes the dedup window forget at
 * once, so a replay is caught by the replay window (as it would be after 30 s in production).
 */
class AuthenticatedAirTest {
  static final Duration WAIT = Duration.ofSeconds(20);
  static final String KEY_HEX = "4e6f774d657368206d657368206b6579212121212121212121212121212121ff";
  static final MeshAuth auth = new MeshAuth(MeshKey.fromHex(KEY_HEX));
  static final MeshAuth otherKey = new MeshAuth(MeshKey.fromHex("000102030405060708090a0b0c0d0e0f"));
  static final TestAir air = new TestAir();
  static final Mac RG = Mac.parse("aa:00:00:00:03:01");
  // one origin per test: each origin's replay window must not see another test's counters
  static final Mac NODE = Mac.parse("24:0a:c4:00:03:01");
  static final Mac NODE_R = Mac.parse("24:0a:c4:00:03:02");
  static final Mac NODE_2 = Mac.parse("24:0a:c4:00:03:03");
  static final Mac RG2 = Mac.parse("aa:00:00:00:03:02");
  static final Mac ATTACKER = Mac.parse("66:00:00:00:03:01");
  static final FakeRadio radio = new FakeRadio(air, RG);
  static final FakeRadio radio2 = new FakeRadio(air, RG2);
  static ActorTestKit kit;
  static ActorTestKit kit2;
  static Mesh mesh;
  static Mesh mesh2;

  @BeforeAll
  static void start() {
    for (Mac n : List.of(NODE, NODE_R, NODE_2)) {
      air.link(n, RG, -50);
    }
    air.link(ATTACKER, RG2, -50);
    kit = ActorTestKit.create(ActorSystem.create(Behaviors.empty(), "nowmesh", config()));
    kit2 = ActorTestKit.create(ActorSystem.create(Behaviors.empty(), "nowmesh", config()));
    for (ActorTestKit k : List.of(kit, kit2)) {
      Cluster.get(k.system()).manager().tell(Join.create(Cluster.get(kit.system()).selfMember().address()));
    }
    mesh = Mesh.get(kit.system());
    mesh2 = Mesh.get(kit2.system());
    mesh.attach(radio);
    mesh2.attach(radio2);
    kit.createTestProbe().awaitAssert(WAIT, () -> {
      for (Mesh m : List.of(mesh, mesh2)) {
        assertEquals(2, m.liveGateways().toCompletableFuture().get(3, TimeUnit.SECONDS));
        assertEquals(2, m.frameTopicPeers().toCompletableFuture().get(3, TimeUnit.SECONDS));
      }
      return null;
    });
  }

  static com.typesafe.config.Config config() {
    return ConfigFactory.parseString(String.join("\n",
        "nowmesh.mesh.auth.key = \"" + KEY_HEX + "\"",
        "nowmesh.mesh.dedup-capacity = 1")).withFallback(MeshTestConfig.gateway(false));
  }

  @AfterAll
  static void stop() {
    kit2.shutdownTestKit();
    kit.shutdownTestKit();
  }

  static byte[] sealed(MeshAuth a, long id, long counter, String text) {
    return sealed(NODE, a, id, counter, text);
  }

  static byte[] sealed(Mac origin, MeshAuth a, long id, long counter, String text) {
    return EnvelopeCodec.encode(a.seal(
        Envelope.data(origin, id, Mac.BROADCAST, 0, false, text.getBytes(StandardCharsets.UTF_8)), counter));
  }

  static void air(byte[] frame) {
    air.transmit(NODE, Mac.BROADCAST, frame);
  }

  static void air(Mac node, byte[] frame) {
    air.transmit(node, Mac.BROADCAST, frame);
  }

  static GatewayCounters counters() throws Exception {
    return mesh.counters().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  static long delta(GatewayCounters before, GatewayCounters after, GatewayCounter c) {
    return after.get(c) - before.get(c);
  }

  static void expectDelivered(TestProbe<MeshMessage> sub, String text) {
    MeshMessage.FromNode m = sub.expectMessageClass(MeshMessage.FromNode.class, WAIT);
    assertEquals(text, new String(m.payload(), StandardCharsets.UTF_8));
  }

  @Test
  void forgedAlteredAndUnsignedBroadcastsAreDroppedAndCounted() throws Exception {
    TestProbe<MeshMessage> sub = kit.createTestProbe(MeshMessage.class);
    mesh.subscribe(sub.ref());
    GatewayCounters before = counters();
    air(sealed(auth, 1, 1, "genuine"));
    air(sealed(otherKey, 2, 2, "forged"));
    byte[] altered = sealed(auth, 3, 3, "altered");
    altered[EnvelopeCodec.HEADER_LEN] ^= 0x20;
    air(altered);
    air(EnvelopeCodec.encode(Envelope.data(NODE, 4, Mac.BROADCAST, 0, false, "unsigned".getBytes(StandardCharsets.UTF_8))));
    air(sealed(auth, 5, 5, "genuine-2")); // handled after the others: the counters below are final
    expectDelivered(sub, "genuine");
    expectDelivered(sub, "genuine-2");
    sub.expectNoMessage(Duration.ofMillis(300));
    GatewayCounters after = counters();
    assertEquals(2, delta(before, after, GatewayCounter.AUTH_FORGED));
    assertEquals(1, delta(before, after, GatewayCounter.AUTH_MISSING));
    assertEquals(0, delta(before, after, GatewayCounter.AUTH_REPLAYED));
    mesh.unsubscribe(sub.ref());
  }

  @Test
  void replayedBroadcastIsDroppedAndCounted() throws Exception {
    TestProbe<MeshMessage> sub = kit.createTestProbe(MeshMessage.class);
    mesh.subscribe(sub.ref());
    GatewayCounters before = counters();
    byte[] first = sealed(NODE_R, auth, 100, 100, "first");
    air(NODE_R, first);
    air(NODE_R, sealed(NODE_R, auth, 101, 101, "second")); // pushes "first" out of the (capacity 1) dedup window
    air(NODE_R, first); // recorded and aired again by an attacker
    air(NODE_R, sealed(NODE_R, auth, 102, 102, "third"));
    expectDelivered(sub, "first");
    expectDelivered(sub, "second");
    expectDelivered(sub, "third");
    sub.expectNoMessage(Duration.ofMillis(300));
    assertEquals(1, delta(before, counters(), GatewayCounter.AUTH_REPLAYED));
    mesh.unsubscribe(sub.ref());
  }

  @Test
  void anotherGatewayReAirsAValidTagAndRefusesTheReplayItOnlyKnewFromTheCluster() throws Exception {
    GatewayCounters before = mesh2.counters().toCompletableFuture().get(5, TimeUnit.SECONDS);
    byte[] original = EnvelopeCodec.encode(auth.seal(
        Envelope.data(NODE_2, 200, Mac.BROADCAST, 3, false, "relay-me".getBytes(StandardCharsets.UTF_8)), 200));
    air(NODE_2, original);
    // evicts 200 from G2's (capacity 1) dedup window once G2 has it (G2 re-airs it: that is how we know)
    air(NODE_2, EnvelopeCodec.encode(auth.seal(
        Envelope.data(NODE_2, 201, Mac.BROADCAST, 3, false, "next".getBytes(StandardCharsets.UTF_8)), 201)));
    kit.createTestProbe().awaitAssert(WAIT, () -> {
      List<Envelope> reAired = radio2.airedFrames().stream().map(EnvelopeCodec::decode)
          .filter(r -> r instanceof DecodeResult.Decoded d && d.envelope().origin().equals(NODE_2)
              && d.envelope().messageId() == 200)
          .map(r -> ((DecodeResult.Decoded) r).envelope()).toList();
      assertEquals(1, reAired.size());
      assertEquals(2, reAired.get(0).hops());
      assertTrue(auth.verify(reAired.get(0)), "G2 re-airs the node's tag unchanged; hops are not covered");
      assertEquals(1, radio2.airings(NODE_2, 201));
      return null;
    });
    air.transmit(ATTACKER, Mac.BROADCAST, original); // G2's radio never heard 200 itself
    air.transmit(ATTACKER, Mac.BROADCAST, sealed(NODE_2, auth, 202, 202, "marker")); // handled after the replay
    kit2.createTestProbe().awaitAssert(WAIT, () -> {
      GatewayCounters after = mesh2.counters().toCompletableFuture().get(5, TimeUnit.SECONDS);
      assertEquals(1, delta(before, after, GatewayCounter.AUTH_REPLAYED));
      assertEquals(0, delta(before, after, GatewayCounter.AUTH_FORGED));
      return null;
    });
  }

  @Test
  void applicationBroadcastsAreSealedWithTheMeshKey() {
    mesh.broadcast("from-app".getBytes(StandardCharsets.UTF_8));
    kit.createTestProbe().awaitAssert(WAIT, () -> {
      List<Envelope> mine = radio.airedFrames().stream().map(EnvelopeCodec::decode)
          .filter(r -> r instanceof DecodeResult.Decoded d && d.envelope().origin().equals(mesh.origin()))
          .map(r -> ((DecodeResult.Decoded) r).envelope()).toList();
      assertEquals(1, mine.size());
      assertTrue(auth.verify(mine.get(0)));
      assertFalse(otherKey.verify(mine.get(0)));
      assertArrayEquals("from-app".getBytes(StandardCharsets.UTF_8), mine.get(0).payload());
      return null;
    });
    EspNowException tooLong = assertThrows(EspNowException.class, () -> mesh.broadcast(new byte[219]));
    assertEquals(EspNowError.ESP_ERR_ESPNOW_ARG, tooLong.error());
    assertInstanceOf(GatewayCounters.class, mesh.counters().toCompletableFuture().join());
  }
}
