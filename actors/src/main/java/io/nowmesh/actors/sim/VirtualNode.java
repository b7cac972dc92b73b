package io.nowmesh.actors.sim;

import io.nowmesh.actors.espnow.EspNowException;
import io.nowmesh.actors.espnow.Key;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.actors.espnow.PeerOptions;
import io.nowmesh.actors.link.Bytes;
import io.nowmesh.actors.link.PeerRecord;
import io.nowmesh.actors.link.ReplyBody;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A plain ESP-NOW station on the {@link SimulatedAir} with an API shaped like MicroPython's
 * {@code espnow} module (ESP-NOW is already active): a leaf node for tests and the demo. Errors are
 * {@link EspNowException}s with the ESP_ERR_ESPNOW_* the real module raises. Thread-safe.
 */
public final class VirtualNode implements AutoCloseable {
  private final Station station;

  VirtualNode(SimulatedAir air, Mac mac, double x, double y, int channel) {
    station = new Station(air, mac, x, y, channel);
    station.espnowActive = true;
    air.register(station);
  }

  public Mac mac() {
    return station.mac;
  }

  public void addPeer(Mac mac) {
    station.peers.add(mac, PeerOptions.DEFAULT);
  }

  public void addPeer(Mac mac, PeerOptions opts) {
    station.peers.add(mac, opts);
  }

  public void modPeer(Mac mac, PeerOptions opts) {
    station.peers.modify(mac, opts);
  }

  public void delPeer(Mac mac) {
    station.peers.remove(mac);
  }

  public PeerOptions getPeer(Mac mac) {
    return station.peers.get(mac);
  }

  public List<PeerRecord> getPeers() {
    return station.peers.list();
  }

  public void setPmk(Key pmk) {
    if (pmk.kind() != Key.Kind.PMK) {
      throw EspNowException.arg("set_pmk needs a PMK, got a " + pmk.kind());
    }
    station.pmk = pmk;
  }

  /**
   * send(mac, msg, sync): with {@code sync}, true iff every destination MAC-acked; without, true once
   * sent. {@code mac} null sends to every registered unicast peer.
   */
  public boolean send(Mac mac, Bytes data, boolean sync) {
    List<ReplyBody.PeerAck> acks = station.send(mac, data);
    return !sync || acks.stream().allMatch(ReplyBody.PeerAck::acked);
  }

  public boolean send(Mac mac, byte[] data, boolean sync) {
    return send(mac, Bytes.of(data), sync);
  }

  /** The per-destination acks of a send, for tests that need more than send()'s boolean. */
  public List<ReplyBody.PeerAck> sendDetailed(Mac mac, Bytes data) {
    return station.send(mac, data);
  }

  /** irecv(timeout): the next message, or empty on timeout. */
  public Optional<Received> recv(Duration timeout) throws InterruptedException {
    return Optional.ofNullable(station.rx.poll(timeout.toMillis()));
  }

  /**
   * Delivers messages to {@code listener} instead of the receive buffer (null to go back). The
   * listener runs on the sender's thread: keep it short and non-blocking.
   */
  public void onReceive(Consumer<Received> listener) {
    station.listener = listener;
  }

  /** Receive frames sent to this multicast MAC (without registering it as a peer). */
  public void joinGroup(Mac group) {
    if (!group.isMulticast() || group.isBroadcast()) {
      throw EspNowException.arg("not a multicast group address: " + group);
    }
    station.groups.add(group);
  }

  public void leaveGroup(Mac group) {
    station.groups.remove(group);
  }

  /** WLAN.active(): an inactive station neither acks nor receives. */
  public void setActive(boolean active) {
    station.wifiActive = active;
  }

  public void setChannel(int channel) {
    Station.checkChannel(channel);
    station.channel = channel;
  }

  public int channel() {
    return station.channel;
  }

  public void moveTo(double x, double y) {
    station.x = x;
    station.y = y;
  }

  /** Resizes and empties the receive buffer, as config(rxbuf=…) followed by a re-init does. */
  public void setRxBuf(int bytes) {
    if (bytes <= 0) {
      throw EspNowException.arg("rxbuf must be positive, got " + bytes);
    }
    station.rx.reset(bytes);
  }

  /** stats(): (tx_pkts, tx_responses, tx_failures, rx_packets, rx_dropped). */
  public ReplyBody.StatsResult stats() {
    return station.stats();
  }

  /** Frames that reached this node but failed decryption (key mismatch). */
  public long undecryptable() {
    return station.undecryptable.get();
  }

  /** peers_table: last RSSI and time of every station heard. */
  public List<ReplyBody.PeerRssi> peersTable() {
    return List.copyOf(station.peersTable.values());
  }

  /** Leaves the air. */
  @Override
  public void close() {
    station.air.unregister(station);
  }

  @Override
  public String toString() {
    return "VirtualNode[" + station.mac + ", ch " + station.channel + "]";
  }
}
