package io.nowmesh.mesh.testair;

import io.nowmesh.actors.espnow.Mac;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A tiny shared "air" for mesh tests: stations hear each other only over declared links (with an
 * RSSI), a unicast is MAC-acked only if the destination is on, linked and listening, broadcast and
 * multicast reach every linked station that is on. Delivery is synchronous on the sender's thread.
 */
public final class TestAir {

  /** Something with a radio in this air. */
  public interface Station {
    Mac mac();

    boolean on();

    void hear(Mac source, Mac destination, int rssi, byte[] payload);
  }

  private final Map<Mac, Station> stations = new ConcurrentHashMap<>();
  private final Map<Long, Integer> links = new ConcurrentHashMap<>();

  public void add(Station s) {
    stations.put(s.mac(), s);
  }

  /** Declares that {@code a} and {@code b} hear each other at {@code rssi} dBm. */
  public void link(Mac a, Mac b, int rssi) {
    links.put(key(a, b), rssi);
  }

  public void unlink(Mac a, Mac b) {
    links.remove(key(a, b));
  }

  /** Airs a frame; returns whether a unicast was MAC-acknowledged (always true for group addresses). */
  public boolean transmit(Mac from, Mac to, byte[] payload) {
    if (to.isMulticast()) {
      for (Station s : stations.values()) {
        Integer rssi = links.get(key(from, s.mac()));
        if (rssi != null && s.on() && !s.mac().equals(from)) {
          s.hear(from, to, rssi, payload.clone());
        }
      }
      return true;
    }
    Station s = stations.get(to);
    Integer rssi = links.get(key(from, to));
    if (s == null || rssi == null || !s.on()) {
      return false;
    }
    s.hear(from, to, rssi, payload.clone());
    return true;
  }

  private static long key(Mac a, Mac b) {
    long x = a.toLong();
    long y = b.toLong();
    return x < y ? x * 31 + y * 1_000_003L : y * 31 + x * 1_000_003L;
  }
}
