package io.nowmesh.actors.reliability;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Live threads (by pool) and open file descriptors of this JVM, for leak checks. Threads of the
 * actor system's dispatchers are counted apart: those pools grow and shrink with load within their
 * configured maximum (a fork-join pool retires idle workers only after a keep-alive), so they cannot
 * leak; every other thread must come back to exactly the baseline.
 */
record ResourceCounts(int threads, int poolThreads, int otherThreads, long fds, Map<String, Integer> byGroup) {

  static ResourceCounts now(String systemName) {
    Map<String, Integer> groups = new TreeMap<>();
    int pool = 0;
    int other = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (!t.isAlive()) {
        continue;
      }
      String group = t.getName().replaceAll("-?\\d+$", "");
      groups.merge(group, 1, Integer::sum);
      if (t.getName().startsWith(systemName + "-") && t.getName().contains("dispatcher")) {
        pool++;
      } else {
        other++;
      }
    }
    return new ResourceCounts(ManagementFactory.getThreadMXBean().getThreadCount(), pool, other, openFds(), groups);
  }

  /** Open file descriptors from /proc/self/fd, or -1 where there is no /proc (not Linux). */
  static long openFds() {
    Path fd = Path.of("/proc/self/fd");
    if (!Files.isDirectory(fd)) {
      return -1;
    }
    try (Stream<Path> s = Files.list(fd)) {
      return s.count() - 1; // the directory stream itself holds one while listing
    } catch (IOException e) {
      return -1;
    }
  }

  /**
   * Waits (polling with a deadline, through the probe) until non-pool threads and file descriptors
   * are back at or below {@code baseline}, and pool threads within {@code maxPoolThreads}.
   */
  static ResourceCounts awaitSettled(akka.actor.testkit.typed.javadsl.TestProbe<?> probe, ResourceCounts baseline,
      int maxPoolThreads, String systemName, Duration deadline) {
    return probe.awaitAssert(deadline, Duration.ofMillis(100), () -> {
      ResourceCounts now = now(systemName);
      if (now.otherThreads() > baseline.otherThreads() || now.poolThreads() > maxPoolThreads
          || now.fds() > baseline.fds()) {
        throw new AssertionError("resources did not settle: before " + baseline + ", now " + now);
      }
      return now;
    });
  }

  /** The most threads the system's dispatchers may have, from their configuration. */
  static int maxPoolThreads(com.typesafe.config.Config c) {
    return c.getInt("nowmesh.device.blocking-io-dispatcher.thread-pool-executor.fixed-pool-size")
        + c.getInt("akka.actor.default-dispatcher.fork-join-executor.parallelism-max")
        + c.getInt("akka.actor.internal-dispatcher.fork-join-executor.parallelism-max");
  }
}
