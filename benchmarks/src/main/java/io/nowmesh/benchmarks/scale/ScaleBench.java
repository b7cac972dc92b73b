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
 * Benchmark 5: nodes spread over 5 gateways, each gateway's radio hearing a fifth of them. The 5
 * gateways are 5 ActorSystems in this one JVM (clustered over Artery TCP on 127.0.0.1, as in the
 * mesh's tests), so memory is the heap growth after full GCs divided by 5: every gateway holds the
 * whole replicated table. Runs 1,000 nodes first (a reference point), then the 10,000; a
 * size that does not converge is reported with what went wrong rather than hidden.
 */
public final class ScaleBench {
  private static final int GATEWAYS = 5;
  private static final int FILL_PER_SECOND = 2_000;
  private static final int[] SIZES = {1_000, 10_000};
  /** --quick: convergence work grows faster than the table, and this size converges in a few seconds. */
  private static final int QUICK_SIZE = 500;

  record Result(int nodes, long heapGrowth, double fillSeconds, List<Long> newNode, int slowAnswers, String failure,
      long peakHeap) {}

  private ScaleBench() {}

  public static String run(boolean quick) throws Exception {
    List<Result> results = new ArrayList<>();
    for (int size : quick ? new int[] {QUICK_SIZE} : SIZES) {
      results.add(size(size, quick ? 1 : 10, quick ? 90 : 150, !quick));
      System.err.println("scale " + results.get(results.size() - 1));
    }
    return render(results);
  }

  /**
   * {@code awaitShutdown} false (--quick, whose last section this is): the systems are told to
   * terminate but not waited for (~3 s of cluster leave), and the bench/run JVM's exit does not run
   * their coordinated shutdown again.
   */
  private static Result size(int nodes, int probes, int convergeSeconds, boolean awaitShutdown) throws Exception {
    List<ActorSystem<Void>> systems = new ArrayList<>();
    List<BenchRadio> radios = new ArrayList<>();
    int[] slow = {0};
    long before = 0;
    // peak heap while filling: shows a table that grows without bound rather than converging
    java.util.concurrent.atomic.AtomicLong peak = new java.util.concurrent.atomic.AtomicLong();
    java.util.concurrent.ScheduledExecutorService sampler = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    sampler.scheduleAtFixedRate(() -> peak.accumulateAndGet(
        ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max), 0, 200, TimeUnit.MILLISECONDS);
    double fillSeconds = Double.NaN;
    long t0 = System.nanoTime();
    try {
      int seed = GatewayHandle.freePort();
      // the five systems are created in parallel (start-up, not the measurement, dominates short runs)
      java.util.concurrent.ExecutorService creators = java.util.concurrent.Executors.newFixedThreadPool(GATEWAYS);
      List<java.util.concurrent.Future<ActorSystem<Void>>> created = new ArrayList<>();
      for (int i = 0; i < GATEWAYS; i++) {
        int port = i == 0 ? seed : GatewayHandle.freePort();
        created.add(creators.submit(() -> ActorSystem.create(Behaviors.empty(), "nowmesh", ConfigFactory.parseString(
                "akka.remote.artery.canonical.hostname = \"127.0.0.1\"\n"
                    + "akka.remote.artery.canonical.port = " + port + "\nakka.loglevel = WARNING\n"
                    + "akka.cluster.jmx.multi-mbeans-in-same-jvm = on\n"
                    + "akka.remote.artery.bind.bind-timeout = 30s\n"
                    + "akka.coordinated-shutdown.run-by-jvm-shutdown-hook = " + (awaitShutdown ? "on" : "off") + "\n"
                    // five systems share one JVM (and here a loaded 2-core host): a stall of the whole
                    // JVM must not look like a failure; this benchmark measures routing state, not failover
                    + "akka.cluster.failure-detector.acceptable-heartbeat-pause = 15s\n")
            .withFallback(ConfigFactory.load()))));
      }
      creators.shutdown();
      Exception failed = null;
      for (var f : created) {
        try {
          systems.add(f.get(180, TimeUnit.SECONDS));
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
          failed = failed == null ? e : failed;
        }
      }
      if (failed != null) {
        throw new IllegalStateException("an ActorSystem did not start: " + failed);
      }
      for (int i = 0; i < GATEWAYS; i++) {
        ActorSystem<Void> s = systems.get(i);
        Cluster.get(s).manager().tell(Join.create(Cluster.get(systems.get(0)).selfMember().address()));
        BenchRadio radio = new BenchRadio(Mac.ofLong(0x02_47_57_5C_00_00L | i));
        Mesh.get(s).attach(radio);
        radios.add(radio);
      }
      long formStart = System.nanoTime();
      System.err.printf("scale %d: 5 systems created in %.1f s%n", nodes, (formStart - t0) / 1e9);
      for (ActorSystem<Void> s : systems) {
        while (Mesh.get(s).liveGateways().toCompletableFuture().get(10, TimeUnit.SECONDS) < GATEWAYS) {
          if (System.nanoTime() - formStart > 180e9) {
            throw new IllegalStateException("the 5 gateways did not form a cluster within 180 s");
          }
          Thread.sleep(100); // harness polling
        }
      }
      System.err.printf("scale %d: cluster formed after %.1f s%n", nodes, (System.nanoTime() - t0) / 1e9);
      before = usedHeapAfterGc();

      long fillStart = System.nanoTime();
      // nodes appear at FILL_PER_SECOND in all (a burst of 10,000 at once starves the systems' heartbeats)
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
      long deadline = fillStart + convergeSeconds * 1_000_000_000L;
      for (Mac m : sample) {
        awaitRoutable(systems, m, deadline, slow);
      }
      fillSeconds = (System.nanoTime() - fillStart) / 1e9;
      System.err.printf("scale %d: converged after %.1f s%n", nodes, (System.nanoTime() - t0) / 1e9);
      long after = usedHeapAfterGc();

      List<Long> times = new ArrayList<>();
      for (int p = 0; p < probes; p++) {
        Mac fresh = node(nodes + p);
        BenchRadio r = radios.get(p % GATEWAYS);
        long heardAt = System.nanoTime();
        r.hear(fresh, r.mac(), -45, new byte[] {7});
        awaitRoutable(systems, fresh, heardAt + 60_000_000_000L, slow);
        times.add(System.nanoTime() - heardAt);
      }
      return new Result(nodes, after - before, fillSeconds, times, slow[0], null, peak.get());
    } catch (IllegalStateException e) {
      return new Result(nodes, 0, fillSeconds, List.of(), slow[0], e.getMessage(), peak.get());
    } finally {
      System.err.printf("scale %d: measured after %.1f s, terminating%n", nodes, (System.nanoTime() - t0) / 1e9);
      sampler.shutdownNow();
      systems.forEach(ActorSystem::terminate);
      for (ActorSystem<Void> s : awaitShutdown ? systems : List.<ActorSystem<Void>>of()) {
        s.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
      }
      System.err.printf("scale %d: terminated after %.1f s%n", nodes, (System.nanoTime() - t0) / 1e9);
    }
  }

  static Mac node(int n) {
    return Mac.ofLong(0x02_5C_00_00_00_00L | n);
  }

  /** Polls every system's routing view until each has a route to {@code node}. */
  private static void awaitRoutable(List<ActorSystem<Void>> systems, Mac node, long deadline, int[] slow)
      throws InterruptedException {
    for (ActorSystem<Void> s : systems) {
      while (!routable(s, node, slow)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(node + " was still not routable on all 5 gateways at the deadline");
        }
        Thread.sleep(5); // harness polling
      }
    }
  }

  /** A routing table too busy to answer the mesh's 3 s ask counts as "not yet". */
  private static boolean routable(ActorSystem<Void> s, Mac node, int[] slow) throws InterruptedException {
    try {
      return !Mesh.get(s).routes(node).toCompletableFuture().get(10, TimeUnit.SECONDS).isEmpty();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException busy) {
      slow[0]++;
      return false;
    }
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(300);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static String mib(long bytes) {
    return String.format("%,.0f MiB", bytes / 1048576.0);
  }

  private static String render(List<Result> results) {
    StringBuilder b = new StringBuilder("## 5. Scale: nodes over 5 gateways\n\n");
    b.append("5 gateways as 5 ActorSystems in one JVM, clustered over Artery TCP on 127.0.0.1 (the mesh tests'"
        + " set-up, not 5 processes: the heap is shared, so the per-gateway figure is the growth divided by 5; the"
        + " failure detector's acceptable heartbeat pause is raised to 15 s here so that a stall of the shared JVM"
        + " is not taken for a dead gateway). Each gateway's radio hears a fifth of the nodes once; nodes appear at "
        + String.format("%,d", FILL_PER_SECOND) + "/s in all. The growth includes everything the mesh keeps per"
        + " node: the replicated routing map (one Distributed Data LWWMap, a replica on every gateway), each"
        + " gateway's local view, and the bounded dedup windows. \"Routable\" = `Mesh.routes(node)` non-empty on"
        + " all 5 gateways.\n\n");
    Table t = new Table("nodes", "routing state per gateway", "per node", "all heard → routable everywhere",
        "new node → routable everywhere (median / max)", "look-ups unanswered in 3 s", "peak heap (JVM)", "outcome");
    for (Result r : results) {
      if (r.failure() != null) {
        t.row(String.format("%,d", r.nodes()), "-", "-", "-", "-", Integer.toString(r.slowAnswers()),
            mib(r.peakHeap()), "did not converge: " + r.failure());
        continue;
      }
      List<Long> s = new ArrayList<>(r.newNode());
      Collections.sort(s);
      long perGateway = r.heapGrowth() / GATEWAYS;
      t.row(String.format("%,d", r.nodes()), String.format("%,.1f MiB", perGateway / 1048576.0),
          String.format("%,d B", perGateway / r.nodes()), String.format("%.1f s", r.fillSeconds()),
          String.format("%.2f s / %.2f s (%d probes)", s.get(s.size() / 2) / 1e9, s.get(s.size() - 1) / 1e9, s.size()),
          Integer.toString(r.slowAnswers()), mib(r.peakHeap()), "converged");
    }
    return b.append(t.render()).append("\n").toString();
  }
}
