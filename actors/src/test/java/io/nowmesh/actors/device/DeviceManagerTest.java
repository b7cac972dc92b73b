package io.nowmesh.actors.device;

import static io.nowmesh.actors.device.DeviceFixture.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.receptionist.Receptionist;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.actors.espnow.PeerOptions;
import io.nowmesh.actors.link.InMemoryTransport;
import io.nowmesh.actors.link.Transport;
import io.nowmesh.actors.sim.SimulatedAir;
import io.nowmesh.actors.sim.SimulatedRadio;
import io.nowmesh.actors.sim.VirtualNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Discovery, HELLO confirmation, identity by MAC, hot-plug and Receptionist registration. */
class DeviceManagerTest {
  static final ActorTestKit testKit = ActorTestKit.create(DeviceFixture.config(
      "nowmesh.device.manager.rescan-interval = 100ms\nnowmesh.device.hello-timeout = 500ms"));

  @AfterAll
  static void cleanup() {
    testKit.shutdownTestKit();
  }

  DeviceManager.Radios radios(ActorRef<DeviceManager.Command> manager) {
    TestProbe<DeviceManager.Radios> p = testKit.createTestProbe();
    manager.tell(new DeviceManager.GetRadios(p.ref()));
    return p.expectMessageClass(DeviceManager.Radios.class, WAIT);
  }

  DeviceManager.Radios awaitRadios(ActorRef<DeviceManager.Command> manager, java.util.function.Predicate<DeviceManager.Radios> ok) {
    TestProbe<Object> probe = testKit.createTestProbe();
    return probe.awaitAssert(WAIT, () -> {
      DeviceManager.Radios r = radios(manager);
      assertTrue(ok.test(r), r.toString());
      return r;
    });
  }

  @Test
  void findsRadiosByHelloIgnoresOtherDevicesAndSurvivesReplugUnderANewName() throws Exception {
    SimulatedAir air = new SimulatedAir();
    Mac macA = Mac.parse("24:0a:c4:00:30:01");
    Mac macB = Mac.parse("24:0a:c4:00:30:02");
    try (SimulatedRadio a = air.addRadio(macA, 0, 0, 1);
         SimulatedRadio b = air.addRadio(macB, 1, 0, 6);
         VirtualNode node = air.addNode(Mac.parse("02:00:00:00:30:01"), 2, 0, 1)) {
      // Something on a serial port that is not a radio: it never answers HELLO.
      InMemoryTransport.Pair other = InMemoryTransport.pair("not-a-radio");
      Map<String, Transport> plugged = new ConcurrentHashMap<>();
      plugged.put("/dev/ttyUSB0", a.hostTransport());
      plugged.put("/dev/ttyUSB1", b.hostTransport());
      plugged.put("/dev/ttyACM9", other.host());
      // A and B are on channels 1 and 6: the manager must say so.
      ActorRef<DeviceManager.Command> manager = akka.actor.testkit.typed.javadsl.LoggingTestKit
          .warn("different Wi-Fi channels").expect(testKit.system(), () -> {
            ActorRef<DeviceManager.Command> m = testKit.spawn(
                DeviceManager.create(DeviceFixture.settings(testKit), () -> Map.copyOf(plugged)), "manager");
            awaitRadios(m, r -> r.byMac().size() == 2);
            return m;
          });

      DeviceManager.Radios found = awaitRadios(manager, r -> r.byMac().size() == 2);
      assertEquals(Map.of(macA, "/dev/ttyUSB0", macB, "/dev/ttyUSB1"), Map.of(
          macA, found.byMac().get(macA).port().orElseThrow(), macB, found.byMac().get(macB).port().orElseThrow()));
      assertEquals(6, found.byMac().get(macB).channel());

      // The Receptionist knows both, so the mesh can find them.
      TestProbe<Receptionist.Listing> listing = testKit.createTestProbe();
      listing.awaitAssert(WAIT, () -> {
        testKit.system().receptionist().tell(Receptionist.find(DeviceActor.SERVICE_KEY, listing.ref()));
        assertEquals(2, listing.expectMessageClass(Receptionist.Listing.class, WAIT)
            .getServiceInstances(DeviceActor.SERVICE_KEY).size());
        return null;
      });

      // The non-radio saw one HELLO attempt at most and nothing more; it is not probed again.
      long bytesSeen = other.radio().available();
      assertTrue(bytesSeen < 64, "one HELLO at most, got " + bytesSeen + " bytes");

      ActorRef<DeviceActor.Command> deviceA = found.byMac().get(macA).device();
      DeviceFixture.awaitConnected(testKit, deviceA);
      DeviceFixture.ok(testKit, deviceA, Done.class, r -> new DeviceActor.AddPeer(node.mac(), PeerOptions.DEFAULT, r));

      // Unplug A: it vanishes from the scan; its device waits.
      plugged.remove("/dev/ttyUSB0");
      a.unplug();
      awaitRadios(manager, r -> r.byMac().get(macA).port().isEmpty());
      // Plug it back under another name: same MAC, same actor, same peer table.
      a.plugIn();
      plugged.put("/dev/ttyUSB7", a.hostTransport());
      DeviceManager.Radios back = awaitRadios(manager,
          r -> r.byMac().get(macA).port().equals(java.util.Optional.of("/dev/ttyUSB7")));
      assertEquals(deviceA, back.byMac().get(macA).device());
      DeviceFixture.awaitConnected(testKit, deviceA);
      assertEquals(List.of(new DeviceActor.PeerInfo(node.mac(), PeerOptions.DEFAULT)),
          DeviceFixture.ok(testKit, deviceA, DeviceActor.GetPeers::new));
      assertTrue(DeviceFixture.ok(testKit, deviceA, DeviceActor.SendResult.class,
          r -> new DeviceActor.Send(node.mac(), "back".getBytes(), true, r)).allAcked());
      assertEquals("back", new String(node.recv(WAIT).orElseThrow().data().toArray()));
      assertFalse(radios(manager).byMac().containsKey(Mac.ZERO));
      testKit.stop(manager);
    }
  }

  @Test
  void usbIdFilterMatchesWildcardsAndExactPids() {
    List<String> ids = List.of("303A:*", "10C4:EA60", "1a86:*");
    assertTrue(SerialDiscovery.matches(ids, 0x303A, 0x1001));
    assertTrue(SerialDiscovery.matches(ids, 0x10C4, 0xEA60));
    assertFalse(SerialDiscovery.matches(ids, 0x10C4, 0xEA70));
    assertTrue(SerialDiscovery.matches(ids, 0x1A86, 0x7523));
    assertFalse(SerialDiscovery.matches(ids, 0x0403, 0x6001));
  }
}
