package io.nowmesh.actors.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import io.nowmesh.actors.device.DeviceActor;
import io.nowmesh.actors.device.DeviceSettings;
import io.nowmesh.actors.device.Outcome;
import io.nowmesh.actors.espnow.Key;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.actors.espnow.PeerOptions;
import io.nowmesh.actors.link.PeerRecord;
import io.nowmesh.actors.sim.SimInspector;
import io.nowmesh.actors.sim.SimulatedAir;
import io.nowmesh.actors.sim.SimulatedRadio;
import io.nowmesh.actors.sim.VirtualNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * 50 firmware reboots and 50 unplug/replug cycles of one radio under one DeviceActor: after each,
 * the radio's own peer table (PMK, LMKs, channels) equals what the application set; requests made
 * meanwhile get the outcome the configuration promises; and threads and file descriptors end where
 * they started. {@code -Dnowmesh.reliability.cycles=N} changes the 50.
 */
class RebootAndReplugCycleTest {
  static final int QUEUE_BOUND = 3;
  static final Duration WAIT = ReliabilityFixture.WAIT;

  static final ActorTestKit testKit = ActorTestKit.create(ReliabilityFixture.config(
      "nowmesh.device.reconnect.queue-bound = " + QUEUE_BOUND + "\n"
          + "nowmesh.device.reconnect.queue-timeout = 20s\n"
          + "akka.loglevel = WARNING\n"));

  @AfterAll
  static void cleanup() {
    testKit.shutdownTestKit();
  }

  static Key key(Key.Kind kind, int b) {
    byte[] k = new byte[16];
    Arrays.fill(k, (byte) b);
    k[0] = (byte) kind.ordinal();
    return Key.of(kind, k);
  }

  /** What every node received, as text (payloads are ASCII here). */
  final Map<Mac, Set<String>> received = new ConcurrentHashMap<>();

  VirtualNode node(SimulatedAir air, long mac) {
    VirtualNode n = air.addNode(Mac.ofLong(mac), 2, mac & 0xF, 1);
    Set<String> got = ConcurrentHashMap.newKeySet();
    received.put(n.mac(), got);
    n.onReceive(r -> got.add(new String(r.data().toArray(), StandardCharsets.US_ASCII)));
    return n;
  }

