package io.nowmesh.examples.demo;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs the demo from start to summary: start the scenario, wait until the mesh is ready, run the
 * traffic for the duration (or until {@code stop} completes, e.g. on Ctrl-C) while the view
 * refreshes, let in-flight messages arrive, print the summary, shut everything down.
 */
public final class DemoRunner {
  /** Upper bound for three ActorSystems to form a cluster and learn every route on a busy machine. */
  public static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration ANSI_REFRESH = Duration.ofMillis(300);
  private static final Duration DRAIN = Duration.ofSeconds(5);

  private DemoRunner() {}

  public static DemoSummary run(DemoOptions options, PrintWriter out, CompletableFuture<?> stop)
      throws TimeoutException, InterruptedException {
    out.printf("NowMesh demo: starting %d gateways on 127.0.0.1 and %d virtual nodes on a simulated air...%n",
        DemoLayout.GATEWAYS, options.nodes());
    out.flush();
    try (DemoScenario scenario = DemoScenario.start(options)) {
      scenario.awaitReady(READY_TIMEOUT);
      out.printf("Mesh ready: %d gateways up, every node routed (%d heard by one gateway, %d by two). "
          + "Traffic for %d s.%n", DemoLayout.GATEWAYS, scenario.single(), scenario.bridged(),
          options.duration().toSeconds());
      out.printf("From another terminal: ./nowmesh listen --seed %s --all   (or send / ping --to %s)%n",
          scenario.mesh().hostPort(0), scenario.layout().nodes().get(scenario.layout().nodes().size() - 1).mac());
      TerminalView view = new TerminalView(out, options.ansi());
      Duration refresh = options.ansi() ? ANSI_REFRESH : plainPeriod(options.duration());
      DemoTraffic traffic = new DemoTraffic(scenario);
      long start = System.nanoTime();
      long end = start + options.duration().toNanos();
      boolean interrupted = false;
      view.begin();
      try {
        traffic.start();
        while (true) {
          long now = System.nanoTime();
          if (now >= end) {
            break;
          }
          long wait = Math.min(refresh.toNanos(), end - now);
          if (waitForStop(stop, wait)) {
            interrupted = true;
            break;
          }
          view.frame(seconds(System.nanoTime() - start), options.duration().toSeconds(), scenario.gateways(),
              flows(scenario));
        }
        traffic.stop();
        long ran = System.nanoTime() - start;
        traffic.drain(DRAIN);
        try {
          scenario.refreshRoutes().get(3, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
          // the view keeps the last routes it had
        }
        if (options.ansi()) { // the screen shows the drained totals; a log has them in the summary below
          view.frame(seconds(ran), options.duration().toSeconds(), scenario.gateways(), flows(scenario));
        }
        view.end();
        DemoSummary summary = new DemoSummary(Duration.ofNanos(ran), interrupted, DemoLayout.GATEWAYS,
            options.nodes(), scenario.single(), scenario.bridged(), scenario.layout().groupMembers().size(),
            flows(scenario));
        summary.print(out, !options.ansi());
        out.println("Shutting down the gateways...");
        out.flush();
        return summary;
      } finally {
        traffic.close();
        view.end();
      }
    }
  }

  private static boolean waitForStop(CompletableFuture<?> stop, long nanos) throws InterruptedException {
    try {
      stop.get(nanos, TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      return true;
    }
  }

  private static List<FlowStats> flows(DemoScenario s) {
    return Arrays.stream(Flow.values()).map(f -> s.metrics().stats(f)).toList();
  }

  private static Duration plainPeriod(Duration total) {
    long ms = Math.max(1000, Math.min(5000, total.toMillis() / 6));
    return Duration.ofMillis(ms);
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }
}
