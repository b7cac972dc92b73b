package io.nowmesh.mesh.gateway;

import io.nowmesh.actors.espnow.Mac;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A token bucket per radio-level source MAC, so one station flooding the air cannot starve the
 * others. Memory is bounded: at most {@code maxSources} buckets, least recently heard evicted first
 * (an evicted source starts again with a full bucket; a flood of fake source MACs therefore costs
 * each fake MAC one burst, but never unbounded memory). Not thread-safe: owned by one actor.
 */
final class SourceRateLimiter {
  private static final class Bucket {
    double tokens;
    long lastNanos;

    Bucket(double tokens, long lastNanos) {
      this.tokens = tokens;
      this.lastNanos = lastNanos;
    }
  }

  private final double perSecond;
  private final double burst;
  private final LinkedHashMap<Long, Bucket> buckets;

  SourceRateLimiter(double perSecond, int burst, int maxSources) {
    if (perSecond <= 0 || burst < 1 || maxSources < 1) {
      throw new IllegalArgumentException(
          "rate-limit needs per-second > 0, burst >= 1 and max-sources >= 1, got " + perSecond + ", " + burst + ", " + maxSources);
    }
    this.perSecond = perSecond;
    this.burst = burst;
    this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Long, Bucket> eldest) {
        return size() > maxSources;
      }
    };
  }

  /** True if a frame from {@code source} heard at {@code nowNanos} is within its rate; takes a token. */
  boolean tryAcquire(Mac source, long nowNanos) {
    Bucket b = buckets.get(source.toLong());
    if (b == null) {
      b = new Bucket(burst, nowNanos);
      buckets.put(source.toLong(), b);
    } else {
      long elapsed = Math.max(0, nowNanos - b.lastNanos);
      b.tokens = Math.min(burst, b.tokens + elapsed / 1e9 * perSecond);
      b.lastNanos = nowNanos;
    }
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return true;
    }
    return false;
  }

  int trackedSources() {
    return buckets.size();
  }
}
