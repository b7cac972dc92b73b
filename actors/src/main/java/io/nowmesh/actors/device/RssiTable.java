package io.nowmesh.actors.device;

import io.nowmesh.actors.espnow.Mac;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The spec's peer device table ({@code ESPNow.peers}): the signal strength of the last message
 * received from each sender. Unlike the radio's it is bounded, since any device in range can send
 * to us: beyond {@code capacity} senders the one heard from longest ago is forgotten.
 * Not thread-safe: one actor owns it.
 */
public final class RssiTable {

  /**
   * @param rssi       dBm of the last message, -127..0
   * @param radioTimeMs the radio's ticks_ms at reception (wraps, as on the board)
   * @param lastSeen   when the host received it
   */
  public record Sample(int rssi, long radioTimeMs, Instant lastSeen) {}

  private final int capacity;
  private final LinkedHashMap<Mac, Sample> samples;

  public RssiTable(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1");
    }
    this.capacity = capacity;
    // Access order false: insertion order refreshed by remove+put, so the eldest is the least recently heard.
    this.samples = new LinkedHashMap<>(Math.min(capacity, 64), 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Mac, Sample> eldest) {
        return size() > RssiTable.this.capacity;
      }
    };
  }

  public void update(Mac src, int rssi, long radioTimeMs, Instant now) {
    samples.remove(src);
    samples.put(src, new Sample(Math.max(-127, Math.min(0, rssi)), radioTimeMs, now));
  }

  /** An immutable copy {mac: sample}, least recently heard first. */
  public Map<Mac, Sample> snapshot() {
    return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(samples));
  }

  public int size() {
    return samples.size();
  }
}
