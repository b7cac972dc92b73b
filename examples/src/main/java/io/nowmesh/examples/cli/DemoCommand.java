package io.nowmesh.examples.cli;

import ch.qos.logback.classic.Level;
import io.nowmesh.examples.demo.DemoOptions;
import io.nowmesh.examples.demo.DemoRunner;
import io.nowmesh.examples.demo.DemoSummary;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code nowmesh demo}: three gateways and a dozen virtual nodes in this process, shown live. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    header = "Three gateways and a dozen virtual nodes in this process, shown live.",
    description = {
        "Runs a whole mesh in this process: 3 gateways (Akka cluster members on 127.0.0.1), each with a",
        "simulated radio on one shared simulated air, and virtual nodes around them. Shows live what each",
        "gateway hears and how unicast, broadcast and multicast messages fare, then a summary.",
        "Ends after --duration or on Ctrl-C."})
public final class DemoCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--duration", defaultValue = "30s", converter = DurationConverter.class,
      description = "How long traffic runs once the mesh is ready (e.g. 30, 30s, 2m). Default: ${DEFAULT-VALUE}.")
  Duration duration;

  @Option(names = "--nodes", defaultValue = "12",
      description = "Virtual nodes on the air (" + DemoOptions.MIN_NODES + ".." + DemoOptions.MAX_NODES
          + "). Default: ${DEFAULT-VALUE}.")
  int nodes;

  @Option(names = "--seed", defaultValue = "1", description = "Seed for node placement. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--no-ansi", description = "Print periodic lines instead of redrawing the screen "
      + "(automatic when stdout is not a terminal).")
  boolean noAnsi;

  @Option(names = "--base-port", defaultValue = "0",
      description = "Gateway i listens on base-port + i; 0 picks free ports. Default: ${DEFAULT-VALUE}.")
  int basePort;

  @Option(names = "--radios", defaultValue = "serial", paramLabel = "serial|air",
      description = "serial: each gateway drives a simulated ESP32 over the serial protocol through its device "
          + "actor, as in production; air: gateways sit on the simulated air directly (lighter). "
          + "Default: ${DEFAULT-VALUE}.")
  String radios;

  /** Completed to stop the demo early; the command line sets it to Ctrl-C, tests to what they like. */
  CompletableFuture<?> stop;

  /** The last run's summary (for tests). */
  DemoSummary summary;

  @Override
  public Integer call() throws Exception {
    DemoOptions options;
    try {
      if (!radios.equals("serial") && !radios.equals("air")) {
        throw new IllegalArgumentException("--radios is serial or air, got '" + radios + "'");
      }
      options = new DemoOptions(duration, nodes, seed, !noAnsi && isTerminal(), basePort, radios.equals("serial"));
    } catch (IllegalArgumentException e) {
      throw new NowMeshCli.UsageError(e.getMessage());
    }
    Quiet.logsAtLeast(Level.ERROR);
    CompletableFuture<?> stopSignal = stop != null ? stop : Interrupts.onInterrupt();
    summary = DemoRunner.run(options, spec.commandLine().getOut(), stopSignal);
    return 0;
  }

  private static boolean isTerminal() {
    String term = System.getenv("TERM");
    return System.console() != null && term != null && !"dumb".equals(term);
  }
}
