package io.nowmesh.mesh.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.mesh.gateway.Gateway;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class RouteRankingTest {
  // only refs are needed: a local system (no cluster, no port) starts and stops fast
  static final ActorTestKit testKit = ActorTestKit.create(com.typesafe.config.ConfigFactory
      .parseString("akka.actor.provider = local").withFallback(com.typesafe.config.ConfigFactory.load()));
  static final ActorRef<Gateway.Command> gwB = testKit.<Gateway.Command>createTestProbe().ref();
  static final ActorRef<Gateway.Command> gwC = testKit.<Gateway.Command>createTestProbe().ref();
  static final Mac NODE = Mac.parse("24:0a:c4:00:00:09");
  static final long RB = 0xaa000000000bL;
  static final long RC = 0xaa000000000cL;
  static final long NOW = 1_000_000L;

  @AfterAll
  static void cleanup() {
    testKit.shutdownTestKit();
  }

  static Sighting seen(long radio, String gw, int rssi, long agoMs) {
    return new Sighting(NODE.toLong(), radio, gw, 1L, rssi, NOW - agoMs);
  }

  static List<Long> radios(List<Route> routes) {
    return routes.stream().map(r -> r.radio().toLong()).toList();
  }

  @Test
  void strongerSignalFirstWhenEquallyFresh() {
    List<Route> r = RouteRanking.rank(NODE, List.of(seen(RB, "b", -75, 0), seen(RC, "c", -40, 0)),
        Map.of("b#1", gwB, "c#1", gwC), NOW, 60_000, 2.0);
    assertEquals(List.of(RC, RB), radios(r));
    assertEquals(gwC, r.get(0).gateway());
  }

  @Test
  void aFreshWeakerSignalBeatsAStrongOneThatWentQuiet() {
    // -40 dBm heard 30 s ago scores -100; -75 dBm heard now scores -75
    List<Route> r = RouteRanking.rank(NODE, List.of(seen(RB, "b", -75, 0), seen(RC, "c", -40, 30_000)),
        Map.of("b#1", gwB, "c#1", gwC), NOW, 60_000, 2.0);
    assertEquals(List.of(RB, RC), radios(r));
  }

  @Test
  void dropsSightingsOlderThanTheTtlAndThroughGatewaysThatAreNotLive() {
    assertEquals(List.of(RB), radios(RouteRanking.rank(NODE,
        List.of(seen(RB, "b", -75, 0), seen(RC, "c", -40, 61_000)), Map.of("b#1", gwB, "c#1", gwC), NOW, 60_000, 2.0)));
    assertEquals(List.of(RB), radios(RouteRanking.rank(NODE,
        List.of(seen(RB, "b", -75, 0), seen(RC, "c", -40, 0)), Map.of("b#1", gwB), NOW, 60_000, 2.0)));
    // a restarted gateway has a new uid: the old incarnation's sighting is not a route
    assertEquals(List.of(), radios(RouteRanking.rank(NODE,
        List.of(seen(RC, "c", -40, 0)), Map.of("c#2", gwC), NOW, 60_000, 2.0)));
  }
}
