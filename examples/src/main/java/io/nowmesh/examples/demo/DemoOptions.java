package io.nowmesh.examples.demo;

import java.time.Duration;

/**
 * What the demo was asked for.
 *
 * @param duration how long traffic runs once the mesh is ready
 * @param nodes    virtual nodes on the air (at least 4: the layout needs every role)
 * @param seed     drives node placement, so a run can be repeated
 * @param ansi     redraw in place (a terminal) rather than print periodic lines (a log)
 * @param basePort gateway i listens on basePort + i; 0 picks free ports
 * @param serialRadios gateway radios are simulated ESP32s speaking the serial protocol to a device
 *                 actor, as in production; false puts the gateways straight on the air (lighter)
 */
public record DemoOptions(Duration duration, int nodes, long seed, boolean ansi, int basePort, boolean serialRadios) {
  public static final int MIN_NODES = 4;
  public static final int MAX_NODES = 60;

  public DemoOptions {
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("--duration must be positive, got " + duration.toSeconds() + " s");
    }
    if (nodes < MIN_NODES || nodes > MAX_NODES) {
      throw new IllegalArgumentException("--nodes must be " + MIN_NODES + ".." + MAX_NODES + ", got " + nodes);
    }
    if (basePort != 0 && (basePort < 1024 || basePort > 65533)) {
      throw new IllegalArgumentException("--base-port must be 0 (free ports) or 1024..65533, got " + basePort);
    }
  }
}
