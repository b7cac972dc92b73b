package io.nowmesh.examples.cluster;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.nowmesh.mesh.Mesh;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.StreamSupport;

/**
 * Several gateways in one process: one ActorSystem each, on 127.0.0.1, joined into one cluster.
 * Used by the demo, the examples and their tests. {@link #awaitReady} returns once every member
 * sees every gateway up, routable and subscribed to the frames topic.
 */
public final class LocalMesh implements AutoCloseable {
  private final List<ActorSystem<Void>> systems = new ArrayList<>();

  private LocalMesh() {}

  /**
   * Starts {@code count} gateways. {@code basePort} 0 picks free ports; otherwise gateway i listens
   * on basePort + i. {@code extra} is layered over the in-process timings.
   */
  public static LocalMesh start(int count, int basePort, Config extra) {
    LocalMesh m = new LocalMesh();
    try {
      for (int i = 0; i < count; i++) {
        Config c = ClusterConfig.member("127.0.0.1", basePort == 0 ? 0 : basePort + i, ClusterConfig.ROLE_GATEWAY,
                List.of())
            .withFallback(extra)
            .withFallback(ClusterConfig.inProcess());
        c = ClusterConfig.load(c);
        m.systems.add(ActorSystem.create(Behaviors.empty(), ClusterConfig.SYSTEM_NAME, c));
      }
      var first = Cluster.get(m.systems.get(0)).selfMember().address();
      for (ActorSystem<Void> s : m.systems) {
        Cluster.get(s).manager().tell(Join.create(first));
        Mesh.get(s); // start the gateway now, so it registers while the cluster forms
      }
      return m;
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
  }

  public static LocalMesh start(int count) {
    return start(count, 0, ConfigFactory.empty());
  }

  public int size() {
    return systems.size();
  }

  public ActorSystem<Void> system(int i) {
    return systems.get(i);
  }

  public Mesh mesh(int i) {
    return Mesh.get(systems.get(i));
  }

  public List<ActorSystem<Void>> systems() {
    return List.copyOf(systems);
  }

  /** Cluster address of gateway i, e.g. to use it as a seed: "127.0.0.1:25520". */
  public String hostPort(int i) {
    var a = Cluster.get(systems.get(i)).selfMember().address();
    return a.getHost().orElse("127.0.0.1") + ":" + a.getPort().orElse(0);
  }

  /** Blocks until every member sees all gateways up, live and on the frames topic. */
  public void awaitReady(Duration timeout) throws TimeoutException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "not checked yet";
    while (System.nanoTime() < deadline) {
      last = notReadyBecause();
      if (last == null) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(100); // polling a remote view; there is no event for "all of these at once"
    }
    throw new TimeoutException("the mesh was not ready within " + timeout.toSeconds() + " s: " + last);
  }

  /** Null when ready, else what is missing (for the timeout message). */
  private String notReadyBecause() throws InterruptedException {
    int n = systems.size();
    for (ActorSystem<Void> s : systems) {
      Cluster c = Cluster.get(s);
      long up = StreamSupport.stream(c.state().getMembers().spliterator(), false)
          .filter(m -> m.status() == MemberStatus.up()).count();
      if (up != n) {
        return c.selfMember().address() + " sees " + up + " of " + n + " members up";
      }
      try {
        int live = Mesh.get(s).liveGateways().toCompletableFuture().get(3, TimeUnit.SECONDS);
        int topic = Mesh.get(s).frameTopicPeers().toCompletableFuture().get(3, TimeUnit.SECONDS);
        if (live < n || topic < n) {
          return c.selfMember().address() + " routes through " + live + " and reaches " + topic + " of " + n
              + " gateways";
        }
      } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
        return "asking " + c.selfMember().address() + ": " + e;
      }
    }
    return null;
  }

  /** Terminates every system and waits (bounded) for them to stop. */
  @Override
  public void close() {
    systems.forEach(ActorSystem::terminate);
    for (ActorSystem<Void> s : systems) {
      try {
        s.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
      } catch (Exception e) {
        // best effort: the process is ending anyway
      }
    }
  }
}
