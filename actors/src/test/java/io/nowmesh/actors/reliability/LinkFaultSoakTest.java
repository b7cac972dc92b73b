package io.nowmesh.actors.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.DeadLetter;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.eventstream.EventStream;
import akka.actor.typed.javadsl.Behaviors;
import io.nowmesh.actors.device.DeviceActor;
import io.nowmesh.actors.device.DeviceSettings;
import io.nowmesh.actors.device.Outcome;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.actors.espnow.PeerOptions;
import io.nowmesh.actors.link.FaultyTransport;
import io.nowmesh.actors.link.FaultyTransport.Faults;
import io.nowmesh.actors.sim.Received;
import io.nowmesh.actors.sim.SimulatedAir;
import io.nowmesh.actors.sim.SimulatedRadio;
import io.nowmesh.actors.sim.VirtualNode;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A noisy serial link between a DeviceActor and a SimulatedRadio ({@link FaultyTransport} on the
 * host end, so both directions are damaged): no corrupted payload is ever delivered, every request
 * gets exactly one outcome, outcomes are honest (what was Refused/LinkDown never reached the air),
 * and the link works cleanly afterwards.
 *
 * <p>Sizes: {@code -Dnowmesh.reliability.ber.messages=N} (default {@link #DEFAULT_BER_MESSAGES}) and
 * {@code -Dnowmesh.reliability.mixed.messages=N} (default {@link #DEFAULT_MIXED_MESSAGES});
 * see docs/reliability.md for the long run.
 */
class LinkFaultSoakTest {
  static final int DEFAULT_BER_MESSAGES = 20_000;
  static final int DEFAULT_MIXED_MESSAGES = 3_000;
  static final Duration WAIT = Duration.ofSeconds(20);

  static final ActorTestKit testKit = ActorTestKit.create(ReliabilityFixture.config(
      "nowmesh.device.command-timeout = 250ms\n"
          + "nowmesh.device.sync-send-timeout = 400ms\n"
          + "akka.loglevel = WARNING\n"));

  @AfterAll
  static void cleanup() {
    testKit.shutdownTestKit();
  }

  static int size(String property, int dflt) {
    return Integer.getInteger(property, dflt);
  }

  /** Everything a node received, checked against the payload rule. */
  static final class NodeLedger {
    final AtomicIntegerArray delivered;
    final AtomicLong corrupted = new AtomicLong();
    final AtomicLong wrongSource = new AtomicLong();
    final LinkedBlockingQueue<byte[]> clean = new LinkedBlockingQueue<>();

    NodeLedger(int total) {
      delivered = new AtomicIntegerArray(total);
    }

    void accept(Received r, Mac expectedSrc) {
      if (!r.src().equals(expectedSrc)) {
        wrongSource.incrementAndGet();
      }
      byte[] d = r.data().toArray();
      if (d.length > 0 && d[0] == Payloads.CLEAN) {
        clean.add(d);
        return;
      }
      OptionalInt id = Payloads.check(Payloads.HOST_TO_NODE, d);
      if (id.isEmpty() || id.getAsInt() >= delivered.length()) {
        corrupted.incrementAndGet();
      } else {
        delivered.incrementAndGet(id.getAsInt());
      }
    }
  }

  /** A subscriber that checks every message the device pushes. */
  static Behavior<DeviceActor.Received> subscriber(Mac node, Mac radio, AtomicLong good, AtomicLong bad) {
    return Behaviors.receiveMessage(r -> {
      OptionalInt id = Payloads.check(Payloads.NODE_TO_HOST, r.data());
      if (id.isPresent() && r.src().equals(node) && r.dst().equals(radio)) {
        good.incrementAndGet();
      } else {
        bad.incrementAndGet();
      }
      return Behaviors.same();
    });
  }

  static Behavior<DeadLetter> deadLetterCounter(AtomicLong outcomes) {
    return Behaviors.receiveMessage(d -> {
      if (d.message() instanceof Outcome) {
        outcomes.incrementAndGet();
      }
      return Behaviors.same();
    });
  }

  @Test
  void bitErrorsNeverDeliverCorruptPayloadsAndEveryRequestGetsOneOutcome() throws Exception {
    int total = size("nowmesh.reliability.ber.messages", DEFAULT_BER_MESSAGES);
    Faults noise = Faults.bitErrors(1e-4);
    run(1, total, noise, noise);
  }

  @Test
  void droppedAndDuplicatedBytesStallsAndAbruptClosesAreSurvived() throws Exception {
    int total = size("nowmesh.reliability.mixed.messages", DEFAULT_MIXED_MESSAGES);
    Faults f = Faults.bitErrors(2e-5).withDropRate(2e-5).withDuplicateRate(2e-5).withStalls(0.002, 150);
    // The write side is cut every 40 kB (and at random now and then): the device must reconnect.
    run(2, total, f.withCloseProbability(2e-4), f.withCloseAfterBytes(40_000).withCloseProbability(2e-4));
  }

  private void run(int n, int total, Faults onRead, Faults onWrite) throws Exception {
    SimulatedAir air = new SimulatedAir();
    Mac radioMac = Mac.ofLong(0x24_0A_C4_00_20_00L + n);
    Mac nodeMac = Mac.ofLong(0x02_00_00_00_20_00L + n);
    NodeLedger ledger = new NodeLedger(total);
    AtomicLong subGood = new AtomicLong();
    AtomicLong subBad = new AtomicLong();
    AtomicLong deadOutcomes = new AtomicLong();
    try (SimulatedRadio radio = SimulatedRadio.start(air, radioMac, 0, 0, 1,
            new SimulatedRadio.Settings(64, 1000, "nowmesh-sim soak"));
         VirtualNode node = air.addNode(nodeMac, 2, 0, 1)) {
      node.addPeer(radioMac);
      node.onReceive(r -> ledger.accept(r, radioMac));
      FaultyTransport link = new FaultyTransport(radio.hostTransport(), onRead, onWrite, 1000 + n);
      DeviceSettings settings = DeviceSettings.from(testKit.system().settings().config());
      ActorRef<DeviceActor.Command> device = testKit.spawn(DeviceActor.create(link, settings), "soak-" + n);
      ReliabilityFixture.awaitConnected(testKit, device);
      ReliabilityFixture.ok(testKit, device, (ActorRef<Outcome<Done>> r) ->
          new DeviceActor.AddPeer(nodeMac, PeerOptions.DEFAULT, r));
      device.tell(new DeviceActor.Subscribe(testKit.spawn(subscriber(nodeMac, radioMac, subGood, subBad))));
      testKit.system().eventStream().tell(new EventStream.Subscribe<>(DeadLetter.class,
          testKit.spawn(deadLetterCounter(deadOutcomes))));

      ActorRef<LoadDriver.Msg> driver = testKit.spawn(LoadDriver.create(device, total, 128, Duration.ofSeconds(3),
          (id, r) -> new DeviceActor.Send(nodeMac, Payloads.make(Payloads.HOST_TO_NODE, id), true, r),
          id -> {
            if (id % 2 == 0) { // the other direction: RECV events from the node, through the same noise
              node.send(radioMac, Payloads.make(Payloads.NODE_TO_HOST, id), false);
            }
          }));
      TestProbe<LoadDriver.Report> reports = testKit.createTestProbe();
      driver.tell(new LoadDriver.Start(reports.ref()));
      LoadDriver.Report report = reports.expectMessageClass(LoadDriver.Report.class,
          Duration.ofSeconds(60 + total / 20));
      double secs = report.elapsedNanos() / 1e9;
      Map<LoadDriver.Kind, Integer> h = report.histogram();
      System.out.printf("link soak %d: %d requests in %.1f s (%.0f/s): %s; read %s; write %s; node got %s corrupt %d;"
              + " subscriber good %d bad %d%n", n, total, secs, total / secs, h, link.readCounters(),
          link.writeCounters(), countDelivered(ledger), ledger.corrupted.get(), subGood.get(), subBad.get());

      // The link keeps working: with the noise off, a request goes through at once.
      link.setFaults(Faults.NONE, Faults.NONE);
      byte[] clean = Payloads.make(Payloads.CLEAN, 1);
      TestProbe<Outcome<DeviceActor.SendResult>> probe = testKit.createTestProbe();
      probe.awaitAssert(WAIT, () -> { // the first try may meet a reconnect still under way
        device.tell(new DeviceActor.Send(nodeMac, clean, true, probe.ref()));
        Outcome<?> o = probe.expectMessageClass(Outcome.class, WAIT);
        assertInstanceOf(Outcome.Ok.class, o, o::toString);
        return null;
      });
      byte[] got = ledger.clean.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertArrayEquals(clean, got, "the clean message reached the node");

      // Exactly one outcome per request, and it is honest about what reached the air.
      LoadDriver.Report ledgerNow = ReliabilityFixture.askDriver(testKit, driver);
      assertEquals(total, ledgerNow.answered(), "every request answered");
      assertEquals(0, ledgerNow.duplicates(), "no request answered twice");
      assertEquals(total, h.values().stream().mapToInt(Integer::intValue).sum());
      assertEquals(0, ledger.corrupted.get(), "corrupted payloads delivered to the node");
      assertEquals(0, ledger.wrongSource.get(), "payloads with a wrong source at the node");
      assertEquals(0, subBad.get(), "corrupted payloads delivered to a subscriber");
      assertTrue(subGood.get() > 0, "the radio-to-host direction was exercised");
      for (int id = 0; id < total; id++) {
        int times = ledger.delivered.get(id);
        LoadDriver.Kind k = report.kinds()[id];
        assertTrue(times <= 1, "request " + id + " delivered " + times + " times");
        if (k == LoadDriver.Kind.OK) {
          assertEquals(1, times, "request " + id + " was Ok (acked) but never reached the node");
        } else if (k == LoadDriver.Kind.REFUSED || k == LoadDriver.Kind.LINK_DOWN) {
          assertEquals(0, times, "request " + id + " was " + k + " (not done) but reached the node");
        }
      }
      assertTrue(h.get(LoadDriver.Kind.OK) > total / 2, "most requests succeed despite the noise: " + h);
      // The faults really happened, in both directions, and were caught by the CRC on both ends.
      assertTrue(link.readCounters().bitsFlipped() + link.readCounters().bytesDropped() > 0);
      assertTrue(link.writeCounters().bitsFlipped() + link.writeCounters().bytesDropped() > 0);
      DeviceActor.Stats stats = ReliabilityFixture.ok(testKit, device, DeviceActor.GetStats::new);
      assertTrue(stats.linkCorrupt() > 0 || link.readCounters().closes() > 0, "host dropped corrupt frames: " + stats);
      assertEquals(0, deadOutcomes.get(), "late duplicate outcomes in dead letters");
      testKit.stop(device, WAIT);
    }
  }

  static int countDelivered(NodeLedger l) {
    int c = 0;
    for (int i = 0; i < l.delivered.length(); i++) {
      c += l.delivered.get(i) > 0 ? 1 : 0;
    }
    return c;
  }
}
