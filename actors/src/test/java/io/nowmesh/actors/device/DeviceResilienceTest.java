package io.nowmesh.actors.device;

import static io.nowmesh.actors.device.DeviceFixture.WAIT;
import static io.nowmesh.actors.device.DeviceFixture.ok;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import io.nowmesh.actors.device.DeviceActor.*;
import io.nowmesh.actors.espnow.Key;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.actors.espnow.PeerOptions;
import io.nowmesh.actors.link.Command;
import io.nowmesh.actors.link.PeerRecord;
import io.nowmesh.actors.sim.Received;
import io.nowmesh.actors.sim.SimulatedAir;
import io.nowmesh.actors.sim.SimulatedRadio;
import io.nowmesh.actors.sim.VirtualNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Reboots, vanishing ports, crashing children and more destinations than radio slots. */
class DeviceResilienceTest {
  static final ActorTestKit testKit = ActorTestKit.create(DeviceFixture.config(""));
  static final AtomicInteger ids = new AtomicInteger();
  final List<ActorRef<DeviceActor.Command>> spawned = new ArrayList<>();

  @org.junit.jupiter.api.AfterEach
  void stopDevices() {
    spawned.forEach(d -> testKit.stop(d, WAIT)); // or they would keep reconnecting to closed radios
  }

  @AfterAll
  static void cleanup() {
    testKit.shutdownTestKit();
  }

  static Key lmk(int b) {
    byte[] k = new byte[16];
    Arrays.fill(k, (byte) b);
    return Key.lmk(k);
  }

  static Mac radioMac(int id) {
    return Mac.ofLong(0x24_0A_C4_00_10_00L | id);
  }

  static Mac nodeMac(int id, int i) {
    return Mac.ofLong(0x02_00_00_00_00_00L | ((long) id << 16) | i);
  }

  ActorRef<DeviceActor.Command> spawn(io.nowmesh.actors.link.Transport t, DeviceSettings s) {
    ActorRef<DeviceActor.Command> d = testKit.spawn(DeviceActor.create(t, s), "device-" + ids.incrementAndGet());
    spawned.add(d);
    DeviceFixture.awaitConnected(testKit, d);
    return d;
  }

  static byte[] recvData(VirtualNode n) throws InterruptedException {
    Received r = n.recv(WAIT).orElseThrow(() -> new AssertionError(n.mac() + " received nothing"));
    return r.data().toArray();
  }

  @Test
  void replaysPmkAndPeersAfterFirmwareRebootBeforeAnyQueuedSend() {
    int id = ids.incrementAndGet();
    try (FakeRadio radio = new FakeRadio("reboot" + id, radioMac(id))) {
      ActorRef<DeviceActor.Command> d = spawn(radio.host, DeviceFixture.settings(testKit));
      Key pmk = Key.pmk(new byte[16]);
      ok(testKit, d, Done.class, r -> new SetPmk(pmk, r));
      ok(testKit, d, Done.class, r -> new AddPeer(nodeMac(id, 1), PeerOptions.DEFAULT, r));
      ok(testKit, d, Done.class, r -> new AddPeer(nodeMac(id, 2), PeerOptions.encrypted(lmk(2)), r));
      ok(testKit, d, SendResult.class, r -> new Send(nodeMac(id, 9), "virtual".getBytes(), true, r));
      int mark = radio.seen.size();

      // Hold the radio's answers so the device is caught mid-replay, deterministically.
      radio.pause();
      radio.reboot();
      TestProbe<Object> until = testKit.createTestProbe();
      until.awaitAssert(WAIT, () -> {
        assertTrue(radio.backlogTypes().contains(io.nowmesh.actors.link.CommandType.GET_PEERS.code()));
        return null;
      });
      // The device knows of the reboot and is replaying: this send must wait for the replay.
      TestProbe<Outcome<SendResult>> probe = testKit.createTestProbe();
      d.tell(new Send(nodeMac(id, 1), "after".getBytes(), true, probe.ref()));
      radio.resume();
      assertInstanceOf(Outcome.Ok.class, probe.expectMessageClass(Outcome.class, WAIT));

      List<Command> after = radio.seen.subList(mark, radio.seen.size());
      int pmkAt = indexOf(after, Command.SetPmk.class);
      int sendAt = indexOf(after, Command.Send.class);
      assertTrue(pmkAt >= 0 && sendAt > pmkAt, after.toString());
      long addsBeforeSend = after.subList(0, sendAt).stream().filter(c -> c instanceof Command.AddPeer).count();
      assertEquals(2, addsBeforeSend, after.toString());
      assertEquals(pmk, radio.pmk().orElseThrow());
      Set<Mac> onRadio = new HashSet<>(radio.peers().stream().map(PeerRecord::mac).toList());
      assertEquals(Set.of(nodeMac(id, 1), nodeMac(id, 2)), onRadio, "pinned peers back; the virtual one forgotten");
    }
  }

