package io.nowmesh.examples.cluster;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.mesh.Mesh;
import io.nowmesh.mesh.routing.Route;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * This process as a client member of a running mesh (cluster role "client", no radios): what
 * {@code nowmesh send/listen/ping} use. {@link #join} returns once the member is Up and the mesh
 * reaches at least one gateway; {@link #close} leaves the cluster gracefully.
 */
public final class MeshClient implements AutoCloseable {
  private final ActorSystem<Void> system;

  private MeshClient(ActorSystem<Void> system) {
    this.system = system;
  }

  /**
   * Joins the mesh through {@code seeds} ("host:port"), listening on {@code bindHost} and a free port.
   *
   * @throws TimeoutException with a message saying what to check, if the mesh did not answer in time
   */
  public static MeshClient join(List<String> seeds, String bindHost, Duration timeout, Config extra)
      throws TimeoutException, InterruptedException {
    Config c = ClusterConfig.load(ClusterConfig.member(bindHost, 0, ClusterConfig.ROLE_CLIENT, seeds)
        .withFallback(extra)
        .withFallback(ConfigFactory.parseString(String.join("\n",
            "akka.loglevel = ERROR",
            "akka.coordinated-shutdown.run-by-jvm-shutdown-hook = off",
            "akka.cluster.jmx.enabled = off",
            // a client leaves by itself; it must not make the gateways wait for it
            "akka.cluster.split-brain-resolver.stable-after = 7s"))));
    c = io.nowmesh.mesh.security.TlsSettings.from(c).applyTo(c); // a TLS mesh admits only certificate holders
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), ClusterConfig.SYSTEM_NAME, c);
    MeshClient client = new MeshClient(system);
    try {
      Mesh.get(system);
      client.awaitUp(seeds, timeout);
      return client;
    } catch (TimeoutException | InterruptedException | RuntimeException e) {
      client.close();
      throw e;
    }
  }

  private void awaitUp(List<String> seeds, Duration timeout) throws TimeoutException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Cluster cluster = Cluster.get(system);
    while (System.nanoTime() < deadline) {
      if (cluster.selfMember().status() == MemberStatus.up() && frameTopicPeers() > 1) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(100); // membership arrives by gossip; poll it
    }
    throw new TimeoutException("could not join the mesh through " + String.join(", ", seeds) + " within "
        + timeout.toSeconds() + " s: is a gateway running there (nowmesh gateway, or nowmesh demo --base-port)?");
  }

  private int frameTopicPeers() {
    try {
      return Mesh.get(system).frameTopicPeers().toCompletableFuture().get(3, TimeUnit.SECONDS);
    } catch (Exception e) {
      return 0;
    }
  }

  public Mesh mesh() {
    return Mesh.get(system);
  }

  public ActorSystem<Void> system() {
    return system;
  }

  /**
   * The routes to {@code node}, waiting up to {@code timeout} for the replicated routing table to
   * reach this new member; empty if no gateway has heard the node.
   */
  public List<Route> awaitRoutes(Mac node, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<Route> routes;
      try {
        routes = mesh().routes(node).toCompletableFuture().get(3, TimeUnit.SECONDS);
      } catch (Exception e) {
        routes = List.of();
      }
      if (!routes.isEmpty() || System.nanoTime() > deadline) {
        return routes;
      }
      TimeUnit.MILLISECONDS.sleep(100); // routes arrive by Distributed Data gossip
    }
  }

  /** Leaves the cluster (so the gateways do not see an unreachable member) and stops. */
  @Override
  public void close() {
    system.terminate(); // coordinated shutdown: leave the cluster, then stop
    try {
      system.getWhenTerminated().toCompletableFuture().get(15, TimeUnit.SECONDS);
    } catch (Exception e) {
      system.terminate();
    }
  }
}
