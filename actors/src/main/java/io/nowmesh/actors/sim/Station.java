package io.nowmesh.actors.sim;

import io.nowmesh.actors.espnow.EspNowError;
import io.nowmesh.actors.espnow.EspNowException;
import io.nowmesh.actors.espnow.Interface;
import io.nowmesh.actors.espnow.Key;
import io.nowmesh.actors.espnow.Limits;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.actors.espnow.PeerOptions;
import io.nowmesh.actors.link.Bytes;
import io.nowmesh.actors.link.PeerRecord;
import io.nowmesh.actors.link.ReplyBody;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One ESP-NOW station on the {@link SimulatedAir}: the state and rules shared by a
 * {@link SimulatedRadio} and a {@link VirtualNode} (position, channel, Wi-Fi and ESP-NOW activity,
 * peers, PMK, receive buffer, stats 5-tuple, peers_table). Sends run on the caller's thread and
 * deliver synchronously into the receivers' buffers, so there is no thread per frame.
 */
final class Station {
  /** ESP-IDF's default PMK ("pmk1234567890123"), used until set_pmk. */
  static final Key DEFAULT_PMK = Key.pmk("pmk1234567890123".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

  final Mac mac;
  final SimulatedAir air;
  final int homeChannel;
  volatile double x;
  volatile double y;
  volatile int channel;
  volatile boolean wifiActive = true;
  volatile boolean espnowActive;
  volatile Key pmk = DEFAULT_PMK;
  volatile Consumer<Received> listener;
  volatile long bootNanos = System.nanoTime();
  final PeerTable peers = new PeerTable();
  final Set<Mac> groups = ConcurrentHashMap.newKeySet();
  final RxBuffer rx = new RxBuffer(RxBuffer.DEFAULT_RXBUF);
  final Map<Mac, ReplyBody.PeerRssi> peersTable = new ConcurrentHashMap<>();
  final AtomicLong txPkts = new AtomicLong();
  final AtomicLong txResponses = new AtomicLong();
  final AtomicLong txFailures = new AtomicLong();
  final AtomicLong rxPackets = new AtomicLong();
  final AtomicLong rxDropped = new AtomicLong();
  /** Frames that arrived but could not be decrypted (key mismatch); not part of the 5-tuple. */
  final AtomicLong undecryptable = new AtomicLong();

  Station(SimulatedAir air, Mac mac, double x, double y, int channel) {
    if (mac.isGroup()) {
      throw new IllegalArgumentException("a station address must be unicast, got " + mac);
    }
    checkChannel(channel);
    this.air = air;
    this.mac = mac;
    this.x = x;
    this.y = y;
    this.channel = channel;
    this.homeChannel = channel;
  }

  static void checkChannel(int channel) {
    if (channel < 1 || channel > Limits.MAX_CHANNEL) {
      throw EspNowException.arg("the Wi-Fi channel must be 1.." + Limits.MAX_CHANNEL + ", got " + channel);
    }
  }

  /** ticks_ms of this station: milliseconds since its last boot, wrapping at 2^32. */
  long ticksMs() {
    return ((System.nanoTime() - bootNanos) / 1_000_000L) & 0xFFFF_FFFFL;
  }

  void requireInit() {
    if (!espnowActive) {
      throw new EspNowException(EspNowError.ESP_ERR_ESPNOW_NOT_INIT, "ESP-NOW is not active (INIT first)");
    }
  }

  /**
   * send(mac, msg) / send(None, msg): checks everything before transmitting anything, then sends to
   * each destination and returns the MAC-level ack of each (group addresses always ack).
   *
   * @param dst the destination, or null for every registered unicast peer
   */
  List<ReplyBody.PeerAck> send(Mac dst, Bytes data) {
    requireInit();
    if (!wifiActive) {
      throw new EspNowException(EspNowError.ESP_ERR_ESPNOW_IF, "the Wi-Fi interface is not active");
    }
    if (data.length() > Limits.MAX_DATA_LEN) {
      throw EspNowException.arg("data is at most 250 bytes (MAX_DATA_LEN), got " + data.length());
    }
    List<PeerRecord> targets = new ArrayList<>();
    if (dst == null) {
      for (PeerRecord p : peers.list()) {
        if (!p.mac().isGroup()) {
          targets.add(p);
        }
      }
      if (targets.isEmpty()) {
        throw new EspNowException(EspNowError.ESP_ERR_ESPNOW_NOT_FOUND, "no unicast peers registered");
      }
    } else {
      targets.add(new PeerRecord(dst, peers.get(dst)));
    }
    int ch = channel;
    for (PeerRecord t : targets) {
      PeerOptions o = t.options();
      if (o.channel() != 0 && o.channel() != ch) {
        throw new EspNowException(EspNowError.ESP_ERR_ESPNOW_CHAN,
            "peer " + t.mac() + " is on channel " + o.channel() + ", this radio is on " + ch);
      }
      if (o.ifidx() == Interface.AP) {
        throw new EspNowException(EspNowError.ESP_ERR_ESPNOW_IF,
            "peer " + t.mac() + " uses the AP interface, which is not active");
      }
    }
    List<ReplyBody.PeerAck> acks = new ArrayList<>(targets.size());
    for (PeerRecord t : targets) {
      txPkts.incrementAndGet();
      boolean acked = air.transmit(this, t.mac(), data, t.options());
      (acked ? txResponses : txFailures).incrementAndGet();
      acks.add(new ReplyBody.PeerAck(t.mac(), acked));
    }
    return acks;
  }

  boolean listensTo(Mac group) {
    return groups.contains(group) || peers.find(group).isPresent();
  }

  /**
   * A frame reached this station's antenna (the air already decided it is in range, on channel and
   * not lost; the MAC layer has acked it). Decides whether the application gets it.
   */
  void receive(Station from, Mac dst, int rssi, Bytes data, boolean encrypted, Optional<Key> lmk) {
    if (!espnowActive) {
      return; // Wi-Fi acks it, but nobody runs ESP-NOW here
    }
    if (!dst.isGroup()) {
      Optional<PeerOptions> mine = peers.find(from.mac);
      boolean iDecrypt = mine.map(PeerOptions::encrypt).orElse(false);
      if (encrypted != iDecrypt
          || (encrypted && (!mine.get().lmk().equals(lmk) || !pmk.equals(from.pmk)))) {
        undecryptable.incrementAndGet(); // real ESP-NOW drops frames it cannot decrypt
        return;
      }
    }
    long t = ticksMs();
    Received r = new Received(from.mac, dst, rssi, t, data);
    peersTable.put(from.mac, new ReplyBody.PeerRssi(from.mac, rssi, t));
    Consumer<Received> l = listener;
    if (l != null) {
      rxPackets.incrementAndGet();
      l.accept(r);
    } else if (rx.offer(r)) {
      rxPackets.incrementAndGet();
    } else {
      rxDropped.incrementAndGet();
    }
  }

  ReplyBody.StatsResult stats() {
    return new ReplyBody.StatsResult(txPkts.get() & 0xFFFF_FFFFL, txResponses.get() & 0xFFFF_FFFFL,
        txFailures.get() & 0xFFFF_FFFFL, rxPackets.get() & 0xFFFF_FFFFL, rxDropped.get() & 0xFFFF_FFFFL);
  }

  /** Everything a reboot forgets. */
  void reboot() {
    espnowActive = false;
    wifiActive = true;
    channel = homeChannel;
    pmk = DEFAULT_PMK;
    peers.clear();
    groups.clear();
    peersTable.clear();
    rx.reset(RxBuffer.DEFAULT_RXBUF);
    for (AtomicLong c : List.of(txPkts, txResponses, txFailures, rxPackets, rxDropped, undecryptable)) {
      c.set(0);
    }
    bootNanos = System.nanoTime();
  }
}
