package io.nowmesh.examples.demo;

/**
 * One flow's numbers at a point in time. {@code expected} counts receivers that should get each
 * message (for a unicast, one); {@code missing} is what has not arrived (yet); {@code leaks} are
 * deliveries to receivers that should not get the message (non-members).
 */
public record FlowStats(Flow flow, long sent, long expected, long delivered, long duplicates, long failed,
    long leaks, Latency latency) {

  public long missing() {
    return Math.max(0, expected - delivered);
  }

  /** Every expected delivery arrived, once, and nowhere else. */
  public boolean exactlyOnce() {
    return delivered == expected && duplicates == 0 && leaks == 0;
  }

  /** Latency percentiles in milliseconds (NaN when nothing arrived). */
  public record Latency(long samples, double p50, double p95, double max) {
    public static final Latency NONE = new Latency(0, Double.NaN, Double.NaN, Double.NaN);
  }
}
