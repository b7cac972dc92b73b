package io.nowmesh.actors.device;

import io.nowmesh.actors.espnow.EspNowError;
import io.nowmesh.actors.espnow.EspNowException;
import io.nowmesh.actors.espnow.Key;
import io.nowmesh.actors.espnow.Limits;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.actors.espnow.PeerOptions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The host's authoritative mirror of one radio's peer table. Every ESP-NOW limit is checked here
 * before a command reaches the wire, so the radio only ever sees requests it can honour.
 *
 * <p>Two kinds of entries share the radio's slots:
 * <ul>
 *   <li><b>pinned</b> peers — added explicitly by the application (and therefore every encrypted,
 *       broadcast and multicast peer). They are what {@code get_peers}/{@code peer_count} report and
 *       they are never evicted.
 *   <li><b>virtual</b> peers — unicast destinations registered on demand because something was sent
 *       to them. They are a cache: invisible to the application, evicted least-recently-used first
 *       when a slot is needed, and forgotten when the radio reboots.
 * </ul>
 *
 * <p>Mutations come in plan/commit pairs: {@code plan*} validates and says what the wire must do
 * (throwing {@link EspNowException} with the ESP_ERR_ESPNOW_* code otherwise) without changing
 * anything; {@code commit*} records the result once the radio said OK. Not thread-safe: one actor owns it.
 */
public final class PeerTable {

  /** One peer registered on the radio. */
  public record Entry(Mac mac, PeerOptions options, boolean pinned) {}

  /** What adding (or pinning) a peer requires on the wire. */
  public sealed interface AddPlan {}

  /** ADD_PEER, after first deleting {@code evict} (a virtual peer) if present. */
  public record Register(Optional<Mac> evict) implements AddPlan {}

  /** The MAC is already a virtual peer: pin it, sending MOD_PEER first when the options differ. */
  public record Pin(boolean needsModify) implements AddPlan {}

  /**
   * The radio is full but some virtual peers have sends in flight: wait until one finishes
   * (a request for a slot is never refused while a slot will come free).
   */
  public record WaitForSlot() implements AddPlan, SendPlan {}

  /** What a unicast send needs before it can go out. */
  public sealed interface SendPlan {}

  /** The destination is registered on the radio; send now. */
  public record Ready() implements SendPlan {}

  /** Register the destination as a virtual peer first, evicting {@code evict} if present. */
  public record RegisterVirtual(Optional<Mac> evict) implements SendPlan {}

  /** What must be sent to a freshly booted radio, in order: the PMK, then these peers. */
  public record Replay(Optional<Key> pmk, List<Entry> peers) {}

  private static final class Slot {
    Entry entry;
    long lastUsed;
    int inFlight;

    Slot(Entry entry, long lastUsed) {
      this.entry = entry;
      this.lastUsed = lastUsed;
    }
  }

  private final Map<Mac, Slot> slots = new HashMap<>();
  private int maxTotal;
  private int maxEncrypted;
  private Optional<Key> pmk = Optional.empty();
  private long clock;

  public PeerTable() {
    this(Limits.MAX_TOTAL_PEER_NUM, Limits.MAX_ENCRYPT_PEER_NUM);
  }

  public PeerTable(int maxTotal, int maxEncrypted) {
    setLimits(maxTotal, maxEncrypted);
  }

  /** Adopts the limits a radio advertised at boot. */
  public void setLimits(int maxTotal, int maxEncrypted) {
    if (maxTotal < 1 || maxEncrypted < 0 || maxEncrypted > maxTotal) {
      throw new IllegalArgumentException("bad peer limits " + maxTotal + "/" + maxEncrypted);
    }
    this.maxTotal = maxTotal;
    this.maxEncrypted = maxEncrypted;
  }

  public int maxTotal() {
    return maxTotal;
  }

  public int maxEncrypted() {
    return maxEncrypted;
  }

  // ---------------------------------------------------------------- PMK

  public void setPmk(Key key) {
    if (key == null || key.kind() != Key.Kind.PMK) {
      throw EspNowException.arg("set_pmk needs a 16-byte PMK");
    }
    this.pmk = Optional.of(key);
  }

  public Optional<Key> pmk() {
    return pmk;
  }

  // ---------------------------------------------------------------- queries (application view)

  /** The explicitly added peers, in MAC order ({@code get_peers()}). */
  public List<Entry> pinnedPeers() {
    List<Entry> out = new ArrayList<>();
    for (Slot s : slots.values()) {
      if (s.entry.pinned()) {
        out.add(s.entry);
      }
    }
    out.sort(Comparator.comparing(Entry::mac));
    return out;
  }

  /** {@code get_peer(mac)}: only explicitly added peers are visible. */
  public Entry getPeer(Mac mac) {
    Slot s = slots.get(mac);
    if (s == null || !s.entry.pinned()) {
      throw notFound(mac);
    }
    return s.entry;
  }

