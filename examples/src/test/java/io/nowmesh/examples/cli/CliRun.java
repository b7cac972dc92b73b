package io.nowmesh.examples.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the nowmesh command line in-process and captures what it printed. */
record CliRun(int exitCode, String out, String err, CommandLine commandLine) {

  static CliRun of(String... args) {
    CommandLine cl = NowMeshCli.commandLine();
    return run(cl, args);
  }

  static CliRun run(CommandLine cl, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new CliRun(code, out.toString(), err.toString(), cl);
  }

  /** Non-blank lines written to stderr. */
  long errLines() {
    return err.lines().filter(l -> !l.isBlank()).count();
  }
}
