package io.nowmesh.mesh.auth;

import io.nowmesh.actors.espnow.Mac;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-origin anti-replay for authenticated envelopes: remembers the highest counter seen from each
 * origin and which of the {@value #WIDTH} counters below it were seen. A counter is fresh if it is
 * above the highest, or within the window and not seen yet; anything else is a replay. At most
 * {@code maxOrigins} origins are tracked (least recently heard evicted: an evicted origin's next
 * counter is taken as fresh, the price of bounded memory). Not thread-safe: owned by one actor.
 */
public final class ReplayWindow {
  public static final int WIDTH = 64;

  private static final class State {
    long highest;
    long seen; // bit i: counter (highest - i) was seen

    State(long counter) {
      highest = counter;
      seen = 1;
    }
  }

  private final LinkedHashMap<Long, State> origins;

  public ReplayWindow(int maxOrigins) {
    if (maxOrigins < 1) {
      throw new IllegalArgumentException("auth.max-origins must be >= 1, got " + maxOrigins);
    }
    this.origins = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Long, State> eldest) {
        return size() > maxOrigins;
      }
    };
  }

  /** True (and remembered) if {@code counter} from {@code origin} is fresh; false for a replay. */
  public boolean accept(Mac origin, long counter) {
    State s = origins.get(origin.toLong());
    if (s == null) {
      origins.put(origin.toLong(), new State(counter));
      return true;
    }
    if (counter > s.highest) {
      long shift = counter - s.highest;
      s.seen = shift >= WIDTH ? 1 : (s.seen << shift) | 1;
      s.highest = counter;
      return true;
    }
    long back = s.highest - counter;
    if (back >= WIDTH || (s.seen & (1L << back)) != 0) {
      return false;
    }
    s.seen |= 1L << back;
    return true;
  }

  public int trackedOrigins() {
    return origins.size();
  }
}
