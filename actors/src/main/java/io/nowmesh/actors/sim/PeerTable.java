package io.nowmesh.actors.sim;

import io.nowmesh.actors.espnow.EspNowError;
import io.nowmesh.actors.espnow.EspNowException;
import io.nowmesh.actors.espnow.Limits;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.actors.espnow.PeerOptions;
import io.nowmesh.actors.link.PeerRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A radio's registered peers with ESP-NOW's rules: at most {@link Limits#MAX_TOTAL_PEER_NUM} peers
 * of which at most {@link Limits#MAX_ENCRYPT_PEER_NUM} encrypted (ESP_ERR_ESPNOW_FULL), no duplicates
 * (EXIST), unknown MACs are NOT_FOUND, encryption to group MACs is ARG. Thread-safe; keeps insertion
 * order so GET_PEERS lists peers in the order they were added, as the radio does.
 */
public final class PeerTable {
  private final Map<Mac, PeerOptions> peers = new LinkedHashMap<>();
  private int encrypted;

  public synchronized void add(Mac mac, PeerOptions opts) {
    opts.validateFor(mac);
    if (peers.containsKey(mac)) {
      throw new EspNowException(EspNowError.ESP_ERR_ESPNOW_EXIST, "peer " + mac + " is already registered");
    }
    if (peers.size() >= Limits.MAX_TOTAL_PEER_NUM) {
      throw new EspNowException(EspNowError.ESP_ERR_ESPNOW_FULL,
          "already " + Limits.MAX_TOTAL_PEER_NUM + " peers (MAX_TOTAL_PEER_NUM)");
    }
    if (opts.encrypt() && encrypted >= Limits.MAX_ENCRYPT_PEER_NUM) {
      throw new EspNowException(EspNowError.ESP_ERR_ESPNOW_FULL,
          "already " + Limits.MAX_ENCRYPT_PEER_NUM + " encrypted peers (MAX_ENCRYPT_PEER_NUM)");
    }
    peers.put(mac, opts);
    if (opts.encrypt()) {
      encrypted++;
    }
  }

  public synchronized void modify(Mac mac, PeerOptions opts) {
    opts.validateFor(mac);
    PeerOptions old = get(mac);
    if (opts.encrypt() && !old.encrypt() && encrypted >= Limits.MAX_ENCRYPT_PEER_NUM) {
      throw new EspNowException(EspNowError.ESP_ERR_ESPNOW_FULL,
          "already " + Limits.MAX_ENCRYPT_PEER_NUM + " encrypted peers (MAX_ENCRYPT_PEER_NUM)");
    }
    peers.put(mac, opts);
    encrypted += (opts.encrypt() ? 1 : 0) - (old.encrypt() ? 1 : 0);
  }

  public synchronized void remove(Mac mac) {
    PeerOptions old = peers.remove(mac);
    if (old == null) {
      throw notFound(mac);
    }
    if (old.encrypt()) {
      encrypted--;
    }
  }

  /** The peer's options, or ESP_ERR_ESPNOW_NOT_FOUND. */
  public synchronized PeerOptions get(Mac mac) {
    PeerOptions o = peers.get(mac);
    if (o == null) {
      throw notFound(mac);
    }
    return o;
  }

  public synchronized Optional<PeerOptions> find(Mac mac) {
    return Optional.ofNullable(peers.get(mac));
  }

  public synchronized List<PeerRecord> list() {
    List<PeerRecord> out = new ArrayList<>(peers.size());
    peers.forEach((m, o) -> out.add(new PeerRecord(m, o)));
    return out;
  }

  public synchronized int count() {
    return peers.size();
  }

  public synchronized int encryptedCount() {
    return encrypted;
  }

  public synchronized void clear() {
    peers.clear();
    encrypted = 0;
  }

  private static EspNowException notFound(Mac mac) {
    return new EspNowException(EspNowError.ESP_ERR_ESPNOW_NOT_FOUND, "peer " + mac + " is not registered");
  }
}