  /** {@code peer_count()} as the application sees it: explicitly added peers only. */
  public int pinnedCount() {
    return (int) slots.values().stream().filter(s -> s.entry.pinned()).count();
  }

  public int encryptedCount() {
    return (int) slots.values().stream().filter(s -> s.entry.options().encrypt()).count();
  }

  /** Peers actually occupying radio slots, pinned and virtual. */
  public int registeredCount() {
    return slots.size();
  }

  public boolean isRegistered(Mac mac) {
    return slots.containsKey(mac);
  }

  /** Everything registered on the radio, in MAC order. */
  public List<Entry> radioPeers() {
    List<Entry> out = new ArrayList<>();
    for (Slot s : slots.values()) {
      out.add(s.entry);
    }
    out.sort(Comparator.comparing(Entry::mac));
    return out;
  }

  /** Virtual peers currently on the radio (a to-all send must clear them first). */
  public List<Mac> virtualPeers() {
    List<Mac> out = new ArrayList<>();
    for (Slot s : slots.values()) {
      if (!s.entry.pinned()) {
        out.add(s.entry.mac());
      }
    }
    out.sort(Comparator.naturalOrder());
    return out;
  }

  // ---------------------------------------------------------------- add / mod / del

  /** Validates {@code add_peer(mac, options)} against the limits; changes nothing. */
  public AddPlan planAdd(Mac mac, PeerOptions options) {
    requireUsable(mac);
    options.validateFor(mac);
    Slot existing = slots.get(mac);
    if (existing != null && existing.entry.pinned()) {
      throw new EspNowException(EspNowError.ESP_ERR_ESPNOW_EXIST, mac + " is already registered");
    }
    if (options.encrypt() && encryptedCount() >= maxEncrypted) {
      throw new EspNowException(EspNowError.ESP_ERR_ESPNOW_FULL,
          "cannot add " + mac + ": already " + maxEncrypted + " encrypted peers (MAX_ENCRYPT_PEER_NUM)");
    }
    if (existing != null) {
      return new Pin(!existing.entry.options().equals(options));
    }
    if (pinnedCount() >= maxTotal) {
      throw new EspNowException(EspNowError.ESP_ERR_ESPNOW_FULL,
          "cannot add " + mac + ": already " + maxTotal + " peers (MAX_TOTAL_PEER_NUM)");
    }
    if (slots.size() < maxTotal) {
      return new Register(Optional.empty());
    }
    Optional<Mac> victim = lruVictim();
    return victim.isEmpty() ? new WaitForSlot() : new Register(victim);
  }

  /** Records a peer the radio accepted (ADD_PEER or MOD_PEER answered OK). */
  public void commitAdd(Mac mac, PeerOptions options, boolean pinned) {
    Slot s = slots.get(mac);
    if (s == null) {
      slots.put(mac, new Slot(new Entry(mac, options, pinned), ++clock));
    } else {
      s.entry = new Entry(mac, options, pinned || s.entry.pinned());
      s.lastUsed = ++clock;
    }
  }

  /** Validates {@code mod_peer(mac, options)}; changes nothing. */
  public void planModify(Mac mac, PeerOptions options) {
    requireUsable(mac);
    Entry current = getPeer(mac);
    options.validateFor(mac);
    if (options.encrypt() && !current.options().encrypt() && encryptedCount() >= maxEncrypted) {
      throw new EspNowException(EspNowError.ESP_ERR_ESPNOW_FULL,
          "cannot encrypt " + mac + ": already " + maxEncrypted + " encrypted peers (MAX_ENCRYPT_PEER_NUM)");
    }
  }

  public void commitModify(Mac mac, PeerOptions options) {
    Slot s = slots.get(mac);
    if (s != null) {
      s.entry = new Entry(mac, options, s.entry.pinned());
    }
  }

  /** Validates {@code del_peer(mac)}: only explicitly added peers can be deleted. */
  public void planDelete(Mac mac) {
    requireUsable(mac);
    getPeer(mac);
  }

  /** Forgets a peer (deleted by the application or evicted). */
  public void commitDelete(Mac mac) {
    slots.remove(mac);
  }

  // ---------------------------------------------------------------- sends and LRU

  /**
   * What a send to {@code mac} needs. Broadcast and multicast destinations must have been added
   * explicitly (the API's rule); unicast ones are registered on demand when {@code virtualPeers}.
   */
  public SendPlan planSend(Mac mac, boolean virtualPeers) {
    requireUsable(mac);
    if (slots.containsKey(mac)) {
      return new Ready();
    }
    if (mac.isGroup()) {
      throw new EspNowException(EspNowError.ESP_ERR_ESPNOW_NOT_FOUND,
          mac + " is a broadcast/multicast address and must be registered with add_peer before sending");
    }
    if (!virtualPeers) {
      throw notFound(mac);
    }
    if (slots.size() < maxTotal) {
      return new RegisterVirtual(Optional.empty());
    }
    if (pinnedCount() >= maxTotal) {
      throw new EspNowException(EspNowError.ESP_ERR_ESPNOW_FULL, "cannot reach " + mac + ": all "
          + maxTotal + " radio slots hold explicitly added peers (MAX_TOTAL_PEER_NUM)");
    }
    Optional<Mac> victim = lruVictim();
    return victim.isEmpty() ? new WaitForSlot() : new RegisterVirtual(victim);
  }

