package io.nowmesh.examples.cli;

import java.util.concurrent.CompletableFuture;

/**
 * Turns Ctrl-C into a request to stop, so a long-running command can finish its work (print a
 * summary, leave the cluster) and exit 0, instead of the JVM tearing everything down mid-way.
 */
final class Interrupts {
  private Interrupts() {}

  /** Completes the returned future on SIGINT/SIGTERM. */
  @SuppressWarnings("removal")
  static CompletableFuture<Void> onInterrupt() {
    CompletableFuture<Void> stop = new CompletableFuture<>();
    for (String name : new String[] {"INT", "TERM"}) {
      try {
        sun.misc.Signal.handle(new sun.misc.Signal(name), s -> stop.complete(null));
      } catch (IllegalArgumentException | UnsupportedOperationException e) {
        // the platform does not let us handle this signal; the JVM's default applies
      }
    }
    return stop;
  }
}
