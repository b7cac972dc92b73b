package io.nowmesh.benchmarks;

import io.nowmesh.benchmarks.codec.CodecReport;
import io.nowmesh.benchmarks.cluster.ClusterBench;
import io.nowmesh.benchmarks.cluster.GatewayProcess;
import io.nowmesh.benchmarks.failover.FailoverBench;
import io.nowmesh.benchmarks.scale.ScaleBench;
import io.nowmesh.benchmarks.pipeline.PipelineBench;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Entry point of the benchmarks jar, one sub-command per benchmark (bench/run calls them in turn).
 * Each writes its markdown section to {@code <out>/<name>.md}; {@code header} writes the machine
 * description. {@code gateway} is the child process the multi-process benchmarks start.
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.println("usage: benchmarks.jar all|header|codec|pipeline|cluster|failover|scale <outdir> [--quick]"
          + " [--mqtt-port N] [--sections a,b,...] | gateway ...");
      System.exit(2);
    }
    String cmd = args[0];
    if (cmd.equals("gateway")) {
      GatewayProcess.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    Path out = Path.of(args[1]);
    Files.createDirectories(out);
    boolean quick = Arrays.asList(args).contains("--quick");
    // the machine may be shared: another JMH run holding /tmp/jmh.lock must not fail this one
    // (the codec section says when that happened)
    System.setProperty("jmh.ignoreLock", "true");
    if (cmd.equals("all")) {
      RunAll.run(out, quick, intOption(args, "--mqtt-port", 0), Arrays.asList(option(args, "--sections",
          "header,codec,pipeline,cluster,failover,scale").split(",")));
      System.exit(0); // Akka/JMH leftovers must not keep the JVM alive
    }
    long t0 = System.nanoTime();
    String md = switch (cmd) {
      case "header" -> Machine.describe(quick);
      case "codec" -> CodecReport.run(quick);
      case "pipeline" -> PipelineBench.run(quick);
      case "failover" -> FailoverBench.run(quick, out);
      case "scale" -> ScaleBench.run(quick);
      case "cluster" -> ClusterBench.run(quick, out, intOption(args, "--mqtt-port", 0));
      default -> throw new IllegalArgumentException("unknown benchmark " + cmd);
    };
    if (!cmd.equals("header")) {
      md = stamp(md, quick, (System.nanoTime() - t0) / 1e9, null);
    }
    Files.writeString(out.resolve(cmd + ".md"), md);
    System.out.println(md);
    System.exit(0); // Akka/JMH leftovers must not keep the JVM alive
  }

  /** Sections can be re-run alone (bench/run --only): each says when and how it ran, and how long it took. */
  static String stamp(String md, boolean quick, double seconds, String note) {
    int eol = md.indexOf('\n');
    return md.substring(0, eol) + "\n\n_Run " + java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
        + String.format(", took %.0f s", seconds)
        + (quick ? ", --quick: reduced sizes, indicative figures only" : "")
        + (note != null ? "; " + note : "")
        + String.format(", load average %.1f at its end._", RunAll.loadAverage())
        + md.substring(eol);
  }

  static String option(String[] args, String name, String dflt) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return dflt;
  }

  static int intOption(String[] args, String name, int dflt) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return dflt;
  }
}
