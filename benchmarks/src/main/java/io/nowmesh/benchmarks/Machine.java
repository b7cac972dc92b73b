package io.nowmesh.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The "where and how" header of a results file: cores, CPU model, JVM, load, mode. */
final class Machine {
  private Machine() {}

  static String describe(boolean quick) {
    Runtime rt = Runtime.getRuntime();
    String os = System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
        + System.getProperty("os.arch");
    return "# NowMesh benchmark results\n\n"
        + "| | |\n|---|---|\n"
        + "| date (UTC) | " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + " |\n"
        + "| mode | " + (quick ? "`--quick` (short runs: indicative only)" : "default") + " |\n"
        + "| cores (availableProcessors) | " + rt.availableProcessors() + " |\n"
        + "| CPU | " + cpuModel() + " |\n"
        + "| load average at start | " + String.format("%.2f",
            ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()) + " |\n"
        + "| JVM | " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + " |\n"
        + "| OS | " + os + " |\n"
        + "| network | loopback only (127.0.0.1) |\n";
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name")).findFirst()
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
