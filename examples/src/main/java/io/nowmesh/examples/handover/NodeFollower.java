package io.nowmesh.examples.handover;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Behaviors;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.actors.sim.SimulatedAir;
import io.nowmesh.examples.cluster.LocalMesh;
import io.nowmesh.examples.sim.AirRadioPort;
import io.nowmesh.examples.sim.LeafNode;
import io.nowmesh.mesh.MeshMessage;
import io.nowmesh.mesh.Outcome;
import io.nowmesh.mesh.routing.NodeActor;
import io.nowmesh.mesh.routing.Route;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A mesh-aware application that follows a node as it moves between gateways. A tracker walks from
 * gateway 1 to gateway 2 (150 m apart), beaconing as it goes; the application watches the mesh's
 * replicated routing table and reports each hand-over: the gateway radio that now hears the node
 * best. Messages to the node follow it, because every send is routed afresh by RSSI and recency.
 *
 * <p>Run: {@code ./nowmesh example handover}.
 */
public final class NodeFollower {
  public static final Mac GW1 = Mac.parse("30:ae:a4:00:d0:01");
  public static final Mac GW2 = Mac.parse("30:ae:a4:00:d0:02");
  public static final Mac TRACKER = Mac.parse("24:0a:c4:00:d0:0f");

  /** A change of the best route: the node is now best heard by {@code radio} at {@code rssi}. */
  public record HandOver(double x, Mac radio, int rssi) {}

  /** What the walk showed: the hand-overs, and how a message sent at each end was delivered. */
  public record Result(List<HandOver> handOvers, Outcome atStart, Outcome atEnd, int messagesHeard) {}

  private NodeFollower() {}

  public static void main(String[] args) throws Exception {
    Result r = run(h -> System.out.printf("x=%5.1f m: best heard by %s (%s) at %d dBm%n", h.x(), h.radio(),
        h.radio().equals(GW1) ? "gateway 1" : "gateway 2", h.rssi()));
    System.out.println("message at the start: " + r.atStart());
    System.out.println("message at the end:   " + r.atEnd());
  }

  public static Result run(Consumer<HandOver> report) throws Exception {
    SimulatedAir air = new SimulatedAir();
    try (LocalMesh mesh = LocalMesh.start(2)) {
      mesh.mesh(0).attach(new AirRadioPort(air, GW1, 0, 0, 1));
      mesh.mesh(1).attach(new AirRadioPort(air, GW2, 150, 0, 1));
      List<String> heard = new CopyOnWriteArrayList<>();
      try (LeafNode tracker = new LeafNode(air, TRACKER, 5, 0, 1)) {
        tracker.onMessage(d -> heard.add(new String(d.payload(), StandardCharsets.UTF_8)));
        ActorRef<MeshMessage> sink = mesh.system(0).systemActorOf(Behaviors.<MeshMessage>receiveMessage(
            m -> Behaviors.same()), "beacons", Props.empty());
        mesh.mesh(0).subscribe(sink);
        mesh.awaitReady(Duration.ofSeconds(60));
        List<HandOver> handOvers = new CopyOnWriteArrayList<>();
        Mac best = null;
        Outcome atStart = null;
        for (double x = 5; x <= 145.01; x += 10) {
          tracker.radio().moveTo(x, 0);
          Route r = awaitBestRouteHeardAt(mesh, air, tracker, x);
          if (!r.radio().equals(best)) {
            best = r.radio();
            HandOver h = new HandOver(x, r.radio(), r.rssi());
            handOvers.add(h);
            report.accept(h);
          }
          if (atStart == null) {
            atStart = send(mesh, "hello at the start");
          }
        }
        Outcome atEnd = send(mesh, "hello at the end");
        return new Result(List.copyOf(handOvers), atStart, atEnd, heard.size());
      }
    }
  }

  /**
   * Beacons from x (as a tracker does, a few times a second) until the routing table has taken it
   * in: the best radio's sighting is fresher than the move. A gateway rewrites a sighting when the
   * RSSI moved by sighting-rssi-delta or it is sighting-refresh old, so this takes at most about that.
   * A route through a radio that cannot hear x is not taken even if fresh: on a busy host a beacon
   * from the previous position can be processed after the move and refresh the old gateway's sighting.
   */
  private static Route awaitBestRouteHeardAt(LocalMesh mesh, SimulatedAir air, LeafNode tracker, double x)
      throws Exception {
    long movedAt = System.currentTimeMillis();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    Route last = null;
    int beacons = 0;
    while (System.nanoTime() < deadline) {
      if (beacons++ % 3 == 0) {
        tracker.broadcast(("beacon@" + x).getBytes(StandardCharsets.UTF_8));
      }
      List<Route> routes = mesh.mesh(0).routes(TRACKER).toCompletableFuture().get(3, TimeUnit.SECONDS);
      if (!routes.isEmpty()) {
        last = routes.get(0);
        boolean inRange = air.rssiBetween(last.radio(), TRACKER)
            .map(rssi -> rssi >= air.settings().sensitivityDbm()).orElse(false);
        if (last.lastSeen() >= movedAt - 50 && inRange) {
          return last;
        }
      }
      TimeUnit.MILLISECONDS.sleep(100); // routes replicate by gossip
    }
    if (last == null) {
      throw new java.util.concurrent.TimeoutException("no route to the tracker at x=" + x);
    }
    return last;
  }

  private static Outcome send(LocalMesh mesh, String text) throws Exception {
    return mesh.mesh(0).send(TRACKER, text.getBytes(StandardCharsets.UTF_8), NodeActor.Delivery.END_TO_END)
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
