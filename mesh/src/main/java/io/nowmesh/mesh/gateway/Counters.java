package io.nowmesh.mesh.gateway;

import io.nowmesh.mesh.GatewayCounter;
import io.nowmesh.mesh.GatewayCounters;
import java.util.EnumMap;

/** The gateway's mutable counters; owned by its actor, handed out as {@link GatewayCounters} snapshots. */
final class Counters {
  private final long[] counts = new long[GatewayCounter.values().length];

  void inc(GatewayCounter c) {
    counts[c.ordinal()]++;
  }

  GatewayCounters snapshot() {
    EnumMap<GatewayCounter, Long> m = new EnumMap<>(GatewayCounter.class);
    for (GatewayCounter c : GatewayCounter.values()) {
      m.put(c, counts[c.ordinal()]);
    }
    return new GatewayCounters(m);
  }
}
