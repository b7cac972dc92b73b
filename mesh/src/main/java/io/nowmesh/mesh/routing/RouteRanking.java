package io.nowmesh.mesh.routing;

import akka.actor.typed.ActorRef;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.mesh.gateway.Gateway;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Turns a node's replicated sightings into ranked routes: only through live gateways, only if
 * younger than the route TTL, best score first where {@code score = rssi - penalty x age(s)}, so a
 * fresh weaker signal beats a strong one that has gone quiet.
 */
public final class RouteRanking {
  private RouteRanking() {}

  /**
   * @param live gateways that are Up, reachable and registered, keyed by "address#uid"
   */
  public static List<Route> rank(Mac node, List<Sighting> sightings, Map<String, ActorRef<Gateway.Command>> live,
      long nowMillis, long ttlMillis, double penaltyDbPerSecond) {
    List<Route> routes = new ArrayList<>();
    for (Sighting s : sightings) {
      ActorRef<Gateway.Command> gw = live.get(s.gateway() + "#" + s.gatewayUid());
      long age = Math.max(0, nowMillis - s.lastSeen());
      if (gw == null || age > ttlMillis) {
        continue;
      }
      double score = s.rssi() - penaltyDbPerSecond * age / 1000.0;
      routes.add(new Route(node, Mac.ofLong(s.radio()), gw, s.rssi(), s.lastSeen(), score));
    }
    routes.sort(Comparator.comparingDouble(Route::score).reversed());
    return List.copyOf(routes);
  }
}
