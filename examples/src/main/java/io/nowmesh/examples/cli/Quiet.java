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
  }
}
