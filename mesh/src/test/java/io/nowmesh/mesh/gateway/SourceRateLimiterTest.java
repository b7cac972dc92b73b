package io.nowmesh.mesh.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowmesh.actors.espnow.Mac;
import org.junit.jupiter.api.Test;

class SourceRateLimiterTest {
  static final long SECOND = 1_000_000_000L;
  static final Mac X = Mac.parse("66:00:00:00:00:01");
  static final Mac Y = Mac.parse("66:00:00:00:00:02");

  @Test
  void admitsABurstThenRefillsAtTheConfiguredRate() {
    SourceRateLimiter l = new SourceRateLimiter(10, 5, 16);
    int admitted = 0;
    for (int i = 0; i < 100; i++) {
      admitted += l.tryAcquire(X, 0) ? 1 : 0;
    }
    assertEquals(5, admitted);
    assertFalse(l.tryAcquire(X, SECOND / 20)); // half a token
    assertTrue(l.tryAcquire(X, SECOND / 10)); // one token after 100 ms at 10/s
    assertFalse(l.tryAcquire(X, SECOND / 10));
    admitted = 0;
    for (int i = 0; i < 100; i++) {
      admitted += l.tryAcquire(X, 60 * SECOND) ? 1 : 0;
    }
    assertEquals(5, admitted, "refill never exceeds the burst");
  }

  @Test
  void oneFloodingSourceDoesNotStarveAnother() {
    SourceRateLimiter l = new SourceRateLimiter(1, 3, 16);
    for (int i = 0; i < 1000; i++) {
      l.tryAcquire(X, 0);
    }
    assertTrue(l.tryAcquire(Y, 0));
    assertTrue(l.tryAcquire(Y, 0));
    assertTrue(l.tryAcquire(Y, 0));
    assertFalse(l.tryAcquire(Y, 0));
  }

  @Test
  void keepsAtMostMaxSourcesEvictingTheLeastRecentlyHeard() {
    SourceRateLimiter l = new SourceRateLimiter(1, 1, 4);
    assertTrue(l.tryAcquire(X, 0));
    assertFalse(l.tryAcquire(X, 0));
    for (int i = 0; i < 10_000; i++) {
      l.tryAcquire(Mac.ofLong(0x77_00_00_00_00_00L | i), 0);
      assertTrue(l.trackedSources() <= 4);
    }
    assertEquals(4, l.trackedSources());
    assertTrue(l.tryAcquire(X, 0), "X was evicted: it starts again with a full bucket");
  }

  @Test
  void refusesNonsenseSettings() {
    assertThrows(IllegalArgumentException.class, () -> new SourceRateLimiter(0, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new SourceRateLimiter(1, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new SourceRateLimiter(1, 1, 0));
  }
}
