package io.nowmesh.mesh;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/** A snapshot of one gateway's {@link GatewayCounter}s; a counter never incremented reads 0. */
public record GatewayCounters(Map<GatewayCounter, Long> values) {
  public GatewayCounters {
    EnumMap<GatewayCounter, Long> copy = new EnumMap<>(GatewayCounter.class);
    copy.putAll(values);
    values = Collections.unmodifiableMap(copy);
  }

  public long get(GatewayCounter counter) {
    return values.getOrDefault(counter, 0L);
  }
}
