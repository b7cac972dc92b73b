package io.nowmesh.benchmarks.cluster;

import java.nio.ByteBuffer;
import java.util.Base64;
import org.HdrHistogram.Histogram;

/**
 * Latency of delivered messages (intended send time to arrival), plus first/last arrival times so
 * the driver can compute the delivered rate. Called from one delivery thread at a time; synchronized
 * because the control thread snapshots it.
 */
final class LatencyRecorder {
  private final Histogram histogram = new Histogram(60_000_000_000L, 3);
  private long count;
  private long firstArrival;
  private long lastArrival;

  synchronized void record(long sentNanos) {
    long now = System.nanoTime();
    histogram.recordValue(Math.max(1, Math.min(now - sentNanos, histogram.getHighestTrackableValue())));
    if (count++ == 0) {
      firstArrival = now;
    }
    lastArrival = now;
  }

  synchronized long count() {
    return count;
  }

  /** {@code count firstArrival lastArrival base64(histogram)}, then starts afresh. */
  synchronized String snapshotAndReset() {
    ByteBuffer buf = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
    int n = histogram.encodeIntoCompressedByteBuffer(buf);
    String line = count + " " + firstArrival + " " + lastArrival + " "
        + Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buf.array(), n));
    histogram.reset();
    count = 0;
    return line;
  }

  static Histogram decode(String base64) {
    try {
      return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
    } catch (java.util.zip.DataFormatException e) {
      throw new IllegalStateException("corrupt histogram from a gateway process", e);
    }
  }
}
