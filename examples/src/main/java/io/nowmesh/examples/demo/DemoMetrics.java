package io.nowmesh.examples.demo;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Counts what the demo sends and what arrives where. A delivery is identified by (message,
 * receiver): the first is counted with its latency, any further one as a duplicate, so the
 * exactly-once claims of the mesh are checked rather than assumed. Thread-safe.
 */
public final class DemoMetrics {
  private static final class Counters {
    long sent;
    long expected;
    long delivered;
    long duplicates;
    long failed;
    long leaks;
    long[] latencyMicros = new long[256];
    int samples;
    final Set<String> seen = new HashSet<>();
  }

  private final Map<Flow, Counters> flows = new EnumMap<>(Flow.class);

  public DemoMetrics() {
    for (Flow f : Flow.values()) {
      flows.put(f, new Counters());
    }
  }

  /** A message of {@code flow} left, and {@code receivers} should each get it once. */
  public synchronized void sent(Flow flow, int receivers) {
    Counters c = flows.get(flow);
    c.sent++;
    c.expected += receivers;
  }

  /** {@code receiver} got message {@code messageKey}, sent at {@code sentNanos} (System.nanoTime). */
  public synchronized void delivered(Flow flow, String messageKey, String receiver, long sentNanos) {
    Counters c = flows.get(flow);
    if (!c.seen.add(messageKey + ">" + receiver)) {
      c.duplicates++;
      return;
    }
    c.delivered++;
    if (c.samples == c.latencyMicros.length) {
      c.latencyMicros = Arrays.copyOf(c.latencyMicros, c.samples * 2);
    }
    c.latencyMicros[c.samples++] = Math.max(0, (System.nanoTime() - sentNanos) / 1000);
  }

  /** A unicast the mesh answered with something other than delivered (no route, not acked, failed). */
  public synchronized void failed(Flow flow) {
    flows.get(flow).failed++;
  }

  /** A receiver that should not have got the message did (e.g. a node outside the group). */
  public synchronized void leaked(Flow flow) {
    flows.get(flow).leaks++;
  }

  public synchronized FlowStats stats(Flow flow) {
    Counters c = flows.get(flow);
    return new FlowStats(flow, c.sent, c.expected, c.delivered, c.duplicates, c.failed, c.leaks,
        latency(c.latencyMicros, c.samples));
  }

  /** True when every flow has all its expected deliveries (used to end the drain early). */
  public synchronized boolean allArrived() {
    return flows.values().stream().allMatch(c -> c.delivered + c.failed >= c.expected);
  }

  private static FlowStats.Latency latency(long[] micros, int n) {
    if (n == 0) {
      return FlowStats.Latency.NONE;
    }
    long[] sorted = Arrays.copyOf(micros, n);
    Arrays.sort(sorted);
    return new FlowStats.Latency(n, sorted[(n - 1) / 2] / 1000.0, sorted[(int) Math.ceil(0.95 * n) - 1] / 1000.0,
        sorted[n - 1] / 1000.0);
  }
}
