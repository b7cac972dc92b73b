package io.nowmesh.mesh.delivery;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers keys seen within a time window, bounded in size: the oldest entries go first when the
 * window passes or the capacity is reached. Not thread-safe: owned by one actor.
 */
public final class DedupWindow<K> {
  private final long windowMillis;
  private final int capacity;
  private final LinkedHashMap<K, Long> seen = new LinkedHashMap<>();

  public DedupWindow(long windowMillis, int capacity) {
    if (capacity < 1 || windowMillis < 1) {
      throw new IllegalArgumentException("a dedup window needs a positive duration and capacity");
    }
    this.windowMillis = windowMillis;
    this.capacity = capacity;
  }

  /** True the first time {@code key} is offered within the window; false for a duplicate. */
  public boolean firstSighting(K key, long nowMillis) {
    evict(nowMillis);
    if (seen.containsKey(key)) {
      return false;
    }
    seen.put(key, nowMillis);
    return true;
  }

  public int size() {
    return seen.size();
  }

  private void evict(long now) {
    Iterator<Map.Entry<K, Long>> it = seen.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<K, Long> e = it.next();
      if (seen.size() >= capacity || now - e.getValue() > windowMillis) {
        it.remove();
      } else {
        break; // insertion order: everything after is younger
      }
    }
  }
}