  @Test
  void survivesFiftyRebootsAndFiftyReplugsWithPeersRestoredAndNoLeaks() throws Exception {
    int cycles = Integer.getInteger("nowmesh.reliability.cycles", 50);
    SimulatedAir air = new SimulatedAir();
    Mac radioMac = Mac.ofLong(0x24_0A_C4_00_30_01L);
    Key pmk = key(Key.Kind.PMK, 0x11);
    Key lmkA = key(Key.Kind.LMK, 0x22);
    Key lmkB = key(Key.Kind.LMK, 0x33);
    List<VirtualNode> nodes = new ArrayList<>();
    try (SimulatedRadio radio = air.addRadio(radioMac, 0, 0, 1)) {
      VirtualNode plain = node(air, 0x02_00_00_00_30_01L);
      VirtualNode encA = node(air, 0x02_00_00_00_30_02L);
      VirtualNode encB = node(air, 0x02_00_00_00_30_03L);
      nodes.addAll(List.of(plain, encA, encB));
      for (VirtualNode n : List.of(encA, encB)) {
        n.setPmk(pmk);
        n.addPeer(radioMac, PeerOptions.encrypted(n == encA ? lmkA : lmkB));
      }
      // The application's table: plain peer pinned to channel 1, two encrypted peers with their own
      // LMKs (one on channel 1), broadcast.
      Map<Mac, PeerOptions> table = Map.of(
          plain.mac(), PeerOptions.DEFAULT.withChannel(1),
          encA.mac(), PeerOptions.encrypted(lmkA),
          encB.mac(), PeerOptions.encrypted(lmkB).withChannel(1),
          Mac.BROADCAST, PeerOptions.DEFAULT);
      ActorRef<DeviceActor.Command> d = testKit.spawn(
          DeviceActor.create(radio.hostTransport(), DeviceSettings.from(testKit.system().settings().config())),
          "cycling-radio");
      ReliabilityFixture.awaitConnected(testKit, d);
      ReliabilityFixture.ok(testKit, d, (ActorRef<Outcome<Done>> r) -> new DeviceActor.SetPmk(pmk, r));
      for (Map.Entry<Mac, PeerOptions> e : table.entrySet()) {
        ReliabilityFixture.ok(testKit, d, (ActorRef<Outcome<Done>> r) ->
            new DeviceActor.AddPeer(e.getKey(), e.getValue(), r));
      }
      awaitRadioTable(radio, pmk, table);

      // Warm up (class loading, dispatcher threads), then take the baseline.
      rebootCycle(-1, radio, d, pmk, table, plain, encA);
      replugCycle(-1, radio, d, pmk, table, plain);
      ResourceCounts before = ResourceCounts.now(testKit.system().name());

      long t0 = System.nanoTime();
      int[] rebootOutcomes = new int[2];
      for (int i = 0; i < cycles; i++) {
        int[] r = rebootCycle(i, radio, d, pmk, table, plain, encA);
        rebootOutcomes[0] += r[0];
        rebootOutcomes[1] += r[1];
      }
      long t1 = System.nanoTime();
      for (int i = 0; i < cycles; i++) {
        replugCycle(i, radio, d, pmk, table, plain);
      }
      long t2 = System.nanoTime();
      System.out.printf("%d reboots in %.1f s (queued sends: %d Ok, %d Interrupted), %d replugs in %.1f s%n",
          cycles, (t1 - t0) / 1e9, rebootOutcomes[0], rebootOutcomes[1], cycles, (t2 - t1) / 1e9);
      assertEquals(List.of(new DeviceActor.PeerInfo(Mac.BROADCAST, PeerOptions.DEFAULT)),
          ReliabilityFixture.ok(testKit, d, DeviceActor.GetPeers::new).stream()
              .filter(p -> p.mac().isGroup()).toList());

      ResourceCounts after = ResourceCounts.awaitSettled(testKit.createTestProbe(), before,
          ResourceCounts.maxPoolThreads(testKit.system().settings().config()), testKit.system().name(),
          Duration.ofSeconds(30));
      System.out.println("resources before " + before + ", after " + after);
      testKit.stop(d, WAIT);
    } finally {
      nodes.forEach(VirtualNode::close);
    }
  }

  /**
   * Power-cycles the radio with sends racing the reboot: each gets Ok (then the node has it) or
   * Interrupted (it was on the wire when the radio died). Returns {Ok count, Interrupted count}.
   */
  int[] rebootCycle(int i, SimulatedRadio radio, ActorRef<DeviceActor.Command> d, Key pmk,
      Map<Mac, PeerOptions> table, VirtualNode plain, VirtualNode encrypted) {
    TestProbe<Outcome<DeviceActor.SendResult>> probe = testKit.createTestProbe();
    List<String> sent = new ArrayList<>();
    for (int k = 0; k < 2; k++) {
      String m = "before-reboot-" + i + "-" + k;
      sent.add(m);
      d.tell(new DeviceActor.Send(plain.mac(), m.getBytes(StandardCharsets.US_ASCII), true, probe.ref()));
    }
    radio.powerCycle();
    for (int k = 0; k < 3; k++) {
      String m = "after-reboot-" + i + "-" + k;
      sent.add(m);
      d.tell(new DeviceActor.Send(plain.mac(), m.getBytes(StandardCharsets.US_ASCII), true, probe.ref()));
    }
    awaitRadioTable(radio, pmk, table);
    int[] counts = new int[2];
    for (String m : sent) {
      Outcome<?> o = probe.expectMessageClass(Outcome.class, WAIT);
      if (o instanceof Outcome.Ok) {
        counts[0]++;
      } else {
        assertInstanceOf(Outcome.Interrupted.class, o, () -> "cycle " + i + ": " + o);
        counts[1]++;
      }
    }
    awaitReceived(plain, counts[0] + " Ok sends of cycle " + i, () -> {
      long got = sent.stream().filter(received.get(plain.mac())::contains).count();
      return got >= counts[0];
    });
    // The restored PMK and LMK really work on the radio: an encrypted send is decrypted by the node.
    String secret = "secret-" + i;
    DeviceActor.SendResult r = ReliabilityFixture.ok(testKit, d,
        (ActorRef<Outcome<DeviceActor.SendResult>> ref) ->
            new DeviceActor.Send(encrypted.mac(), secret.getBytes(StandardCharsets.US_ASCII), true, ref));
    assertTrue(r.allAcked(), r::toString);
    awaitReceived(encrypted, secret, () -> received.get(encrypted.mac()).contains(secret));
    assertEquals(0, encrypted.undecryptable(), "frames the node could not decrypt");
    return counts;
  }

