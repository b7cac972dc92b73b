package io.nowmesh.examples.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Log levels for commands that own the terminal: only real problems reach stderr. */
final class Quiet {
  private Quiet() {}

  static void logsAtLeast(Level level) {
    if (LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
      root.setLevel(level);
    }
    if (LoggerFactory.getLogger("io.nowmesh") instanceof Logger ours) {
      ours.setLevel(level); // logback.xml raises it to INFO for the gateway's radio lines
    }
    // Akka logs start-up failures (a port in use) with a stack trace before the exception reaches
    // the command, which then reports it in one line: the trace would only be noise.
    if (LoggerFactory.getLogger("akka") instanceof Logger akka) {
      akka.setLevel(Level.OFF);
    }
  }
}
