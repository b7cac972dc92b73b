package io.nowmesh.mesh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.receptionist.Receptionist;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import io.nowmesh.actors.device.DeviceActor;
import io.nowmesh.actors.device.DeviceSettings;
import io.nowmesh.actors.espnow.EspNowException;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.actors.sim.SimulatedAir;
import io.nowmesh.actors.sim.SimulatedRadio;
import io.nowmesh.actors.sim.VirtualNode;
import io.nowmesh.mesh.routing.NodeActor.Delivery;
import io.nowmesh.mesh.routing.Route;
import io.nowmesh.mesh.testair.TestNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The mesh on the real stack: three gateways, each a DeviceActor driving a SimulatedRadio over the
 * serial protocol, attached through the Receptionist, in one SimulatedAir (path-loss reach, about
 * 109 m). Radios at x = 0, 150, 300 m do not hear each other. Nodes (leaf behaviour over
 * VirtualNode) at: n1 -20 (A), n3 75 (A, B), n5 150 (B), n9 230 (B, C; C closer), n11 320 (C).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SimulatedStackTest {
  static final Duration WAIT = Duration.ofSeconds(20);
  static final SimulatedAir air = new SimulatedAir();
  static final Mac RA = Mac.parse("aa:00:00:00:01:0a");
  static final Mac RB = Mac.parse("aa:00:00:00:01:0b");
  static final Mac RC = Mac.parse("aa:00:00:00:01:0c");
  static final Map<Integer, Double> positions = Map.of(1, -20.0, 3, 75.0, 5, 150.0, 9, 230.0, 11, 320.0);
  static final Map<Integer, Set<Mac>> heardBy = Map.of(1, Set.of(RA), 3, Set.of(RA, RB), 5, Set.of(RB),
      9, Set.of(RB, RC), 11, Set.of(RC));
  static final Map<Integer, TestNode> nodes = new java.util.TreeMap<>();
  static final Map<Integer, VirtualNode> virtualByNumber = new java.util.HashMap<>();
  static final List<VirtualNode> virtualNodes = new ArrayList<>();
  static final List<SimulatedRadio> radios = new ArrayList<>();
  static ActorTestKit kitA;
  static ActorTestKit kitB;
  static ActorTestKit kitC;

  static Mac node(int i) {
    return Mac.ofLong(0x24_0a_c4_00_01_00L | i);
  }

  @BeforeAll
  static void start() {
    kitA = ActorTestKit.create(ActorSystem.create(Behaviors.empty(), "nowmesh", MeshTestConfig.gateway(false)));
    kitB = ActorTestKit.create(ActorSystem.create(Behaviors.empty(), "nowmesh", MeshTestConfig.gateway(false)));
    kitC = ActorTestKit.create(ActorSystem.create(Behaviors.empty(), "nowmesh", MeshTestConfig.gateway(true)));
    List<ActorTestKit> kits = List.of(kitA, kitB, kitC);
    List<Mac> macs = List.of(RA, RB, RC);
    for (int g = 0; g < 3; g++) {
      ActorTestKit k = kits.get(g);
      Cluster.get(k.system()).manager().tell(Join.create(Cluster.get(kitA.system()).selfMember().address()));
      SimulatedRadio radio = air.addRadio(macs.get(g), 150.0 * g, 0, 1);
      radios.add(radio);
      ActorRef<DeviceActor.Command> device = k.spawn(
          DeviceActor.create(radio.hostTransport(), DeviceSettings.from(k.system().settings().config())), "radio-" + g);
      awaitConnected(k, device);
      Mesh.get(k.system());
      // what the DeviceManager does for discovered radios; the mesh attaches what the Receptionist lists
      k.system().receptionist().tell(Receptionist.register(DeviceActor.SERVICE_KEY, device));
    }
    for (Map.Entry<Integer, Double> e : positions.entrySet()) {
      VirtualNode v = air.addNode(node(e.getKey()), e.getValue(), 0, 1);
      virtualNodes.add(v);
      virtualByNumber.put(e.getKey(), v);
      Set<Mac> peers = new HashSet<>();
      TestNode leaf = new TestNode(v.mac(), (from, to, payload) -> {
        if (peers.add(to)) {
          try {
            v.addPeer(to);
          } catch (EspNowException exists) {
            // registered already: fine
          }
        }
        return v.send(to, payload, true);
      });
      v.onReceive(r -> leaf.hear(r.src(), r.dst(), r.rssi(), r.data().toArray()));
      nodes.put(e.getKey(), leaf);
    }
    kitA.createTestProbe().awaitAssert(WAIT, () -> {
      for (ActorTestKit k : kits) {
        long up = java.util.stream.StreamSupport.stream(Cluster.get(k.system()).state().getMembers().spliterator(), false)
            .filter(m -> m.status() == MemberStatus.up()).count();
        assertEquals(3, up);
        assertEquals(3, Mesh.get(k.system()).liveGateways().toCompletableFuture().get(3, TimeUnit.SECONDS));
        assertEquals(3, Mesh.get(k.system()).frameTopicPeers().toCompletableFuture().get(3, TimeUnit.SECONDS));
      }
      return null;
    });
    // beacons until every replica knows every sighting (a radio may attach after the first beacon)
    kitA.createTestProbe().awaitAssert(WAIT, Duration.ofMillis(500), () -> {
      nodes.values().forEach(n -> n.broadcast("beacon", 0));
      for (ActorTestKit k : kits) {
        for (Map.Entry<Integer, Set<Mac>> e : heardBy.entrySet()) {
          assertEquals(e.getValue(), Set.copyOf(routes(k, e.getKey()).stream().map(Route::radio).toList()),
              "routes to n" + e.getKey());
        }
      }
      return null;
    });
    nodes.values().forEach(TestNode::clear);
  }

  @AfterAll
  static void stop() {
    for (ActorTestKit k : List.of(kitA, kitB, kitC)) {
      k.shutdownTestKit();
    }
    virtualNodes.forEach(VirtualNode::close);
    radios.forEach(SimulatedRadio::close);
  }

  @SuppressWarnings("unchecked")
  static void awaitConnected(ActorTestKit kit, ActorRef<DeviceActor.Command> device) {
    TestProbe<io.nowmesh.actors.device.Outcome<DeviceActor.Status>> probe = kit.createTestProbe();
    probe.awaitAssert(WAIT, () -> {
      device.tell(new DeviceActor.GetStatus(probe.ref()));
      io.nowmesh.actors.device.Outcome<DeviceActor.Status> s =
          probe.expectMessageClass(io.nowmesh.actors.device.Outcome.class, Duration.ofSeconds(3));
      if (!(s instanceof io.nowmesh.actors.device.Outcome.Ok<DeviceActor.Status> ok) || !ok.value().connected() || ok.value().mac().isEmpty()) {
        throw new AssertionError("not connected yet: " + s);
      }
      return null;
    });
  }

  static List<Route> routes(ActorTestKit k, int i) throws Exception {
    return Mesh.get(k.system()).routes(node(i)).toCompletableFuture().get(3, TimeUnit.SECONDS);
  }

  static Outcome send(ActorTestKit k, int i, String text, Delivery d) throws Exception {
    return Mesh.get(k.system()).send(node(i), text.getBytes(StandardCharsets.UTF_8), d).toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }

  @Test
  @Order(1)
  void unicastFromAReachesTheNodeOnlyCHearsThroughDeviceActors() throws Exception {
    assertEquals(List.of(RC, RB), routes(kitA, 9).stream().map(Route::radio).toList());
    assertEquals(new Outcome.Delivered(RC, true), send(kitA, 11, "e2e", Delivery.END_TO_END));
    Outcome.Answered a = (Outcome.Answered) Mesh.get(kitA.system())
        .request(node(11), "ping".getBytes(StandardCharsets.UTF_8)).toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertArrayEquals("PING".getBytes(StandardCharsets.UTF_8), a.payload());
    assertEquals(List.of("data:e2e"), nodes.get(11).delivered());
  }

  @Test
  @Order(2)
  void nodeBroadcastReachesEveryNodeAndSubscriberOnce() {
    List<TestProbe<MeshMessage>> subs = new ArrayList<>();
    for (ActorTestKit k : List.of(kitA, kitB, kitC)) {
      TestProbe<MeshMessage> p = k.createTestProbe(MeshMessage.class);
      Mesh.get(k.system()).subscribe(p.ref());
      subs.add(p);
    }
    nodes.get(5).broadcast("hello", 3);
    for (TestProbe<MeshMessage> p : subs) {
      MeshMessage.FromNode m = p.expectMessageClass(MeshMessage.FromNode.class, WAIT);
      assertEquals(node(5), m.origin());
    }
    kitA.createTestProbe().awaitAssert(WAIT, () -> {
      for (Map.Entry<Integer, TestNode> e : nodes.entrySet()) {
        assertEquals(e.getKey() == 5 ? 0 : 1, e.getValue().count("data:hello"), "n" + e.getKey());
      }
      return null;
    });
    subs.forEach(p -> p.expectNoMessage(Duration.ofMillis(600)));
    for (Map.Entry<Integer, TestNode> e : nodes.entrySet()) {
      assertEquals(e.getKey() == 5 ? 0 : 1, e.getValue().count("data:hello"), "n" + e.getKey());
    }
    List<ActorTestKit> kits = List.of(kitA, kitB, kitC);
    for (int i = 0; i < 3; i++) {
      Mesh.get(kits.get(i).system()).unsubscribe(subs.get(i).ref());
    }
  }

  @Test
  @Order(3)
  void multicastFromAnApplicationReachesGroupMembersOnly() {
    Group g = new Group(9);
    for (int i : List.of(1, 11)) {
      nodes.get(i).join(g);
      virtualByNumber.get(i).joinGroup(g.mac()); // the radio-level filter of the simulated air
    }
    Mesh.get(kitB.system()).multicast(g, "group".getBytes(StandardCharsets.UTF_8));
    Runnable exactlyMembers = () -> {
      for (Map.Entry<Integer, TestNode> e : nodes.entrySet()) {
        assertEquals(Set.of(1, 11).contains(e.getKey()) ? 1 : 0, e.getValue().count("data:group"), "n" + e.getKey());
      }
    };
    TestProbe<Object> probe = kitA.createTestProbe();
    probe.awaitAssert(WAIT, () -> {
      exactlyMembers.run();
      return null;
    });
    probe.expectNoMessage(Duration.ofMillis(600)); // room for a duplicate or a stray delivery to show up
    exactlyMembers.run();
  }

  @Test
  @Order(4)
  void crashOfCReroutesTheSharedNodeAndLeavesItsOwnWithoutRoute() throws Exception {
    radios.get(2).setWifiActive(false);
    kitC.system().terminate();
    kitA.createTestProbe().awaitAssert(WAIT, () -> {
      assertEquals(new Outcome.NoRoute(node(11)), send(kitA, 11, "lost", Delivery.MAC_ACK));
      return null;
    });
    assertEquals(new Outcome.Delivered(RB, true), send(kitA, 9, "via-b", Delivery.END_TO_END));
    assertEquals(1, nodes.get(9).count("data:via-b"));
  }
}