  /**
   * Unplugs the radio (it loses power and its table), makes QUEUE_BOUND + 2 requests while it is
   * gone (the two beyond the bound fail at once with LinkDown, the rest wait), plugs it back: the
   * waiting ones are delivered after the replay.
   */
  void replugCycle(int i, SimulatedRadio radio, ActorRef<DeviceActor.Command> d, Key pmk,
      Map<Mac, PeerOptions> table, VirtualNode plain) {
    radio.unplug();
    ReliabilityFixture.awaitDisconnected(testKit, d);
    TestProbe<Outcome<DeviceActor.SendResult>> waiting = testKit.createTestProbe();
    TestProbe<Outcome<DeviceActor.SendResult>> beyond = testKit.createTestProbe();
    List<String> queued = new ArrayList<>();
    for (int k = 0; k < QUEUE_BOUND + 2; k++) {
      String m = "queued-" + i + "-" + k;
      boolean fits = k < QUEUE_BOUND;
      if (fits) {
        queued.add(m);
      }
      d.tell(new DeviceActor.Send(plain.mac(), m.getBytes(StandardCharsets.US_ASCII), true,
          (fits ? waiting : beyond).ref()));
    }
    for (int k = 0; k < 2; k++) {
      Outcome<?> o = beyond.expectMessageClass(Outcome.class, WAIT);
      assertInstanceOf(Outcome.LinkDown.class, o, () -> "cycle " + i + ": " + o);
    }
    radio.plugIn();
    for (int k = 0; k < QUEUE_BOUND; k++) {
      Outcome<?> o = waiting.expectMessageClass(Outcome.class, WAIT);
      assertInstanceOf(Outcome.Ok.class, o, () -> "cycle " + i + ": " + o);
    }
    awaitRadioTable(radio, pmk, table);
    awaitReceived(plain, "queued sends of cycle " + i, () -> received.get(plain.mac()).containsAll(queued));
    Set<String> over = Set.of("queued-" + i + "-" + QUEUE_BOUND, "queued-" + i + "-" + (QUEUE_BOUND + 1));
    assertTrue(received.get(plain.mac()).stream().noneMatch(over::contains), "LinkDown sends must not go out");
  }

  /** Waits until the radio itself holds exactly this PMK and peer table. */
  static void awaitRadioTable(SimulatedRadio radio, Key pmk, Map<Mac, PeerOptions> table) {
    TestProbe<Object> p = testKit.createTestProbe();
    p.awaitAssert(WAIT, Duration.ofMillis(10), () -> {
      assertTrue(SimInspector.espnowActive(radio), "ESP-NOW re-initialised");
      assertTrue(SimInspector.hasPmk(radio, pmk), "PMK restored");
      Set<PeerRecord> expected = new HashSet<>();
      table.forEach((m, o) -> expected.add(new PeerRecord(m, o)));
      assertEquals(expected, new HashSet<>(SimInspector.peers(radio)), "peers, LMKs and channels restored");
      return null;
    });
  }

  static void awaitReceived(VirtualNode n, String what, java.util.function.BooleanSupplier c) {
    TestProbe<Object> p = testKit.createTestProbe();
    p.awaitAssert(WAIT, Duration.ofMillis(10), () -> {
      assertTrue(c.getAsBoolean(), n.mac() + " did not receive " + what);
      return null;
    });
  }
}
