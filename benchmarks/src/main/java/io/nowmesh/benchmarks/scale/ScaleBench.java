package io.nowmesh.benchmarks.scale;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import com.typesafe.config.ConfigFactory;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.benchmarks.cluster.BenchRadio;
import io.nowmesh.benchmarks.cluster.GatewayHandle;
import io.nowmesh.benchmarks.report.Table;
import io.nowmesh.mesh.Mesh;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark 5: 10,000 nodes over 5 gateways, each gateway's radio hearing 2,000 of them. The 5
 * gateways are 5 ActorSystems in this one JVM (clustered over Artery TCP on 127.0.0.1, as in the
 * mesh's tests), so memory is measured as the heap growth after full GCs divided by 5: every gateway
 * holds the whole replicated table, so the growth is the same on each.
 */
public final class ScaleBench {
  private static final int GATEWAYS = 5;
  private static final int FILL_PER_SECOND = 2_000;

  private ScaleBench() {}

  public static String run(boolean quick) throws Exception {
    int nodes = Integer.getInteger("bench.scale.nodes", 10_000); // smaller only to diagnose
    int probes = quick ? 3 : 10;
    List<ActorSystem<Void>> systems = new ArrayList<>();
    List<BenchRadio> radios = new ArrayList<>();
    try {
      int seed = GatewayHandle.freePort();
      for (int i = 0; i < GATEWAYS; i++) {
        int port = i == 0 ? seed : GatewayHandle.freePort();
        ActorSystem<Void> s = ActorSystem.create(Behaviors.empty(), "nowmesh", ConfigFactory.parseString(
                "akka.remote.artery.canonical.hostname = \"127.0.0.1\"\n"
                    + "akka.remote.artery.canonical.port = " + port + "\nakka.loglevel = WARNING\n")
            .withFallback(ConfigFactory.load()));
        Cluster.get(s).manager().tell(Join.create(Cluster.get(systems.isEmpty() ? s : systems.get(0)).selfMember().address()));
        BenchRadio radio = new BenchRadio(Mac.ofLong(0x02_47_57_5C_00_00L | i));
        Mesh.get(s).attach(radio);
        systems.add(s);
        radios.add(radio);
      }
      long formStart = System.nanoTime();
      for (ActorSystem<Void> s : systems) {
        while (Mesh.get(s).liveGateways().toCompletableFuture().get(10, TimeUnit.SECONDS) < GATEWAYS) {
          if (System.nanoTime() - formStart > 180e9) {
            throw new IllegalStateException("the 5 gateways did not form a cluster within 180 s");
          }
          Thread.sleep(100); // harness polling
        }
      }
      long before = usedHeapAfterGc();

      long fillStart = System.nanoTime();
      // nodes appear at FILL_PER_SECOND (a burst of 10,000 at once starves the five systems' heartbeats)
      for (int n = 0; n < nodes; n++) {
        radios.get(n % GATEWAYS).hear(node(n), radios.get(n % GATEWAYS).mac(), -40 - n % 50, new byte[] {7});
        if (n % 100 == 99) {
          Thread.sleep(100_000 / FILL_PER_SECOND);
        }
      }
      // converged when every system routes a sample of nodes, including the last one each gateway heard
      Random rnd = new Random(1);
      List<Mac> sample = new ArrayList<>();
      for (int k = 0; k < 200; k++) {
        sample.add(node(rnd.nextInt(nodes)));
      }
      for (int k = 1; k <= GATEWAYS; k++) {
        sample.add(node(nodes - k));
      }
      for (Mac m : sample) {
        awaitRoutable(systems, m, quick ? 90 : 180);
      }
      double fillSeconds = (System.nanoTime() - fillStart) / 1e9;
      long after = usedHeapAfterGc();

      List<Long> times = new ArrayList<>();
      for (int p = 0; p < probes; p++) {
        Mac fresh = node(nodes + p);
        BenchRadio r = radios.get(p % GATEWAYS);
        long t0 = System.nanoTime();
        r.hear(fresh, r.mac(), -45, new byte[] {7});
        awaitRoutable(systems, fresh, 120);
        times.add(System.nanoTime() - t0);
      }
      return render(nodes, before, after, fillSeconds, times);
    } finally {
      systems.forEach(ActorSystem::terminate);
      for (ActorSystem<Void> s : systems) {
        s.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    }
  }

  static Mac node(int n) {
    return Mac.ofLong(0x02_5C_00_00_00_00L | n);
  }

  /** Polls every system's routing view until each has a route to {@code node}. */
  private static void awaitRoutable(List<ActorSystem<Void>> systems, Mac node, int timeoutSeconds) throws Exception {
    long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
    for (ActorSystem<Void> s : systems) {
      while (!routable(s, node)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(node + " not routable on every gateway within " + timeoutSeconds + " s");
        }
        Thread.sleep(5); // harness polling
      }
    }
  }

  /** A routing table too busy to answer within the mesh's 3 s ask counts as "not yet". */
  private static boolean routable(ActorSystem<Void> s, Mac node) throws InterruptedException {
    try {
      return !Mesh.get(s).routes(node).toCompletableFuture().get(10, TimeUnit.SECONDS).isEmpty();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException busy) {
      slowAnswers++;
      return false;
    }
  }

  private static int slowAnswers;

  private static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(300);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static String render(int nodes, long before, long after, double fillSeconds, List<Long> times) {
    List<Long> s = new ArrayList<>(times);
    Collections.sort(s);
    long perGateway = (after - before) / GATEWAYS;
    StringBuilder b = new StringBuilder("## 5. Scale: 10,000 nodes over 5 gateways\n\n");
    b.append("5 gateways as 5 ActorSystems in one JVM, clustered over Artery TCP on 127.0.0.1 (the mesh tests'"
        + " set-up; not 5 processes, so the heap is shared and the per-gateway figure is the growth divided by 5)."
        + " Each gateway's radio hears 2,000 distinct nodes once; nodes appear at " + FILL_PER_SECOND + " per second in all. The growth includes everything the mesh keeps"
        + " per node: the replicated routing map (a Distributed Data LWWMap, one replica per gateway), each"
        + " gateway's local view, and the bounded dedup windows.\n\n");
    Table t = new Table("figure", "value");
    t.row("heap growth, all 5 gateways", String.format("%,.1f MiB", (after - before) / 1048576.0));
    t.row("routing state per gateway", String.format("%,.1f MiB (%,d bytes per node)", perGateway / 1048576.0,
        perGateway / nodes));
    t.row("10,000 nodes heard → routable on all 5 gateways (sample of 205)", String.format("%.1f s", fillSeconds));
    t.row("new node heard → routable on all 5 gateways, median of " + s.size(), sec(s.get(s.size() / 2)));
    t.row("… max", sec(s.get(s.size() - 1)));
    t.row("route look-ups not answered within 3 s while filling", Integer.toString(slowAnswers));
    b.append(t.render()).append("\n");
    return b.toString();
  }

  private static String sec(long nanos) {
    return String.format("%.2f s", nanos / 1e9);
  }
}
