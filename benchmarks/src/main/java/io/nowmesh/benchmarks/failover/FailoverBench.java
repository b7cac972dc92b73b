package io.nowmesh.benchmarks.failover;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.nowmesh.benchmarks.cluster.GatewayHandle;
import io.nowmesh.benchmarks.report.Table;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Benchmark 4: an application gateway sends to a node every 20 ms; two other gateway JVMs hear that
 * node. The one serving it is killed with SIGKILL (destroyForcibly); we time kill → first message
 * delivered through the other. Shipped failure-detector and SBR settings (mesh reference.conf).
 *
 * <p>A killed gateway stays unreachable until Split Brain Resolver downs and removes it (~12 s with
 * the shipped settings), and a gateway that joins meanwhile once made SBR down the whole cluster. So
 * the gateways of all repetitions are started in parallel and join before the first kill, and the
 * repetitions take turns on {@value #CLUSTERS} independent clusters: while one removes its killed
 * gateway, the other is measured. Each kill happens on a cluster with no unreachable member.
 */
public final class FailoverBench {
  static final long SEND_EVERY_MS = 20;
  private static final int CLUSTERS = 3;

  private FailoverBench() {}

  /** Standalone: starts its own clusters. */
  public static String run(boolean quick, Path out) throws Exception {
    int reps = quick ? 1 : 10;
    Path logs = Files.createDirectories(out.resolve("logs"));
    int clusters = Math.min(CLUSTERS, reps);
    List<Callable<GatewayHandle>> starts = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    for (int c = 0; c < clusters; c++) {
      // this cluster's share of the repetitions, plus the gateway that survives the last one
      int servers = (reps - c + clusters - 1) / clusters + 1;
      List<Callable<GatewayHandle>> s = FailoverCluster.starts("failover" + (char) ('a' + c), servers, logs);
      starts.addAll(s);
      sizes.add(s.size());
    }
    long t0 = System.nanoTime();
    List<GatewayHandle> all = GatewayHandle.startAll(starts);
    List<FailoverCluster> cs = new ArrayList<>();
    int from = 0;
    for (int c = 0; c < clusters; c++) {
      cs.add(FailoverCluster.of("failover" + (char) ('a' + c), all.subList(from, from + sizes.get(c))));
      from += sizes.get(c);
    }
    System.err.printf("failover: %d gateway JVMs started in %.1f s%n", all.size(), (System.nanoTime() - t0) / 1e9);
    return measure(quick, reps, cs, all.size(), (System.nanoTime() - t0) / 1e9);
  }

  /** On three gateways started by the caller (bench/run --quick reuses the cluster benchmark's). */
  public static String run(boolean quick, List<GatewayHandle> trio) throws Exception {
    return measure(quick, 1, List.of(FailoverCluster.of("failover", trio)), trio.size(), Double.NaN);
  }

  private static String measure(boolean quick, int reps, List<FailoverCluster> clusters, int jvms, double bootSeconds)
      throws Exception {
    List<Long> times = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    long t0 = System.nanoTime();
    try {
      for (FailoverCluster c : clusters) {
        c.awaitFormed(Duration.ofSeconds(300)); // 16 JVMs forming 3 clusters at once are slow on a loaded machine
        c.activate();
      }
      System.err.printf("failover: clusters formed after %.1f s%n", (System.nanoTime() - t0) / 1e9);
      for (int rep = 0; rep < reps; rep++) {
        FailoverCluster c = clusters.get(rep % clusters.size());
        try {
          c.awaitArmed(Duration.ofSeconds(120));
          FailoverCluster.Rep r = c.killServing();
          if (r.recoveredNanos() == null) {
            notes.add("repetition " + (rep + 1) + ": nothing delivered through the other gateway within 60 s");
          } else {
            times.add(r.recoveredNanos());
            System.err.printf("failover rep %d (%s): %.0f ms (%d sends failed meanwhile) at %.1f s%n", rep + 1, c.name,
                r.recoveredNanos() / 1e6, r.failedSends(), (System.nanoTime() - t0) / 1e9);
            if (r.failedSends() > 0) {
              notes.add(String.format("repetition %d: %d sends answered with a failure outcome during the gap",
                  rep + 1, r.failedSends()));
            }
          }
          c.activate(); // the next spare starts hearing the node while the other cluster is measured
        } catch (IllegalStateException e) {
          notes.add("stopped after " + times.size() + " measured repetitions: " + e.getMessage());
          break;
        }
      }
    } finally {
      clusters.forEach(FailoverCluster::close);
    }
    return render(quick, reps, clusters, jvms, bootSeconds, times, notes);
  }

  private static String render(boolean quick, int reps, List<FailoverCluster> clusters, int jvms, double bootSeconds,
      List<Long> times, List<String> notes) {
    // the gateways load the same reference.conf (mesh's) from the same classpath, and override none of these
    Config c = ConfigFactory.load().getConfig("akka.cluster");
    StringBuilder b = new StringBuilder("## 4. Failover\n\n");
    b.append(String.format("An application gateway sends to one node every %d ms (MAC-ack delivery); two other"
        + " gateway JVMs hear the node, at RSSI " + FailoverCluster.LOUD + " and " + FailoverCluster.QUIET + " dBm (30 dB"
        + " apart, so that the route preference does not alternate between them). The serving gateway (the one that carried every delivery of the last 0.5 s,"
        + " at least 5) is killed with SIGKILL (`Process.destroyForcibly`);"
        + " measured: kill → first message delivered through the other gateway. %d repetition(s). Failure detector"
        + " and SBR as shipped in mesh/reference.conf: heartbeat-interval %s, acceptable-heartbeat-pause %s,"
        + " threshold %s; %s, active-strategy %s, stable-after %s, down-all-when-unstable %s."
        + " (The gateways' per-source rate limit is raised as in section 3; it plays no part in failover.)%n%n",
        SEND_EVERY_MS, reps, c.getString("failure-detector.heartbeat-interval"),
        c.getString("failure-detector.acceptable-heartbeat-pause"), c.getString("failure-detector.threshold"),
        c.getString("downing-provider-class").replaceAll(".*\\.", ""), c.getString("split-brain-resolver.active-strategy"),
        c.getString("split-brain-resolver.stable-after"), c.getString("split-brain-resolver.down-all-when-unstable")));
    if (clusters.size() > 1) {
      b.append(String.format("Set-up: %d gateway JVMs (" + String.join(" ", GatewayHandle.LIGHT_JVM) + ": C1 and the"
          + " serial GC boot with less CPU; what is measured here is failure-detector and retry time, not speed)"
          + " started in parallel, at most 4 booting at a time (%.0f s), and formed %d independent clusters"
          + " (application + spares) before the first kill; repetitions take turns on the clusters. Before each"
          + " kill, its cluster has every member Up, none unreachable (the gateway killed in its previous repetition"
          + " has been downed by SBR and removed) and routes the node through exactly the two hearing gateways;"
          + " after each kill a spare that joined at start-up starts hearing the node.%n%n", jvms, bootSeconds,
          clusters.size()));
    } else if (quick) {
      b.append("**--quick: 1 repetition, on the three gateway JVMs of the cross-gateway benchmark (gateway 1 is"
          + " the application), indicative only.**\n\n");
    }
    Table t = new Table("repetitions measured", "median", "max", "min", "target (median < 5 s)");
    if (times.isEmpty()) {
      t.row("0 of " + reps, "-", "-", "-", "not met");
    } else {
      List<Long> s = new ArrayList<>(times);
      Collections.sort(s);
      double median = s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2.0;
      t.row(times.size() + " of " + reps, sec(median), sec(s.get(s.size() - 1)), sec(s.get(0)),
          median < 5e9 ? "met" : "not met");
    }
    b.append(t.render()).append("\n\n");
    b.append("Each repetition (s): ");
    List<String> each = new ArrayList<>();
    times.forEach(x -> each.add(String.format("%.2f", x / 1e9)));
    b.append(String.join(", ", each)).append("\n");
    notes.forEach(n -> b.append("\n- ").append(n));
    return b.append(notes.isEmpty() ? "" : "\n").toString();
  }

  private static String sec(double nanos) {
    return String.format("%.2f s", nanos / 1e9);
  }
}
