package io.nowmesh.examples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code nowmesh} command. Errors reach the user as one line naming what is wrong and a
 * non-zero exit code, never as a stack trace ({@code NOWMESH_DEBUG=1} shows the trace).
 */
@Command(
    name = "nowmesh",
    mixinStandardHelpOptions = true,
    versionProvider = NowMeshCli.Version.class,
    description = "ESP-NOW radios on USB serial as an Akka actor mesh.",
    subcommands = {DemoCommand.class, io.nowmesh.examples.gateway.GatewayCommand.class,
        io.nowmesh.examples.ports.PortsCommand.class, SendCommand.class, ListenCommand.class, PingCommand.class, ExampleCommand.class,
        CommandLine.HelpCommand.class})
public final class NowMeshCli implements Runnable {

  /** Exit code for a bad argument or configuration. */
  public static final int EXIT_USAGE = 2;
  /** Exit code for a failure while running. */
  public static final int EXIT_FAILURE = 1;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code; used by main and by tests. */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  /** The configured picocli command line, with one-line error reporting. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new NowMeshCli());
    cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
      cmd.getErr().println(qualifiedName(cmd) + ": " + oneLine(ex));
      if (System.getenv("NOWMESH_DEBUG") != null) {
        ex.printStackTrace(cmd.getErr());
      }
      return ex instanceof UsageError ? EXIT_USAGE : EXIT_FAILURE;
    });
    cl.setParameterExceptionHandler((ex, args) -> {
      CommandLine cmd = ex.getCommandLine();
      // one line: what is wrong, and where to read how it is done
      cmd.getErr().println(qualifiedName(cmd) + ": " + oneLine(ex) + " (see '" + qualifiedName(cmd) + " --help')");
      return EXIT_USAGE;
    });
    return cl;
  }

  private static String qualifiedName(CommandLine cmd) {
    return cmd.getCommandSpec().qualifiedName(" ");
  }

  static String oneLine(Throwable ex) {
    Throwable t = ex;
    while (t.getCause() != null && (t.getMessage() == null || t instanceof java.util.concurrent.CompletionException)) {
      t = t.getCause();
    }
    String msg = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    return msg.replace('\n', ' ');
  }

  /** Completes on Ctrl-C or SIGTERM, so a long-running command can stop cleanly and exit 0. */
  public static java.util.concurrent.CompletableFuture<Void> interrupts() {
    return Interrupts.onInterrupt();
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** A mistake in what the user asked for: reported with exit code 2. */
  public static final class UsageError extends RuntimeException {
    public UsageError(String message) {
      super(message);
    }
  }

  /** Reports the version from the jar manifest, or "development" when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = NowMeshCli.class.getPackage().getImplementationVersion();
      return new String[] {"nowmesh " + (v != null ? v : "0.1.0-SNAPSHOT (development)")};
    }
  }
}
