package io.nowmesh.actors.sim;

import java.util.ArrayDeque;

/**
 * The ESP-NOW receive buffer of one station: {@code rxbuf} bytes, each message costing its data
 * plus {@link #OVERHEAD} bytes (MicroPython's per-packet header; 2 × (250 + 13) = 526, the default
 * rxbuf, holds two full messages). A message that does not fit is refused (the caller counts it as
 * dropped).
 */
final class RxBuffer {
  static final int OVERHEAD = 13;
  static final int DEFAULT_RXBUF = 526;

  private final ArrayDeque<Received> queue = new ArrayDeque<>();
  private int capacity;
  private int used;

  RxBuffer(int capacity) {
    this.capacity = capacity;
  }

  synchronized boolean offer(Received r) {
    int cost = r.data().length() + OVERHEAD;
    if (used + cost > capacity) {
      return false;
    }
    queue.addLast(r);
    used += cost;
    notifyAll();
    return true;
  }

  /** The oldest message, waiting up to {@code timeoutMs}; null on timeout. */
  synchronized Received poll(long timeoutMs) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
    while (queue.isEmpty()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return null;
      }
      wait(Math.max(1, left / 1_000_000L));
    }
    Received r = queue.removeFirst();
    used -= r.data().length() + OVERHEAD;
    return r;
  }

  /** Empties the buffer and sets a new size (ESP-NOW allocates the buffer at init). */
  synchronized void reset(int newCapacity) {
    queue.clear();
    used = 0;
    capacity = newCapacity;
  }

  synchronized int size() {
    return queue.size();
  }
}
