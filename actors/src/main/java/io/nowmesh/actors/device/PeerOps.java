package io.nowmesh.actors.device;

import akka.Done;
import akka.actor.typed.ActorRef;
import io.nowmesh.actors.device.DeviceActor.PeerCount;
import io.nowmesh.actors.device.DeviceActor.PeerInfo;
import io.nowmesh.actors.device.DeviceActor.SendResult;
import io.nowmesh.actors.espnow.EspNowError;
import io.nowmesh.actors.espnow.EspNowException;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.actors.espnow.PeerOptions;
import io.nowmesh.actors.link.Bytes;
import io.nowmesh.actors.link.Command;
import io.nowmesh.actors.link.PeerRecord;
import io.nowmesh.actors.link.ReplyBody;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * The peer child's request handling, used only from inside {@link PeerActor} (one thread at a
 * time): add/mod/del/get peers, set_pmk and sends, with optimistic table changes rolled back when the
 * radio refuses, per-MAC ordering ("busy" MACs), LRU virtual registration and waiting for a slot.
 * Every wire command goes to the sender tagged, and its one Result comes back through {@link #onWire}.
 */
final class PeerOps {
  private final Logger log;
  private final ActorRef<DeviceActor.Command> parent;
  private final ActorRef<SenderActor.Command> sender;
  private final ActorRef<SenderActor.Result> wire;
  private final DeviceSettings settings;
  final PeerTable table;
  private final Map<Long, Consumer<Outcome<ReplyBody>>> pending = new HashMap<>();
  /** MACs with a peer-table command on the wire, and what waits for it. */
  private final Map<Mac, List<Runnable>> busy = new HashMap<>();
  /** Requests waiting for a radio slot to come free (every virtual peer had a send in flight). */
  private final java.util.ArrayDeque<Runnable> slotWaiters = new java.util.ArrayDeque<>();
  private long nextTag = 1;
  int radioChannel;

  PeerOps(Logger log, ActorRef<DeviceActor.Command> parent, ActorRef<SenderActor.Command> sender,
      ActorRef<SenderActor.Result> wire, DeviceSettings settings, PeerTable table) {
    this.log = log;
    this.parent = parent;
    this.sender = sender;
    this.wire = wire;
    this.settings = settings;
    this.table = table;
  }

  /** The radio dropped every peer (deinit): so does the mirror. */
  void cleared() {
    for (PeerTable.Entry e : table.radioPeers()) {
      table.commitDelete(e.mac());
    }
    changed();
  }

  void onWire(SenderActor.Result result) {
    Consumer<Outcome<ReplyBody>> k = pending.remove(result.tag());
    if (k != null) {
      k.accept(result.outcome());
    }
  }

  /** Answers everything this instance still waits for; called before a restart or stop. */
  void failPending(String reason) {
    List<Consumer<Outcome<ReplyBody>>> ks = new ArrayList<>(pending.values());
    pending.clear();
    ks.forEach(k -> k.accept(new Outcome.Interrupted<>(reason)));
  }

  void submit(Command command, boolean priority, Consumer<Outcome<ReplyBody>> k) {
    long tag = nextTag++;
    pending.put(tag, k);
    sender.tell(new SenderActor.Submit(command, priority, tag, wire));
  }

  void changed() {
    parent.tell(new DeviceActor.PeerTableChanged(table.snapshot()));
  }

  /** Runs {@code work} now, or once the peer-table command on the wire for {@code mac} is done. */
  private boolean deferIfBusy(Mac mac, Runnable work) {
    List<Runnable> waiting = mac == null ? null : busy.get(mac);
    if (waiting != null) {
      waiting.add(work);
      return true;
    }
    return false;
  }

  private void markBusy(Mac mac) {
    busy.putIfAbsent(mac, new ArrayList<>());
  }

  /** A slot may have come free: let the waiting requests plan again, in order. */
  private void slotFreed() {
    if (slotWaiters.isEmpty()) {
      return;
    }
    List<Runnable> again = new ArrayList<>(slotWaiters);
    slotWaiters.clear();
    again.forEach(Runnable::run);
  }

  private void unbusy(Mac mac) {
    List<Runnable> waiting = busy.remove(mac);
    if (waiting != null) {
      waiting.forEach(Runnable::run);
    }
  }

  // ------------------------------------------------------------ requests

  void handle(DeviceActor.Request<?> request) {
    try {
      if (request instanceof DeviceActor.AddPeer a) {
        if (!deferIfBusy(a.mac(), () -> handle(a))) {
          add(a);
        }
      } else if (request instanceof DeviceActor.ModPeer m) {
        if (!deferIfBusy(m.mac(), () -> handle(m))) {
          modify(m);
        }
      } else if (request instanceof DeviceActor.DelPeer d) {
        if (!deferIfBusy(d.mac(), () -> handle(d))) {
          delete(d);
        }
      } else if (request instanceof DeviceActor.Send s) {
        if (!deferIfBusy(s.to(), () -> handle(s))) {
          send(s);
        }
      } else if (request instanceof DeviceActor.SendToAll s) {
        sendToAll(s);
      } else if (request instanceof DeviceActor.SetPmk p) {
        setPmk(p);
      } else if (request instanceof DeviceActor.GetPeer g) {
        PeerTable.Entry e = table.getPeer(g.mac());
        g.replyTo().tell(new Outcome.Ok<>(new PeerInfo(e.mac(), e.options())));
      } else if (request instanceof DeviceActor.GetPeers g) {
        g.replyTo().tell(new Outcome.Ok<>(
            table.pinnedPeers().stream().map(e -> new PeerInfo(e.mac(), e.options())).toList()));
      } else if (request instanceof DeviceActor.GetPeerCount g) {
        int enc = (int) table.pinnedPeers().stream().filter(e -> e.options().encrypt()).count();
        g.replyTo().tell(new Outcome.Ok<>(new PeerCount(table.pinnedCount(), enc)));
      } else {
        refuse(request, new EspNowException(EspNowError.FAILED, "not a peer request: " + request));
      }
    } catch (EspNowException e) {
      refuse(request, e);
    }
  }

  private static <T> void refuse(DeviceActor.Request<T> r, EspNowException e) {
    r.replyTo().tell(Outcome.Refused.of(e));
  }

  private void add(DeviceActor.AddPeer a) {
    PeerTable.AddPlan plan = table.planAdd(a.mac(), a.options());
    if (plan instanceof PeerTable.WaitForSlot) {
      slotWaiters.add(() -> handle(a));
      return;
    }
    warnChannel(a.mac(), a.options());
    Optional<PeerTable.Entry> before = table.radioPeers().stream().filter(e -> e.mac().equals(a.mac())).findFirst();
    if (plan instanceof PeerTable.Pin pin && !pin.needsModify()) {
      table.commitAdd(a.mac(), a.options(), true);
      changed();
      a.replyTo().tell(new Outcome.Ok<>(Done.getInstance()));
      return;
    }
    Optional<Mac> evict = plan instanceof PeerTable.Register r ? r.evict() : Optional.empty();
    evict.ifPresent(v -> {
      markBusy(v);
      table.commitDelete(v);
    });
    markBusy(a.mac());
    table.commitAdd(a.mac(), a.options(), true);
    Command cmd = plan instanceof PeerTable.Pin
        ? new Command.ModPeer(new PeerRecord(a.mac(), a.options()))
        : new Command.AddPeer(new PeerRecord(a.mac(), a.options()));
    evictThen(evict, () -> submit(cmd, false, out -> {
      if (!out.isOk()) {
        rollback(a.mac(), before);
      }
      changed();
      unbusy(a.mac());
      a.replyTo().tell(out.map(b -> Done.getInstance()));
      if (!out.isOk()) {
        slotFreed();
      }
    }));
  }

  private void modify(DeviceActor.ModPeer m) {
    table.planModify(m.mac(), m.options());
    warnChannel(m.mac(), m.options());
    PeerTable.Entry before = table.getPeer(m.mac());
    markBusy(m.mac());
    table.commitModify(m.mac(), m.options());
    submit(new Command.ModPeer(new PeerRecord(m.mac(), m.options())), false, out -> {
      if (!out.isOk()) {
        table.commitModify(m.mac(), before.options());
      }
      changed();
      unbusy(m.mac());
      m.replyTo().tell(out.map(b -> Done.getInstance()));
    });
  }

  private void delete(DeviceActor.DelPeer d) {
    table.planDelete(d.mac());
    PeerTable.Entry before = table.getPeer(d.mac());
    markBusy(d.mac());
    table.commitDelete(d.mac());
    submit(new Command.DelPeer(d.mac()), false, out -> {
      boolean gone = out.isOk() || isError(out, EspNowError.ESP_ERR_ESPNOW_NOT_FOUND);
      if (!gone) {
        table.commitAdd(before.mac(), before.options(), true);
      }
      changed();
      unbusy(d.mac());
      d.replyTo().tell(out.map(b -> Done.getInstance()));
      slotFreed();
    });
  }

  /** Deletes a virtual peer from the radio (already removed from the table), then runs {@code next}. */
  private void evictThen(Optional<Mac> victim, Runnable next) {
    if (victim.isEmpty()) {
      next.run();
      return;
    }
    Mac v = victim.get();
    submit(new Command.DelPeer(v), false, out -> {
      if (!out.isOk() && !isError(out, EspNowError.ESP_ERR_ESPNOW_NOT_FOUND)) {
        log.warn("evicting virtual peer {} failed: {}", v, out);
      }
      unbusy(v);
      next.run();
    });
  }

  private static boolean isError(Outcome<ReplyBody> out, EspNowError error) {
    return out instanceof Outcome.Refused<ReplyBody> r && r.error() == error;
  }

  private void rollback(Mac mac, Optional<PeerTable.Entry> before) {
    table.commitDelete(mac);
    before.ifPresent(e -> table.commitAdd(e.mac(), e.options(), e.pinned()));
  }

  private void setPmk(DeviceActor.SetPmk p) {
    new PeerTable().setPmk(p.pmk()); // validates: a PMK, 16 bytes
    submit(new Command.SetPmk(p.pmk()), false, out -> {
      if (out.isOk()) {
        table.setPmk(p.pmk());
        changed();
      }
      p.replyTo().tell(out.map(b -> Done.getInstance()));
    });
  }

  // ------------------------------------------------------------ sends

  private void send(DeviceActor.Send s) {
    checkLength(s.data());
    PeerTable.SendPlan plan = table.planSend(s.to(), settings.virtualPeers());
    if (plan instanceof PeerTable.WaitForSlot) {
      slotWaiters.add(() -> handle(s));
      return;
    }
    if (plan instanceof PeerTable.RegisterVirtual rv) {
      registerVirtual(s.to(), rv.evict(), s);
      return;
    }
    table.sendStarted(s.to());
    submit(Command.Send.to(s.to(), Bytes.of(s.data()), s.sync()), false, out -> {
      table.sendFinished(s.to());
      s.replyTo().tell(out.map(PeerOps::sendResult));
      slotFreed();
    });
  }

  private void registerVirtual(Mac mac, Optional<Mac> evict, DeviceActor.Send s) {
    evict.ifPresent(v -> {
      markBusy(v);
      table.commitDelete(v);
    });
    markBusy(mac);
    table.commitAdd(mac, PeerOptions.DEFAULT, false);
    table.sendStarted(mac); // reserved: no concurrent registration may pick it as its victim
    evictThen(evict, () -> submit(new Command.AddPeer(PeerRecord.of(mac)), false, out -> {
      table.sendFinished(mac);
      List<Runnable> waiting = busy.remove(mac);
      if (!out.isOk() && !isError(out, EspNowError.ESP_ERR_ESPNOW_EXIST)) { // EXIST: it is there, fine
        table.commitDelete(mac);
        s.replyTo().tell(out.map(b -> null));
      } else {
        handle(s); // first, so sends to one destination keep their order
      }
      changed();
      if (waiting != null) {
        waiting.forEach(Runnable::run);
      }
      slotFreed();
    }));
  }

  private void sendToAll(DeviceActor.SendToAll s) {
    checkLength(s.data());
    // The radio's to-all also reaches virtual peers, which the application never added: drop them first,
    // after any registration still on the wire.
    List<Mac> virtual = table.virtualPeers();
    for (Mac v : virtual) {
      if (deferIfBusy(v, () -> handle(s))) {
        return;
      }
    }
    Runnable go = () -> submit(Command.Send.toAll(Bytes.of(s.data()), s.sync()), false,
        out -> s.replyTo().tell(out.map(PeerOps::sendResult)));
    if (virtual.isEmpty()) {
      go.run();
      return;
    }
    int[] left = {virtual.size()};
    for (Mac v : virtual) {
      markBusy(v);
      table.commitDelete(v);
      evictThen(Optional.of(v), () -> {
        if (--left[0] == 0) {
          changed();
          go.run();
        }
      });
    }
  }

  private static void checkLength(byte[] data) {
    if (data.length > io.nowmesh.actors.espnow.Limits.MAX_DATA_LEN) {
      throw EspNowException.arg("msg is at most " + io.nowmesh.actors.espnow.Limits.MAX_DATA_LEN
          + " bytes (MAX_DATA_LEN), got " + data.length);
    }
  }

  private static SendResult sendResult(ReplyBody body) {
    ReplyBody.SendResult r = (ReplyBody.SendResult) body;
    if (r.acks().size() == 1) { // the usual unicast send: no intermediate map
      ReplyBody.PeerAck a = r.acks().get(0);
      return new SendResult(r.allAcked(), Map.of(a.mac(), a.acked()));
    }
    Map<Mac, Boolean> acks = new LinkedHashMap<>();
    r.acks().forEach(a -> acks.put(a.mac(), a.acked()));
    return new SendResult(r.allAcked(), acks);
  }

  void warnChannel(Mac mac, PeerOptions o) {
    if (o.channel() != 0 && radioChannel != 0 && o.channel() != radioChannel) {
      log.warn("peer {} is on channel {} but the radio is on channel {}: ESP-NOW only reaches peers "
          + "on the radio's own channel (channel mismatch is the most common field failure)",
          mac, o.channel(), radioChannel);
    }
  }

}