  /** A send to {@code mac} was handed to the radio: it is now most recently used and not evictable. */
  public void sendStarted(Mac mac) {
    Slot s = slots.get(mac);
    if (s != null) {
      s.lastUsed = ++clock;
      s.inFlight++;
    }
  }

  /** The send to {@code mac} has its outcome; the peer may be evicted again. */
  public void sendFinished(Mac mac) {
    Slot s = slots.get(mac);
    if (s != null && s.inFlight > 0) {
      s.inFlight--;
    }
  }

  private Optional<Mac> lruVictim() {
    Slot best = null;
    for (Slot s : slots.values()) {
      if (!s.entry.pinned() && s.inFlight == 0 && (best == null || s.lastUsed < best.lastUsed)) {
        best = s;
      }
    }
    return best == null ? Optional.empty() : Optional.of(best.entry.mac());
  }

  // ---------------------------------------------------------------- reboot

  /**
   * The radio rebooted and lost its table: virtual peers are forgotten (they are only a cache) and
   * the PMK plus the explicitly added peers are returned for replay, in the order they must go.
   */
  public Replay radioRebooted() {
    slots.values().removeIf(s -> !s.entry.pinned());
    for (Slot s : slots.values()) {
      s.inFlight = 0;
    }
    return new Replay(pmk, pinnedPeers());
  }

  /**
   * What makes the radio's peers ({@code onRadio}, from GET_PEERS) equal to this table: DEL for
   * peers only the radio has, ADD for pinned peers it lacks, MOD where options differ. Virtual
   * peers the radio lacks are simply forgotten here (they are re-registered on demand).
   */
  public List<io.nowmesh.actors.link.Command> reconcile(List<io.nowmesh.actors.link.PeerRecord> onRadio) {
    Map<Mac, io.nowmesh.actors.link.PeerRecord> radio = new HashMap<>();
    onRadio.forEach(p -> radio.put(p.mac(), p));
    List<io.nowmesh.actors.link.Command> todo = new ArrayList<>();
    for (io.nowmesh.actors.link.PeerRecord p : onRadio) {
      if (!slots.containsKey(p.mac())) {
        todo.add(new io.nowmesh.actors.link.Command.DelPeer(p.mac()));
      }
    }
    for (Entry e : radioPeers()) {
      io.nowmesh.actors.link.PeerRecord there = radio.get(e.mac());
      if (there == null && !e.pinned()) {
        slots.remove(e.mac());
      } else if (there == null) {
        todo.add(new io.nowmesh.actors.link.Command.AddPeer(new io.nowmesh.actors.link.PeerRecord(e.mac(), e.options())));
      } else if (!there.options().equals(e.options())) {
        todo.add(new io.nowmesh.actors.link.Command.ModPeer(new io.nowmesh.actors.link.PeerRecord(e.mac(), e.options())));
      }
    }
    return todo;
  }

  /** An immutable copy, used to re-seed a restarted owner. */
  public Snapshot snapshot() {
    return new Snapshot(pmk, radioPeers(), maxTotal, maxEncrypted);
  }

  /** Rebuilds a table from {@link #snapshot()}. */
  public static PeerTable from(Snapshot snapshot) {
    PeerTable t = new PeerTable(snapshot.maxTotal(), snapshot.maxEncrypted());
    t.pmk = snapshot.pmk();
    for (Entry e : snapshot.peers()) {
      t.commitAdd(e.mac(), e.options(), e.pinned());
    }
    return t;
  }

  /** The table's contents at one moment; safe to hand to another actor. */
  public record Snapshot(Optional<Key> pmk, List<Entry> peers, int maxTotal, int maxEncrypted) {
    public Snapshot {
      peers = List.copyOf(peers);
    }

    public static Snapshot empty() {
      return new PeerTable().snapshot();
    }
  }

  private static void requireUsable(Mac mac) {
    if (mac == null) {
      throw EspNowException.arg("a peer MAC address is required");
    }
    if (mac.isZero()) {
      throw EspNowException.arg("00:00:00:00:00:00 is not a valid peer address");
    }
  }

  private static EspNowException notFound(Mac mac) {
    return new EspNowException(EspNowError.ESP_ERR_ESPNOW_NOT_FOUND, mac + " is not registered (add_peer first)");
  }
}
