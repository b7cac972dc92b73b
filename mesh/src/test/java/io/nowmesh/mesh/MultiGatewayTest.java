package io.nowmesh.mesh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.mesh.routing.NodeActor.Delivery;
import io.nowmesh.mesh.routing.Route;
import io.nowmesh.mesh.testair.FakeRadio;
import io.nowmesh.mesh.testair.TestAir;
import io.nowmesh.mesh.testair.TestNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
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
 * Three gateways (A, B, C: three ActorSystems on 127.0.0.1) and twelve nodes in one {@link TestAir}.
 * A hears n1..n4, B hears n3 and n5..n10, C hears n9..n12: n3 is heard by A and B, n9 and n10 by B
 * and C (better by C); n11 and n12 only by C. Nodes near the same gateway hear each other (that is
 * why a gateway that heard a node's broadcast itself does not re-air it). The methods run in order
 * on one cluster; the last ones crash C and bring it back.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiGatewayTest {
  static final Duration WAIT = Duration.ofSeconds(20);
  static final Duration QUIET = Duration.ofMillis(600);

  static final TestAir air = new TestAir();
  static final Mac RA = Mac.parse("aa:00:00:00:00:0a");
  static final Mac RB = Mac.parse("aa:00:00:00:00:0b");
  static final Mac RC = Mac.parse("aa:00:00:00:00:0c");
  static final FakeRadio radioA = new FakeRadio(air, RA);
  static final FakeRadio radioB = new FakeRadio(air, RB);
  static final FakeRadio radioC = new FakeRadio(air, RC);
  static final List<TestNode> nodes = new ArrayList<>();
  /** node number -> {gateway radio, rssi} pairs. */
  static final Map<Integer, int[][]> hearing = Map.ofEntries(
      Map.entry(1, new int[][] {{0xa, -50}}), Map.entry(2, new int[][] {{0xa, -55}}),
      Map.entry(3, new int[][] {{0xa, -60}, {0xb, -45}}), Map.entry(4, new int[][] {{0xa, -52}}),
      Map.entry(5, new int[][] {{0xb, -50}}), Map.entry(6, new int[][] {{0xb, -51}}),
      Map.entry(7, new int[][] {{0xb, -52}}), Map.entry(8, new int[][] {{0xb, -53}}),
      Map.entry(9, new int[][] {{0xb, -75}, {0xc, -40}}), Map.entry(10, new int[][] {{0xb, -78}, {0xc, -42}}),
      Map.entry(11, new int[][] {{0xc, -50}}), Map.entry(12, new int[][] {{0xc, -55}}));

  static ActorTestKit kitA;
  static ActorTestKit kitB;
  static ActorTestKit kitC;

  @BeforeAll
  static void startCluster() {
    for (int i = 1; i <= 12; i++) {
      TestNode n = new TestNode(air, node(i));
      nodes.add(n);
      for (int[] h : hearing.get(i)) {
        air.link(n.mac(), Mac.ofLong(0xaa_00_00_00_00_00L | h[0]), h[1]);
      }
    }
    for (int i = 1; i <= 12; i++) {
      for (int j = i + 1; j <= 12; j++) {
        if (shareAGateway(i, j)) {
          air.link(node(i), node(j), -60);
        }
      }
    }
    kitA = ActorTestKit.create(ActorSystem.create(Behaviors.empty(), "nowmesh", MeshTestConfig.gateway(false)));
    kitB = ActorTestKit.create(ActorSystem.create(Behaviors.empty(), "nowmesh", MeshTestConfig.gateway(false)));
    kitC = ActorTestKit.create(ActorSystem.create(Behaviors.empty(), "nowmesh", MeshTestConfig.gateway(true)));
    for (ActorTestKit k : List.of(kitA, kitB, kitC)) {
      Cluster.get(k.system()).manager().tell(Join.create(Cluster.get(kitA.system()).selfMember().address()));
    }
    Mesh.get(kitA.system()).attach(radioA);
    Mesh.get(kitB.system()).attach(radioB);
    Mesh.get(kitC.system()).attach(radioC);
    awaitMeshOf(List.of(kitA, kitB, kitC));
    beaconAll();
    awaitFullRoutes(List.of(kitA, kitB, kitC));
  }

  @AfterAll
  static void shutdown() {
    for (ActorTestKit k : List.of(kitA, kitB, kitC)) {
      k.shutdownTestKit();
    }
  }

  static boolean shareAGateway(int i, int j) {
    for (int[] a : hearing.get(i)) {
      for (int[] b : hearing.get(j)) {
        if (a[0] == b[0]) {
          return true;
        }
      }
    }
    return false;
  }

  /** The nodes that share a gateway with node {@code i} (they hear its frames directly). */
  static Set<Integer> neighbours(int i) {
    Set<Integer> out = new java.util.HashSet<>();
    for (int j = 1; j <= 12; j++) {
      if (j != i && shareAGateway(i, j)) {
        out.add(j);
      }
    }
    return out;
  }

  static Mac node(int i) {
    return Mac.ofLong(0x24_0a_c4_00_00_00L | i);
  }

  static TestNode n(int i) {
    return nodes.get(i - 1);
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Every system sees every gateway live and every frames topic instance. */
  static void awaitMeshOf(List<ActorTestKit> kits) {
    TestProbe<Object> probe = kitA.createTestProbe();
    probe.awaitAssert(WAIT, () -> {
      for (ActorTestKit k : kits) {
        Cluster c = Cluster.get(k.system());
        long up = java.util.stream.StreamSupport.stream(c.state().getMembers().spliterator(), false)
            .filter(m -> m.status() == MemberStatus.up()).count();
        assertEquals(kits.size(), up, "members up seen by " + c.selfMember().address());
        assertEquals(kits.size(), Mesh.get(k.system()).liveGateways().toCompletableFuture().get(3, TimeUnit.SECONDS));
        assertEquals(kits.size(), Mesh.get(k.system()).frameTopicPeers().toCompletableFuture().get(3, TimeUnit.SECONDS));
      }
      return null;
    });
  }

  /** Each node airs a hop-0 beacon so the gateways that hear it learn a route; then forget it. */
  static void beaconAll() {
    nodes.forEach(n -> n.broadcast("beacon", 0));
  }

  /** Every system's replica holds every sighting of the topology (set equality, per node). */
  static void awaitFullRoutes(List<ActorTestKit> kits) {
    kitA.createTestProbe().awaitAssert(WAIT, () -> {
      for (ActorTestKit k : kits) {
        for (int i = 1; i <= 12; i++) {
          Set<Mac> expected = new java.util.HashSet<>();
          for (int[] h : hearing.get(i)) {
            expected.add(Mac.ofLong(0xaa_00_00_00_00_00L | h[0]));
          }
          assertEquals(expected, Set.copyOf(routes(k, i).stream().map(Route::radio).toList()), "routes to node " + i);
        }
      }
      return null;
    });
    nodes.forEach(TestNode::clear);
  }

  static GatewayCounters counters(ActorTestKit kit) throws Exception {
    return Mesh.get(kit.system()).counters().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  static List<Route> routes(ActorTestKit kit, int i) throws Exception {
    return Mesh.get(kit.system()).routes(node(i)).toCompletableFuture().get(3, TimeUnit.SECONDS);
  }

  static Outcome send(ActorTestKit kit, int i, String text, Delivery d) throws Exception {
    return Mesh.get(kit.system()).send(node(i), utf8(text), d).toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  @Order(1)
  void ranksRoutesBySignalAndReplicatesThemEverywhere() throws Exception {
    List<Route> r9 = routes(kitA, 9);
    assertEquals(List.of(RC, RB), r9.stream().map(Route::radio).toList());
    assertEquals(List.of(RB, RA), routes(kitC, 3).stream().map(Route::radio).toList());
    assertEquals(List.of(RC), routes(kitB, 11).stream().map(Route::radio).toList());
  }

  @Test
  @Order(2)
  void unicastFromAReachesANodeOnlyCHearsWithEachOutcome() throws Exception {
    assertEquals(new Outcome.Delivered(RC, true), send(kitA, 11, "e2e", Delivery.END_TO_END));
    assertEquals(new Outcome.Delivered(RC, false), send(kitA, 11, "mac", Delivery.MAC_ACK));
    assertEquals(new Outcome.Delivered(RC, false), send(kitA, 11, "plain", Delivery.RAW));
    Outcome answer = Mesh.get(kitA.system()).request(node(11), utf8("ping")).toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    assertArrayEquals(utf8("PING"), assertInstanceOf(Outcome.Answered.class, answer).payload());
    assertEquals(RC, ((Outcome.Answered) answer).via());
    assertEquals(List.of("data:e2e", "data:mac", "raw:plain"), n(11).delivered());
    n(11).clear();
    for (int i = 1; i <= 12; i++) {
      if (i != 11) {
        assertEquals(List.of(), n(i).delivered(), "node " + i);
      }
    }
    // too long for an envelope: refused at once with the radio's argument error; RAW may use all 250 bytes
    Outcome.Failed tooLong = assertInstanceOf(Outcome.Failed.class,
        Mesh.get(kitA.system()).send(node(11), new byte[231], Delivery.MAC_ACK).toCompletableFuture().get(30, TimeUnit.SECONDS));
    assertEquals(io.nowmesh.actors.espnow.EspNowError.ESP_ERR_ESPNOW_ARG, tooLong.error());
    assertEquals(new Outcome.Delivered(RC, false),
        Mesh.get(kitA.system()).send(node(11), new byte[250], Delivery.RAW).toCompletableFuture().get(30, TimeUnit.SECONDS));
    io.nowmesh.actors.espnow.EspNowException e = org.junit.jupiter.api.Assertions.assertThrows(
        io.nowmesh.actors.espnow.EspNowException.class, () -> Mesh.get(kitA.system()).broadcast(new byte[231]));
    assertEquals(io.nowmesh.actors.espnow.EspNowError.ESP_ERR_ESPNOW_ARG, e.error());
    Mac stranger = Mac.parse("24:0a:c4:00:00:99");
    assertEquals(new Outcome.NoRoute(stranger),
        Mesh.get(kitA.system()).send(stranger, utf8("x"), Delivery.MAC_ACK).toCompletableFuture().get(30, TimeUnit.SECONDS));
    n(11).clear();
  }

  @Test
  @Order(3)
  void nodeUnicastToTheMeshReachesEverySubscriberOnceAndIsAcked() {
    List<TestProbe<MeshMessage>> subs = subscribers();
    long id = n(12).sendUnicast(RC, RC, "up", true);
    for (TestProbe<MeshMessage> p : subs) {
      MeshMessage.FromNode m = p.expectMessageClass(MeshMessage.FromNode.class, WAIT);
      assertEquals(node(12), m.origin());
      assertEquals(id, m.messageId());
      assertEquals(RC, m.heardBy());
    }
    expectQuiet(subs);
    kitA.createTestProbe().awaitAssert(WAIT, () -> {
      assertEquals(List.of("ack:" + id), n(12).delivered());
      return null;
    });
    unsubscribe(subs);
    n(12).clear();
  }

  @Test
  @Order(4)
  void nodeRefsAndSubscribersWorkFromAnotherGateway() throws Exception {
    // A's ref for n11, resolved on B as a remote ref: the Send and its Outcome cross the cluster
    akka.actor.typed.ActorRef<io.nowmesh.mesh.routing.NodeActor.Command> onA = Mesh.get(kitA.system()).node(node(11));
    akka.actor.typed.ActorRef<io.nowmesh.mesh.routing.NodeActor.Command> fromB = akka.actor.typed.ActorRefResolver
        .get(kitB.system()).resolveActorRef(akka.actor.typed.ActorRefResolver.get(kitA.system()).toSerializationFormat(onA));
    TestProbe<Outcome> outcome = kitB.createTestProbe(Outcome.class);
    fromB.tell(new io.nowmesh.mesh.routing.NodeActor.Send(utf8("remote"), Delivery.END_TO_END, outcome.ref()));
    assertEquals(new Outcome.Delivered(RC, true), outcome.expectMessageClass(Outcome.Delivered.class, WAIT));
    assertEquals(1, n(11).count("data:remote"));
    // a subscriber on C registered with A's mesh gets A's deliveries over the wire
    TestProbe<MeshMessage> remoteSub = kitC.createTestProbe(MeshMessage.class);
    Mesh.get(kitA.system()).subscribe(remoteSub.ref());
    n(4).broadcast("to-remote-sub", 0);
    assertArrayEquals(utf8("to-remote-sub"), remoteSub.expectMessageClass(MeshMessage.FromNode.class, WAIT).payload());
    remoteSub.expectNoMessage(QUIET);
    Mesh.get(kitA.system()).unsubscribe(remoteSub.ref());
    n(11).clear();
  }

  @Test
  @Order(5)
  void answersNotAcknowledgedAndFailedWithTheRadiosError() throws Exception {
    n(1).speaksEnvelope(false);
    try {
      // its radio acks, its application never does: MAC_ACK is delivered, END_TO_END is not
      assertEquals(new Outcome.Delivered(RA, false), send(kitB, 1, "m", Delivery.MAC_ACK));
      assertInstanceOf(Outcome.NotAcknowledged.class, send(kitB, 1, "e", Delivery.END_TO_END));
      assertInstanceOf(Outcome.NotAcknowledged.class,
          Mesh.get(kitB.system()).request(node(1), utf8("q")).toCompletableFuture().get(30, TimeUnit.SECONDS));
    } finally {
      n(1).speaksEnvelope(true);
    }
    radioA.power(false);
    try {
      Outcome.Failed f = assertInstanceOf(Outcome.Failed.class, send(kitC, 2, "x", Delivery.MAC_ACK));
      assertEquals(io.nowmesh.actors.espnow.EspNowError.ESP_ERR_ESPNOW_NOT_INIT, f.error());
    } finally {
      radioA.power(true);
    }
    n(1).clear();
    n(2).clear();
  }

  @Test
  @Order(6)
  void fallsBackToTheNextBestGatewayWhenTheBestFails() throws Exception {
    assertEquals(RC, routes(kitA, 9).get(0).radio());
    // C's radio refuses (switched off while C lives): the send goes through B instead
    radioC.power(false);
    try {
      assertEquals(new Outcome.Delivered(RB, true), send(kitA, 9, "fallback-1", Delivery.END_TO_END));
    } finally {
      radioC.power(true);
    }
    // n9 moved out of C's reach; C's sighting is still fresh, so C is tried first and gets no MAC ack
    air.unlink(node(9), RC);
    try {
      assertEquals(new Outcome.Delivered(RB, false), send(kitA, 9, "fallback-2", Delivery.MAC_ACK));
    } finally {
      air.link(node(9), RC, -40);
    }
    assertEquals(1, n(9).count("data:fallback-1"));
    assertEquals(1, n(9).count("data:fallback-2"));
    n(9).clear();
  }

  @Test
  @Order(7)
  void hopLimitZeroIsDeliveredButNotReAired() {
    List<TestProbe<MeshMessage>> subs = subscribers();
    long id = n(1).broadcast("no-hops", 0);
    for (TestProbe<MeshMessage> p : subs) {
      assertArrayEquals(utf8("no-hops"), p.expectMessageClass(MeshMessage.FromNode.class, WAIT).payload());
    }
    // only n1's neighbours (near A) hear it, directly; no gateway re-airs it
    awaitCounts("data:no-hops", neighbours(1), Set.of(1));
    assertAirings(node(1), id, 0, 0, 0);
    expectQuiet(subs);
    awaitCounts("data:no-hops", neighbours(1), Set.of(1));
    unsubscribe(subs);
  }

  @Test
  @Order(8)
  void nodeBroadcastReachesEveryNodeAndSubscriberExactlyOnce() {
    // n5: only B hears it, so B does not re-air; A and C do, once each
    broadcastAndCount(5, "hello-1", 1, 0, 1);
  }

  @Test
  @Order(10)
  void nodeHeardOnlyByAIsReAiredOnceByBAndCAndNotByA() {
    broadcastAndCount(1, "only-a", 0, 1, 1);
  }

  @Test
  @Order(11)
  void nodeHeardByAAndBIsReAiredOnlyByC() {
    broadcastAndCount(3, "a-and-b", 0, 0, 1);
  }

  @Test
  @Order(12)
  void clusterCopyOvertakingTheLocalRadioDoesNotMakeBReAir() throws Exception {
    // B's serial path is slow: the frames topic tells B about n3's broadcast before B's radio does
    radioB.holdIncoming();
    List<TestProbe<MeshMessage>> subs = subscribers();
    GatewayCounters before = counters(kitB);
    long id;
    try {
      id = n(3).broadcast("overtaken", 3);
      MeshMessage.FromNode onB = subs.get(1).expectMessageClass(MeshMessage.FromNode.class, WAIT);
      assertEquals(RA, onB.heardBy()); // B's system has the cluster copy
      kitB.createTestProbe().awaitAssert(WAIT, () -> {
        assertEquals(1, counters(kitB).get(GatewayCounter.REAIRS_HELD) - before.get(GatewayCounter.REAIRS_HELD));
        return null; // B's gateway holds the re-air for the grace period
      });
    } finally {
      radioB.release(); // well within MeshTestConfig's reair-grace: B hears the original and cancels
    }
    kitB.createTestProbe().awaitAssert(WAIT, () -> {
      assertEquals(1, counters(kitB).get(GatewayCounter.REAIRS_CANCELLED) - before.get(GatewayCounter.REAIRS_CANCELLED));
      // B's radio heard the original, so B publishes it too although A's copy came first: A's copy
      // may not have reached every member (a partition forming); the inboxes drop the second copy
      assertEquals(1, counters(kitB).get(GatewayCounter.PUBLISHED) - before.get(GatewayCounter.PUBLISHED));
      return null;
    });
    subs.get(0).expectMessageClass(MeshMessage.FromNode.class, WAIT);
    subs.get(2).expectMessageClass(MeshMessage.FromNode.class, WAIT);
    awaitEveryNodeOnce("data:overtaken", Set.of(3));
    assertAirings(node(3), id, 0, 0, 1);
    expectQuiet(subs);
    assertEveryNodeCount("data:overtaken", 1, Set.of(3));
    unsubscribe(subs);
  }

  @Test
  @Order(9)
  void nodeBroadcastStillExactlyOnceWhenGatewaysHearEachOther() {
    air.link(RA, RB, -60);
    air.link(RB, RC, -60);
    air.link(RA, RC, -70);
    try {
      broadcastAndCount(5, "hello-2", 1, 0, 1);
      // an application broadcast too: every node once, no application subscriber
      List<TestProbe<MeshMessage>> subs = subscribers();
      Mesh.get(kitB.system()).broadcast(utf8("from-app"));
      awaitEveryNodeOnce("data:from-app", Set.of());
      expectQuiet(subs);
      assertEveryNodeCount("data:from-app", 1, Set.of());
      unsubscribe(subs);
    } finally {
      air.unlink(RA, RB);
      air.unlink(RB, RC);
      air.unlink(RA, RC);
    }
  }

  /** Node {@code i} broadcasts: every other node and every subscriber once; each gateway air as expected. */
  private void broadcastAndCount(int i, String text, int airsA, int airsB, int airsC) {
    List<TestProbe<MeshMessage>> subs = subscribers();
    long id = n(i).broadcast(text, 3);
    for (TestProbe<MeshMessage> p : subs) {
      MeshMessage.FromNode m = p.expectMessageClass(MeshMessage.FromNode.class, WAIT);
      assertEquals(node(i), m.origin());
      assertArrayEquals(utf8(text), m.payload());
    }
    awaitEveryNodeOnce("data:" + text, Set.of(i));
    assertAirings(node(i), id, airsA, airsB, airsC);
    expectQuiet(subs);
    assertEveryNodeCount("data:" + text, 1, Set.of(i));
    assertEquals(0, n(i).count("data:" + text));
    unsubscribe(subs);
  }

  /**
   * Waits until the gateway radios aired (origin, id) exactly this often, then checks that after a
   * quiet period longer than the re-air grace nobody aired it again.
   */
  static void assertAirings(Mac origin, long id, int a, int b, int c) {
    kitA.createTestProbe().awaitAssert(WAIT, () -> {
      assertEquals(List.of(a, b, c), List.of(radioA.airings(origin, id), radioB.airings(origin, id),
          radioC.airings(origin, id)), "airings by gateway A, B, C");
      return null;
    });
    kitA.createTestProbe().expectNoMessage(MeshTestConfig.REAIR_GRACE.plus(QUIET));
    assertEquals(List.of(a, b, c), List.of(radioA.airings(origin, id), radioB.airings(origin, id),
        radioC.airings(origin, id)), "airings by gateway A, B, C after the grace period");
  }

  @Test
  @Order(13)
  void rawFrameHeardByTwoGatewaysIsDeliveredOnce() {
    List<TestProbe<MeshMessage>> subs = subscribers();
    n(3).sendRawBroadcast("raw-reading");
    for (TestProbe<MeshMessage> p : subs) {
      MeshMessage.Raw m = p.expectMessageClass(MeshMessage.Raw.class, WAIT);
      assertEquals(node(3), m.source());
      assertArrayEquals(utf8("raw-reading"), m.payload());
    }
    expectQuiet(subs);
    unsubscribe(subs);
  }

  @Test
  @Order(14)
  void multicastReachesGroupMembersOnly() {
    Group g = new Group(5);
    Set<Integer> members = Set.of(2, 6, 11, 12);
    members.forEach(i -> n(i).join(g));
    List<TestProbe<MeshMessage>> groupSubs = new ArrayList<>();
    for (ActorTestKit k : List.of(kitA, kitB, kitC)) {
      TestProbe<MeshMessage> p = k.createTestProbe(MeshMessage.class);
      Mesh.get(k.system()).subscribe(g, p.ref());
      groupSubs.add(p);
    }
    List<TestProbe<MeshMessage>> plainSubs = subscribers();
    // from an application on A
    Mesh.get(kitA.system()).multicast(g, utf8("to-group"));
    awaitCounts("data:to-group", members, Set.of());
    // from node 6, a member: the other members once, nobody else, group subscribers once
    long fromSix = n(6).sendGroup(g, "from-6");
    for (TestProbe<MeshMessage> p : groupSubs) {
      MeshMessage.FromNode m = p.expectMessageClass(MeshMessage.FromNode.class, WAIT);
      assertEquals(g.mac(), m.destination());
      assertArrayEquals(utf8("from-6"), m.payload());
    }
    awaitCounts("data:from-6", Set.of(2, 11, 12), Set.of(6));
    assertAirings(node(6), fromSix, 1, 0, 1); // only B heard n6: A and C re-air once, B not at all
    expectQuiet(groupSubs);
    plainSubs.forEach(p -> p.expectNoMessage(Duration.ofMillis(100)));
    awaitCounts("data:to-group", members, Set.of());
    awaitCounts("data:from-6", Set.of(2, 11, 12), Set.of(6));
    unsubscribe(plainSubs);
    unsubscribe(groupSubs);
  }

  @Test
  @Order(15)
  void crashOfCReroutesSharedNodesThroughBAndLeavesCOnlyNodesWithoutRoute() throws Exception {
    radioC.power(false);
    kitC.system().terminate(); // no graceful leave: A and B must notice by failure detection
    TestProbe<Object> probe = kitA.createTestProbe();
    long crashAt = System.nanoTime();
    probe.awaitAssert(WAIT, () -> {
      assertEquals(new Outcome.NoRoute(node(11)), send(kitA, 11, "lost", Delivery.MAC_ACK));
      return null;
    });
    long noticedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - crashAt);
    assertEquals(true, noticedMs < 15_000, "C's routes dropped after " + noticedMs + " ms");
    // B's failure detector decides on its own; give it the same bound
    probe.awaitAssert(WAIT, () -> {
      assertEquals(new Outcome.NoRoute(node(12)), send(kitB, 12, "lost", Delivery.MAC_ACK));
      return null;
    });
    assertEquals(new Outcome.Delivered(RB, true), send(kitA, 9, "via-b", Delivery.END_TO_END));
    assertEquals(new Outcome.Delivered(RB, true), send(kitB, 10, "via-b", Delivery.END_TO_END));
    assertEquals(1, n(9).count("data:via-b"));
    assertEquals(1, n(10).count("data:via-b"));
    assertEquals(0, n(11).count("data:lost"));
    assertEquals(0, n(12).count("data:lost"));
  }

  @Test
  @Order(16)
  void cRestartsRejoinsAndRelearnsItsNodes() throws Exception {
    kitC.system().getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    kitC = ActorTestKit.create(ActorSystem.create(Behaviors.empty(), "nowmesh", MeshTestConfig.gateway(true)));
    Cluster.get(kitC.system()).manager().tell(Join.create(Cluster.get(kitA.system()).selfMember().address()));
    radioC.power(true);
    Mesh.get(kitC.system()).attach(radioC);
    awaitMeshOf(List.of(kitA, kitB, kitC));
    beaconAll();
    TestProbe<Object> probe = kitA.createTestProbe();
    probe.awaitAssert(WAIT, () -> {
      assertEquals(List.of(RC, RB), routes(kitA, 9).stream().map(Route::radio).toList());
      assertEquals(List.of(RC), routes(kitA, 11).stream().map(Route::radio).toList());
      return null;
    });
    assertEquals(new Outcome.Delivered(RC, true), send(kitA, 11, "back", Delivery.END_TO_END));
    assertEquals(1, n(11).count("data:back"));
  }

  // ------------------------------------------------------------------ helpers

  static List<TestProbe<MeshMessage>> subscribers() {
    List<TestProbe<MeshMessage>> subs = new ArrayList<>();
    for (ActorTestKit k : List.of(kitA, kitB, kitC)) {
      TestProbe<MeshMessage> p = k.createTestProbe(MeshMessage.class);
      Mesh.get(k.system()).subscribe(p.ref());
      subs.add(p);
    }
    return subs;
  }

  /** No duplicate anywhere: the first probe waits the quiet period, the others were waiting meanwhile. */
  static void expectQuiet(List<TestProbe<MeshMessage>> subs) {
    subs.get(0).expectNoMessage(QUIET);
    subs.subList(1, subs.size()).forEach(p -> p.expectNoMessage(Duration.ofMillis(50)));
  }

  static void unsubscribe(List<TestProbe<MeshMessage>> subs) {
    List<ActorTestKit> kits = List.of(kitA, kitB, kitC);
    for (int i = 0; i < subs.size(); i++) {
      Mesh.get(kits.get(i).system()).unsubscribe(subs.get(i).ref());
    }
  }

  static void awaitEveryNodeOnce(String entry, Set<Integer> except) {
    Set<Integer> expected = new java.util.HashSet<>();
    for (int i = 1; i <= 12; i++) {
      if (!except.contains(i)) {
        expected.add(i);
      }
    }
    awaitCounts(entry, expected, except);
  }

  /** Waits until exactly {@code members} got {@code entry} once; everybody else zero times. */
  static void awaitCounts(String entry, Set<Integer> members, Set<Integer> ignore) {
    kitA.createTestProbe().awaitAssert(WAIT, () -> {
      for (int i = 1; i <= 12; i++) {
        if (!ignore.contains(i)) {
          assertEquals(members.contains(i) ? 1 : 0, n(i).count(entry), "node " + i + " got " + entry);
        }
      }
      return null;
    });
  }

  static void assertEveryNodeCount(String entry, int count, Set<Integer> except) {
    for (int i = 1; i <= 12; i++) {
      if (!except.contains(i)) {
        assertEquals(count, n(i).count(entry), "node " + i + " got " + entry);
      }
    }
  }
}
