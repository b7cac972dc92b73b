package io.nowmesh.benchmarks;

import io.nowmesh.benchmarks.cluster.ClusterBench;
import io.nowmesh.benchmarks.cluster.GatewayHandle;
import io.nowmesh.benchmarks.codec.CodecReport;
import io.nowmesh.benchmarks.failover.FailoverBench;
import io.nowmesh.benchmarks.pipeline.PipelineBench;
import io.nowmesh.benchmarks.scale.ScaleBench;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * All selected benchmarks in this one JVM (bench/run): one JVM start instead of one per section.
 * With --quick, the gateway JVMs of the cross-gateway benchmark start at once, in parallel with the
 * codec and pipeline sections, and the failover section reuses the mesh ones; the default mode
 * starts nothing ahead, so that no section is measured while JVMs boot next to it.
 */
final class RunAll {
  private final Path out;
  private final boolean quick;
  private final int mqttPort;
  private final PrintStream progress;
  private final List<String> durations = java.util.Collections.synchronizedList(new ArrayList<>());
  private final ExecutorService starter = Executors.newFixedThreadPool(3);
  private Future<List<GatewayHandle>> meshTrio;
  private Future<List<GatewayHandle>> mqttTrio;
  private List<GatewayHandle> keptMesh;
  private boolean prestarted;

  private RunAll(Path out, boolean quick, int mqttPort) {
    this.out = out;
    this.quick = quick;
    this.mqttPort = mqttPort;
    this.progress = progressStream();
  }

  static void run(Path out, boolean quick, int mqttPort, List<String> sections) throws Exception {
    new RunAll(out, quick, mqttPort).runAll(sections);
  }

  private void runAll(List<String> sections) throws Exception {
    long t0 = System.nanoTime();
    Path logs = Files.createDirectories(out.resolve("logs"));
    try {
      if (quick && (sections.contains("cluster") || sections.contains("failover"))) {
        meshTrio = starter.submit(ClusterBench.trio("mesh", 0, logs, quick));
        if (sections.contains("cluster") && mqttPort > 0) {
          mqttTrio = starter.submit(ClusterBench.trio("mqtt", mqttPort, logs, quick));
        }
        prestarted = true;
        progress.println("bench/run: --quick: gateway JVMs for cluster/failover starting in the background");
      }
      for (String s : sections) {
        if (quick && s.equals("failover") && sections.contains("scale")) {
          // --quick: failover mostly waits (failure detector, retry timeout) and scale is CPU work in
          // this JVM: run side by side, each section says so
          Future<?> scale = starter.submit(() -> {
            section("scale", sections, "ran at the same time as section 4 (failover)");
            return null;
          });
          section(s, sections, "ran at the same time as section 5 (scale)");
          scale.get();
        } else if (!(quick && s.equals("scale") && sections.contains("failover"))) {
          section(s, sections, null);
        }
      }
    } finally {
      closeGateways();
      starter.shutdownNow();
    }
    durations.add(String.format("total %.0f s (CPU: this JVM %.0f s, its gateway JVMs %.0f s)",
        (System.nanoTime() - t0) / 1e9, cpuSeconds(), GatewayHandle.reapedCpuSeconds()));
    Files.writeString(out.resolve("durations.txt"), String.join("\n", durations) + "\n");
  }

  private void section(String name, List<String> sections, String overlap) throws Exception {
    progress.println("bench/run: " + name + "...");
    long t0 = System.nanoTime();
    List<String> notes = new ArrayList<>();
    if (overlap != null) {
      notes.add(overlap);
    }
    if (prestarted && (name.equals("codec") || name.equals("pipeline")) && !meshTrio.isDone()) {
      notes.add("the gateway JVMs of sections 3-4 were starting at the same time");
    }
    if (name.equals("codec") && jmhLockHeld()) {
      notes.add("another JMH run on this machine held /tmp/jmh.lock at its start (lock ignored: they shared the cores)");
    }
    String md;
    try {
      md = switch (name) {
        case "header" -> Machine.describe(quick);
        case "codec" -> CodecReport.run(quick);
        case "pipeline" -> PipelineBench.run(quick);
        case "cluster" -> cluster(sections.contains("failover"));
        case "failover" -> failover();
        case "scale" -> ScaleBench.run(quick);
        default -> throw new IllegalArgumentException("unknown benchmark " + name);
      };
    } catch (Exception | Error e) {
      StringWriter w = new StringWriter();
      e.printStackTrace(new PrintWriter(w));
      e.printStackTrace();
      md = "## " + name + ": FAILED (" + Instant.now().truncatedTo(ChronoUnit.SECONDS) + ")\n\n```\n"
          + w.toString().lines().limit(20).reduce("", (a, l) -> a + l + "\n") + "```\n";
      progress.println("bench/run: " + name + " FAILED (see bench/results/run.tmp/all.err)");
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (!name.equals("header") && !md.startsWith("## " + name + ": FAILED")) {
      md = BenchMain.stamp(md, quick, seconds, notes.isEmpty() ? null : String.join("; ", notes));
      progress.printf("bench/run: %s done in %.0f s%n", name, seconds);
    }
    durations.add(String.format("%s %.0f s", name, seconds));
    Files.writeString(out.resolve(name + ".md"), md);
    System.out.println(md);
  }

  private String cluster(boolean failoverFollows) throws Exception {
    if (!prestarted) {
      return ClusterBench.run(quick, out, mqttPort);
    }
    String md = ClusterBench.run(quick, out, mqttPort, meshTrio, mqttTrio, failoverFollows);
    if (failoverFollows) {
      keptMesh = meshTrio.get();
    }
    return md;
  }

  private String failover() throws Exception {
    if (!prestarted) {
      return FailoverBench.run(quick, out);
    }
    List<GatewayHandle> trio = keptMesh != null ? keptMesh : meshTrio.get();
    keptMesh = null;
    return FailoverBench.run(quick, trio);
  }

  private void closeGateways() {
    if (keptMesh != null) {
      GatewayHandle.closeAll(keptMesh);
    }
    for (Future<List<GatewayHandle>> f : new ArrayList<>(java.util.Arrays.asList(meshTrio, mqttTrio))) {
      if (f != null && f.isDone()) {
        try {
          GatewayHandle.closeAll(f.get()); // no-op for the ones already closed
        } catch (Exception e) {
          // it failed to start: nothing to close
        }
      }
    }
  }

  /** bench/run hands its terminal over as file descriptor 3; elsewhere progress goes to stderr. */
  private static PrintStream progressStream() {
    Path fd3 = Path.of("/dev/fd/3");
    if (Files.isWritable(fd3)) {
      try {
        return new PrintStream(new FileOutputStream(fd3.toFile(), true), true, StandardCharsets.UTF_8);
      } catch (Exception e) {
        // fall through
      }
    }
    return System.err;
  }

  /** Whether another JMH process holds its single-instance lock right now. */
  private static boolean jmhLockHeld() {
    Path lock = Path.of(System.getProperty("java.io.tmpdir"), "jmh.lock");
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(lock,
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE)) {
      java.nio.channels.FileLock l = ch.tryLock();
      if (l == null) {
        return true;
      }
      l.release();
      return false;
    } catch (Exception e) {
      return false; // cannot tell
    }
  }

  private static double cpuSeconds() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime() / 1e9;
  }

  static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