  static int indexOf(List<Command> cs, Class<?> type) {
    for (int i = 0; i < cs.size(); i++) {
      if (type.isInstance(cs.get(i))) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void simulatedRadioPowerCycleMidRunKeepsDelivering() throws Exception {
    int id = ids.incrementAndGet();
    SimulatedAir air = new SimulatedAir();
    try (SimulatedRadio radio = air.addRadio(radioMac(id), 0, 0, 1);
         VirtualNode node = air.addNode(nodeMac(id, 1), 3, 0, 1)) {
      ActorRef<DeviceActor.Command> d = spawn(radio.hostTransport(), DeviceFixture.settings(testKit));
      ok(testKit, d, Done.class, r -> new AddPeer(node.mac(), PeerOptions.DEFAULT, r));
      for (int i = 0; i < 10; i++) {
        byte[] msg = ("before-" + i).getBytes();
        assertTrue(ok(testKit, d, SendResult.class, r -> new Send(node.mac(), msg, true, r)).allAcked());
        assertArrayEquals(msg, recvData(node));
      }
      radio.powerCycle();
      // Whatever was in flight at the reboot gets Interrupted; once replayed, sends reach the node again.
      TestProbe<Outcome<SendResult>> probe = testKit.createTestProbe();
      probe.awaitAssert(WAIT, () -> {
        d.tell(new Send(node.mac(), "after".getBytes(), true, probe.ref()));
        Outcome<?> o = probe.expectMessageClass(Outcome.class, WAIT);
        assertInstanceOf(Outcome.Ok.class, o, o::toString);
        return null;
      });
      byte[] got;
      do {
        got = recvData(node);
      } while (!Arrays.equals(got, "after".getBytes()));
      assertEquals(List.of(new PeerInfo(node.mac(), PeerOptions.DEFAULT)), ok(testKit, d, GetPeers::new));
    }
  }

  @Test
  void queuedRequestsCompleteWhenThePortComesBack() throws Exception {
    int id = ids.incrementAndGet();
    SimulatedAir air = new SimulatedAir();
    try (SimulatedRadio radio = air.addRadio(radioMac(id), 0, 0, 1);
         VirtualNode node = air.addNode(nodeMac(id, 1), 3, 0, 1)) {
      ActorRef<DeviceActor.Command> d = spawn(radio.hostTransport(), DeviceFixture.settings(testKit));
      ok(testKit, d, Done.class, r -> new AddPeer(node.mac(), PeerOptions.DEFAULT, r));

      radio.unplug(); // the board loses power: its peer table is gone too
      awaitDisconnected(d);
      TestProbe<Outcome<SendResult>> probe = testKit.createTestProbe();
      for (int i = 0; i < 5; i++) {
        d.tell(new Send(node.mac(), ("queued-" + i).getBytes(), true, probe.ref()));
      }
      probe.expectNoMessage(Duration.ofMillis(300)); // waiting, not failed
      radio.plugIn();
      for (int i = 0; i < 5; i++) {
        Outcome<?> o = probe.expectMessageClass(Outcome.class, WAIT);
        assertInstanceOf(Outcome.Ok.class, o, o::toString);
      }
      for (int i = 0; i < 5; i++) {
        assertArrayEquals(("queued-" + i).getBytes(), recvData(node));
      }
    }
  }

  @Test
  void requestsBeyondTheBoundOrWaitingTooLongFailWithLinkDown() {
    int id = ids.incrementAndGet();
    DeviceSettings s = DeviceSettings.from(DeviceFixture.config(
        "nowmesh.device.reconnect.queue-bound = 2\nnowmesh.device.reconnect.queue-timeout = 300ms"));
    try (FakeRadio radio = new FakeRadio("vanish" + id, radioMac(id))) {
      ActorRef<DeviceActor.Command> d = spawn(radio.host, s);
      ok(testKit, d, Done.class, r -> new AddPeer(nodeMac(id, 1), PeerOptions.DEFAULT, r));
      radio.host.setUnplugged(true);
      awaitDisconnected(d);
      TestProbe<Outcome<SendResult>> probe = testKit.createTestProbe();
      for (int i = 0; i < 3; i++) {
        d.tell(new Send(nodeMac(id, 1), new byte[] {(byte) i}, true, probe.ref()));
      }
      // The third is over the bound: refused at once; the first two after the queue timeout.
      for (int i = 0; i < 3; i++) {
        Outcome<?> o = probe.expectMessageClass(Outcome.class, WAIT);
        assertInstanceOf(Outcome.LinkDown.class, o, o::toString);
      }
      // Answered from the mirror even while down.
      assertEquals(1, ok(testKit, d, GetPeerCount::new).total());
      radio.host.setUnplugged(false);
      DeviceFixture.awaitConnected(testKit, d);
      assertTrue(ok(testKit, d, SendResult.class, r -> new Send(nodeMac(id, 1), "ok".getBytes(), true, r)).allAcked());
    }
  }

  void awaitDisconnected(ActorRef<DeviceActor.Command> d) {
    TestProbe<Outcome<Status>> probe = testKit.createTestProbe();
    probe.awaitAssert(WAIT, () -> {
      d.tell(new GetStatus(probe.ref()));
      Status s = ((Outcome.Ok<Status>) probe.expectMessageClass(Outcome.class, WAIT)).value();
      assertTrue(!s.connected(), "still connected");
      return null;
    });
  }

  @Test
  void childCrashRestartsWithoutLosingThePeerTable() {
    int id = ids.incrementAndGet();
    try (FakeRadio radio = new FakeRadio("crash" + id, radioMac(id))) {
      ActorRef<DeviceActor.Command> d = spawn(radio.host, DeviceFixture.settings(testKit));
      ok(testKit, d, Done.class, r -> new SetPmk(Key.pmk(new byte[16]), r));
      for (int i = 1; i <= 3; i++) {
        int n = i;
        ok(testKit, d, Done.class, r -> new AddPeer(nodeMac(id, n), PeerOptions.DEFAULT, r));
      }
      List<PeerInfo> before = ok(testKit, d, GetPeers::new);
      for (DeviceActor.Child child : DeviceActor.Child.values()) {
        d.tell(new CrashChild(child));
        TestProbe<Outcome<SendResult>> probe = testKit.createTestProbe();
        probe.awaitAssert(WAIT, () -> {
          d.tell(new Send(nodeMac(id, 1), child.name().getBytes(), true, probe.ref()));
          Outcome<?> o = probe.expectMessageClass(Outcome.class, WAIT);
          assertInstanceOf(Outcome.Ok.class, o, () -> child + ": " + o);
          return null;
        });
        assertEquals(before, ok(testKit, d, GetPeers::new), "after a " + child + " crash");
        assertEquals(3, radio.peers().size());
      }
      // The 21st-peer rule still holds after all that: the limits came back with the table.
      for (int i = 4; i <= 20; i++) {
        int n = i;
        ok(testKit, d, Done.class, r -> new AddPeer(nodeMac(id, n), PeerOptions.DEFAULT, r));
      }
      DeviceFixture.refused(testKit, d, io.nowmesh.actors.espnow.EspNowError.ESP_ERR_ESPNOW_FULL, Done.class,
          r -> new AddPeer(nodeMac(id, 21), PeerOptions.DEFAULT, r));
    }
  }

  @Test
  void hundredDestinationsThroughTwentySlotsAreAllDelivered() throws Exception {
    int id = ids.incrementAndGet();
    SimulatedAir air = new SimulatedAir();
    List<VirtualNode> nodes = new ArrayList<>();
    try (SimulatedRadio radio = air.addRadio(radioMac(id), 0, 0, 1)) {
      for (int i = 1; i <= 100; i++) {
        nodes.add(air.addNode(nodeMac(id, i), 1 + (i % 10), i / 10.0, 1));
      }
      ActorRef<DeviceActor.Command> d = spawn(radio.hostTransport(), DeviceFixture.settings(testKit));
      ok(testKit, d, Done.class, r -> new AddPeer(Mac.BROADCAST, PeerOptions.DEFAULT, r));
      TestProbe<Outcome<SendResult>> probe = testKit.createTestProbe();
      // Two rounds, all fired at once: registration, eviction and sends interleave.
      for (int round = 0; round < 2; round++) {
        for (VirtualNode n : nodes) {
          d.tell(new Send(n.mac(), (round + ":" + n.mac()).getBytes(), true, probe.ref()));
        }
      }
      for (int i = 0; i < 200; i++) {
        Outcome<?> o = probe.expectMessageClass(Outcome.class, WAIT);
        assertInstanceOf(Outcome.Ok.class, o, o::toString);
        assertTrue(((SendResult) ((Outcome.Ok<?>) o).value()).allAcked(), o::toString);
      }
      for (VirtualNode n : nodes) {
        assertArrayEquals(("0:" + n.mac()).getBytes(), recvData(n));
        assertArrayEquals(("1:" + n.mac()).getBytes(), recvData(n));
      }
      assertEquals(new PeerCount(1, 0), ok(testKit, d, GetPeerCount::new), "virtual peers stay invisible");
    } finally {
      nodes.forEach(VirtualNode::close);
    }
  }
}
