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
      System.err.println("usage: benchmarks.jar header|codec|pipeline|cluster|failover|scale <outdir> [--quick]"
          + " [--mqtt-port N] | gateway ...");
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
      // sections can be re-run alone (bench/run --only): each says when and how it ran
      int eol = md.indexOf('\n');
      md = md.substring(0, eol) + "\n\n_Run " + java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
          + (quick ? ", --quick: reduced sizes, indicative figures only" : "") + String.format(", load average %.1f at its end._",
              java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage())
          + md.substring(eol);
    }
    Files.writeString(out.resolve(cmd + ".md"), md);
    System.out.println(md);
    System.exit(0); // Akka/JMH leftovers must not keep the JVM alive
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
