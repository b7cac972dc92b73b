package io.nowmesh.benchmarks.cluster;

import io.nowmesh.benchmarks.report.BarChart;
import io.nowmesh.benchmarks.report.Table;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import org.HdrHistogram.Histogram;

/**
 * Benchmark 3: three gateway JVMs on 127.0.0.1. Gateway 1's radio hears broadcasts from 50 nodes;
 * a subscriber on gateway 2 and one on gateway 3 receive them. Run once through the NowMesh cluster
 * and once through the baseline relay (gateway → Mosquitto → gateway), same payloads, same loads.
 */
public final class ClusterBench {
  static final int NODES = 50;
  private static final int[] RATES = {1_000, 5_000, 20_000, 0};
  private static final int[] QUICK_RATES = {1_000}; // --quick: one light level, indicative only

  /** One load level's outcome for one system (latencies in ms, rates per subscriber). */
  record Level(String system, int rate, long sent, double offered, double delivered, double lossPct,
      double p50, double p99, double p999, double max) {}

  private ClusterBench() {}

  /** Standalone: starts both gateway trios (in parallel), measures, stops them. */
  public static String run(boolean quick, Path out, int mqttPort) throws Exception {
    Path logs = Files.createDirectories(out.resolve("logs"));
    var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      var mesh = pool.submit(trio("mesh", 0, logs, quick));
      var mqtt = mqttPort > 0 ? pool.submit(trio("mqtt", mqttPort, logs, quick)) : null;
      return run(quick, out, mqttPort, mesh, mqtt, false);
    } finally {
      pool.shutdown();
    }
  }

  /**
   * Measures on gateway trios started by the caller (possibly while earlier sections ran); closes the
   * MQTT trio, and the mesh trio unless {@code keepMesh} (bench/run --quick hands it on to failover).
   */
  public static String run(boolean quick, Path out, int mqttPort, Future<List<GatewayHandle>> meshTrio,
      Future<List<GatewayHandle>> mqttTrio, boolean keepMesh) throws Exception {
    double seconds = quick ? 2 : 10;
    long maxCount = quick ? 20_000 : 150_000;
    List<Level> mesh;
    List<Level> mqtt = List.of();
    try {
      mesh = runSystem("mesh", meshTrio, seconds, maxCount, quick, keepMesh);
    } catch (Exception e) {
      if (mqttTrio != null) {
        GatewayHandle.closeAll(mqttTrio.get());
      }
      throw e;
    }
    if (mqttTrio != null) {
      mqtt = runSystem("mqtt", mqttTrio, seconds, maxCount, quick, false);
    }
    chart(out.resolve("latency.png"), mesh, mqtt, quick);
    return render(quick, seconds, maxCount, mesh, mqtt, mqttPort);
  }

  /**
   * Boots three gateway JVMs of one mode in parallel (gateway 1 is the seed). --quick uses
   * {@link GatewayHandle#LIGHT_JVM}: measured, three G1/C2 gateways took 35 CPU-s in the quick cluster and
   * failover sections against 16 CPU-s, mostly C2 compiling, which a 2 s level would not outlast anyway.
   */
  public static Callable<List<GatewayHandle>> trio(String mode, int mqttPort, Path logs, boolean quick) {
    List<String> jvm = quick ? GatewayHandle.LIGHT_JVM : GatewayHandle.MEASURED_JVM;
    return () -> {
      int seed = GatewayHandle.freePort();
      List<Callable<GatewayHandle>> starts = new ArrayList<>();
      for (int i = 1; i <= 3; i++) {
        int port = i == 1 ? seed : GatewayHandle.freePort();
        int radio = i;
        starts.add(() -> GatewayHandle.start("gateway" + radio, jvm, mode, port, seed, radio, mqttPort, logs));
      }
      return GatewayHandle.startAll(starts);
    };
  }

  private static List<Level> runSystem(String mode, Future<List<GatewayHandle>> trio, double seconds, long maxCount,
      boolean quick, boolean keep) throws Exception {
    long t0 = System.nanoTime();
    List<GatewayHandle> gws = trio.get();
    boolean ok = false;
    try {
      System.err.printf("cluster %s: 3 JVMs started (waited %.1f s)%n", mode, (System.nanoTime() - t0) / 1e9);
      for (GatewayHandle g : gws) {
        g.ask("READY 3 120000", "READY", Duration.ofSeconds(150));
      }
      System.err.printf("cluster %s: ready after %.1f s%n", mode, (System.nanoTime() - t0) / 1e9);
      GatewayHandle source = gws.get(0);
      List<GatewayHandle> sinks = gws.subList(1, 3);
      for (GatewayHandle s : sinks) {
        s.ask("SUB", "SUBBED", Duration.ofSeconds(30));
      }
      // warm-up: JIT and connections, discarded
      level(source, sinks, mode, 5_000, (long) (5_000 * (quick ? 0.5 : 3)), 1);
      List<Level> levels = new ArrayList<>();
      for (int rate : quick ? QUICK_RATES : RATES) {
        long count = rate == 0 ? maxCount : (long) (rate * seconds);
        levels.add(level(source, sinks, mode, rate, count, 3));
        System.err.printf("cluster %s %s after %.1f s%n", mode, levels.get(levels.size() - 1), (System.nanoTime() - t0) / 1e9);
      }
      ok = true;
      return levels;
    } finally {
      if (!ok || !keep) {
        GatewayHandle.closeAll(gws);
      }
    }
  }

  private static Level level(GatewayHandle source, List<GatewayHandle> sinks, String mode, int rate, long count,
      int stableSeconds) throws Exception {
    for (GatewayHandle s : sinks) {
      s.ask("HIST", "HIST", Duration.ofSeconds(10)); // clears
    }
    String[] sent = source.ask("LOAD " + rate + " " + count + " " + NODES, "SENT", Duration.ofMinutes(5)).split(" ");
    long start = Long.parseLong(sent[2]);
    long end = Long.parseLong(sent[3]);
    drain(sinks, count, stableSeconds);
    Histogram all = new Histogram(60_000_000_000L, 3);
    double rateSum = 0;
    long delivered = 0;
    for (GatewayHandle s : sinks) {
      String[] h = s.ask("HIST", "HIST", Duration.ofSeconds(10)).split(" ");
      long n = Long.parseLong(h[1]);
      long last = Long.parseLong(h[3]);
      delivered += n;
      if (n > 0) {
        all.add(LatencyRecorder.decode(h[4]));
        rateSum += n / ((last - start) / 1e9);
      }
    }
    double offered = count / ((end - start) / 1e9);
    return new Level(mode, rate, count, offered, rateSum / sinks.size(),
        100.0 * (1 - delivered / (double) (count * sinks.size())),
        ms(all.getValueAtPercentile(50)), ms(all.getValueAtPercentile(99)), ms(all.getValueAtPercentile(99.9)),
        ms(all.getMaxValue()));
  }

  /**
   * Waits until both subscribers have everything, or their counts stop moving for {@code stableSeconds}
   * (then the rest is lost; the discarded warm-up waits only 1 s for stragglers).
   */
  private static void drain(List<GatewayHandle> sinks, long count, int stableSeconds) throws Exception {
    long[] last = new long[sinks.size()];
    long stableSince = System.nanoTime();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      boolean all = true;
      boolean moved = false;
      for (int i = 0; i < sinks.size(); i++) {
        long n = Long.parseLong(sinks.get(i).ask("COUNT", "COUNT", Duration.ofSeconds(10)).split(" ")[1]);
        all &= n >= count;
        moved |= n != last[i];
        last[i] = n;
      }
      if (all) {
        return;
      }
      if (moved) {
        stableSince = System.nanoTime();
      } else if (System.nanoTime() - stableSince > stableSeconds * 1_000_000_000L) {
        return;
      }
      Thread.sleep(100); // harness polling
    }
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  static String loadName(int rate) {
    return rate == 0 ? "open-loop max" : String.format("%,d msg/s", rate);
  }

  private static String render(boolean quick, double seconds, long maxCount, List<Level> mesh, List<Level> mqtt,
      int mqttPort) {
    StringBuilder b = new StringBuilder("## 3. Across gateways: NowMesh vs gateway → Mosquitto → gateway\n\n");
    b.append(String.format("Three gateway JVMs on 127.0.0.1; gateway 1's radio hears broadcast DATA"
        + " envelopes (250 bytes on air) from %d nodes; one subscriber on gateway 2 and one on gateway 3."
        + " Each level runs %.1f s" + (quick ? "" : " (open-loop max: %,d messages, as fast as the generator thread goes)")
        + ", after a"
        + " discarded warm-up. Latency = arrival − intended send time (no coordinated omission), both"
        + " subscribers merged in one HdrHistogram. Delivered msg/s is per subscriber. MQTT: Eclipse Paho 1.2.5"
        + " async clients, QoS 0, one topic. Radios are free (ack at once): this is the host/cluster cost only.%n%n",
        NODES, seconds, maxCount));
    b.append("Gateway JVM options: `" + String.join(" ", quick ? GatewayHandle.LIGHT_JVM : GatewayHandle.MEASURED_JVM)
        + "`. The hostile-air guard's per-source rate limit (`nowmesh.mesh.rate-limit`, 20 frames/s and burst 40"
        + String.format(" as shipped) is raised to %,d here: with the shipped limit the %d nodes would be capped at about",
            GatewayProcess.RATE_LIMIT, NODES)
        + String.format(" %,d msg/s in all (measured before this setting: 1,192 msg/s delivered of 5,000 offered).\n\n",
            NODES * 20));
    if (quick) {
      b.append("**--quick: the 1,000 msg/s level only, 2 s each, indicative figures only** (the full run adds 5k,"
          + " 20k msg/s and the open-loop max). The gateway JVMs run C1 only with the serial GC (less start-up and"
          + " JIT CPU; in a 2 s level C2 would still be compiling): not comparable with the default run's figures.\n\n");
    }
    Table t = new Table("system", "offered", "offered msg/s (achieved)", "delivered msg/s", "lost", "p50 ms",
        "p99 ms", "p99.9 ms", "max ms");
    for (Level l : concat(mesh, mqtt)) {
      t.row(l.system().equals("mesh") ? "NowMesh" : "MQTT relay", loadName(l.rate()), String.format("%,.0f", l.offered()),
          String.format("%,.0f", l.delivered()), String.format("%.2f %%", l.lossPct()), f(l.p50()), f(l.p99()),
          f(l.p999()), f(l.max()));
    }
    b.append(t.render()).append("\n\n");
    if (mqtt.isEmpty()) {
      b.append(mqttPort > 0 ? "" : "MQTT relay not run: no broker port given (bench/run starts Mosquitto).\n");
      return b.toString();
    }
    b.append("NowMesh / MQTT ratios (latency: < 1 means NowMesh is faster; delivered: > 1 means NowMesh carries more):\n\n");
    Table r = new Table("offered", "delivered ratio", "p50 ratio", "p99 ratio", "p99.9 ratio",
        "target: p99 ≤ MQTT, max throughput ≥ MQTT");
    for (int i = 0; i < mesh.size(); i++) {
      Level a = mesh.get(i);
      Level m = mqtt.get(i);
      boolean met = a.rate() == 0 ? a.delivered() >= m.delivered() && a.p99() <= m.p99() : a.p99() <= m.p99();
      r.row(loadName(a.rate()), ratio(a.delivered(), m.delivered()), ratio(a.p50(), m.p50()), ratio(a.p99(), m.p99()),
          ratio(a.p999(), m.p999()), met ? "met" : "not met");
    }
    b.append(r.render()).append("\n\n![latency percentiles per load level](latency.png)\n");
    return b.toString();
  }

  private static List<Level> concat(List<Level> a, List<Level> b) {
    List<Level> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static String f(double v) {
    return v >= 100 ? String.format("%,.0f", v) : v >= 10 ? String.format("%.1f", v) : String.format("%.2f", v);
  }

  private static String ratio(double a, double b) {
    return b == 0 ? "n/a" : String.format("%.2f", a / b);
  }

  private static void chart(Path file, List<Level> mesh, List<Level> mqtt, boolean quick) throws Exception {
    List<String> cats = new ArrayList<>();
    for (Level l : mesh) { // the levels that ran (--quick runs fewer)
      cats.add(loadName(l.rate()));
    }
    List<String> series = new ArrayList<>(List.of("NowMesh p50", "NowMesh p99", "NowMesh p99.9"));
    List<Color> colors = new ArrayList<>(List.of(new Color(158, 202, 225), new Color(66, 146, 198),
        new Color(8, 69, 148)));
    if (!mqtt.isEmpty()) {
      series.addAll(List.of("MQTT p50", "MQTT p99", "MQTT p99.9"));
      colors.addAll(List.of(new Color(253, 190, 133), new Color(253, 141, 60), new Color(217, 71, 1)));
    }
    double[][] v = new double[series.size()][cats.size()];
    for (int c = 0; c < cats.size(); c++) {
      v[0][c] = mesh.get(c).p50();
      v[1][c] = mesh.get(c).p99();
      v[2][c] = mesh.get(c).p999();
      if (!mqtt.isEmpty()) {
        v[3][c] = mqtt.get(c).p50();
        v[4][c] = mqtt.get(c).p99();
        v[5][c] = mqtt.get(c).p999();
      }
    }
    BarChart.render(file, "Broadcast latency across 3 gateways on 127.0.0.1 (log scale)"
        + (quick ? " - bench/run --quick: indicative only" : ""), "latency (ms)", cats,
        series, colors, v);
  }
}
