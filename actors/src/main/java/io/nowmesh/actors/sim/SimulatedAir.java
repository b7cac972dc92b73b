package io.nowmesh.actors.sim;

import io.nowmesh.actors.espnow.Key;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.actors.espnow.PeerOptions;
import io.nowmesh.actors.link.Bytes;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The radio medium shared by {@link SimulatedRadio}s and {@link VirtualNode}s. Its rules:
 * <ul>
 *   <li><b>RSSI</b> follows log-distance path loss:
 *       {@code rssi = rssiAt1m − 10·n·log10(d / 1 m)} (d at least 0.1 m), rounded and clamped to
 *       −127..0 dBm. Defaults: −40 dBm at 1 m, n = 2.7 (indoor), so −95 dBm is reached at ≈ 109 m.</li>
 *   <li><b>Reach</b>: a frame reaches a station whose Wi-Fi is active, on the sender's channel, with
 *       RSSI ≥ the sensitivity (default −95 dBm), unless lost (independent loss with the configured
 *       probability, drawn from a seedable {@link Random}).</li>
 *   <li><b>Unicast</b> is MAC-acked iff it reaches the receiver, whether or not the receiver runs
 *       ESP-NOW, has room in its buffer or can decrypt it (an 802.11 ack is not an application ack).</li>
 *   <li><b>Broadcast</b> goes to every reached station; <b>multicast</b> to every reached station that
 *       joined the group ({@link VirtualNode#joinGroup}) or registered the group MAC as a peer. Group
 *       sends always report success.</li>
 *   <li><b>Encryption</b>: a unicast frame is delivered to the application only when both sides agree:
 *       the sender's peer entry and the receiver's entry for the sender are both plaintext, or both
 *       encrypted with the same LMK and both stations have the same PMK. Otherwise the frame is acked
 *       but dropped and counted as undecryptable (not in the stats 5-tuple), as real ESP-NOW drops
 *       frames it cannot decrypt.</li>
 *   <li><b>Receive buffer</b>: a delivered message that does not fit the receiver's rxbuf is dropped
 *       and counted in rx_dropped (still acked).</li>
 * </ul>
 * Transmission runs on the sender's thread and touches only the receivers' buffers, so radios never
 * wait for each other and no thread is started per frame.
 */
public final class SimulatedAir {
  /** The propagation model and loss; see the class comment. */
  public record Settings(double rssiAt1m, double pathLossExponent, int sensitivityDbm, double lossProbability,
      long seed) {
    public static final Settings DEFAULT = new Settings(-40, 2.7, -95, 0.0, 42);

    public Settings {
      if (lossProbability < 0 || lossProbability > 1) {
        throw new IllegalArgumentException("loss probability must be 0..1, got " + lossProbability);
      }
      if (pathLossExponent <= 0) {
        throw new IllegalArgumentException("path loss exponent must be positive");
      }
    }

    public Settings withLoss(double p) {
      return new Settings(rssiAt1m, pathLossExponent, sensitivityDbm, p, seed);
    }
  }

  private final Settings settings;
  private final Random random;
  private volatile double lossProbability;
  private final ConcurrentHashMap<Mac, Station> byMac = new ConcurrentHashMap<>();
  private volatile Station[] all = new Station[0];

  public SimulatedAir() {
    this(Settings.DEFAULT);
  }

  public SimulatedAir(Settings settings) {
    this.settings = settings;
    this.random = new Random(settings.seed());
    this.lossProbability = settings.lossProbability();
  }

  public Settings settings() {
    return settings;
  }

  /** Changes the loss probability at run time (e.g. to test retries). */
  public void setLossProbability(double p) {
    if (p < 0 || p > 1) {
      throw new IllegalArgumentException("loss probability must be 0..1, got " + p);
    }
    lossProbability = p;
  }

  /** A plain ESP-NOW station at (x, y) metres on {@code channel}, with ESP-NOW already active. */
  public VirtualNode addNode(Mac mac, double x, double y, int channel) {
    return new VirtualNode(this, mac, x, y, channel);
  }

  /** A radio co-processor speaking the serial protocol, started (BOOT already sent). */
  public SimulatedRadio addRadio(Mac staMac, double x, double y, int channel) {
    return SimulatedRadio.start(this, staMac, x, y, channel, SimulatedRadio.Settings.DEFAULT);
  }

  /** The RSSI at {@code distance} metres under this air's model. */
  public int rssiAt(double distance) {
    double d = Math.max(distance, 0.1);
    double r = settings.rssiAt1m() - 10 * settings.pathLossExponent() * Math.log10(d);
    return (int) Math.max(-127, Math.min(0, Math.round(r)));
  }

  /** RSSI between two registered stations, or empty if either is unknown. */
  public Optional<Integer> rssiBetween(Mac a, Mac b) {
    Station sa = byMac.get(a);
    Station sb = byMac.get(b);
    return sa == null || sb == null ? Optional.empty() : Optional.of(rssi(sa, sb));
  }

  /** Number of stations on the air. */
  public int size() {
    return byMac.size();
  }

  synchronized void register(Station s) {
    if (byMac.putIfAbsent(s.mac, s) != null) {
      throw new IllegalArgumentException("a station with MAC " + s.mac + " is already on the air");
    }
    all = byMac.values().toArray(new Station[0]);
  }

  synchronized void unregister(Station s) {
    if (byMac.remove(s.mac, s)) {
      all = byMac.values().toArray(new Station[0]);
    }
  }

  private int rssi(Station a, Station b) {
    return rssiAt(Math.hypot(a.x - b.x, a.y - b.y));
  }

  private boolean lost() {
    double p = lossProbability;
    return p > 0 && random.nextDouble() < p;
  }

  /** Whether {@code to} hears a frame {@code from} sends now; returns its RSSI, or null. */
  private Integer reach(Station from, Station to) {
    if (!to.wifiActive || to.channel != from.channel) {
      return null;
    }
    int r = rssi(from, to);
    if (r < settings.sensitivityDbm() || lost()) {
      return null;
    }
    return r;
  }

  /** Puts one frame on the air; returns the MAC-level ack (always true for group addresses). */
  boolean transmit(Station from, Mac dst, Bytes data, PeerOptions opts) {
    if (dst.isGroup()) {
      for (Station s : all) {
        if (s != from && (dst.isBroadcast() || s.listensTo(dst))) {
          Integer r = reach(from, s);
          if (r != null) {
            s.receive(from, dst, r, data, false, Optional.empty());
          }
        }
      }
      return true;
    }
    Station to = byMac.get(dst);
    if (to == null || to == from) {
      return false;
    }
    Integer r = reach(from, to);
    if (r == null) {
      return false;
    }
    Optional<Key> lmk = opts.encrypt() ? opts.lmk() : Optional.empty();
    to.receive(from, dst, r, data, opts.encrypt(), lmk);
    return true;
  }
}
