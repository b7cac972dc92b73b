package io.nowmesh.actors.device;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.PreRestart;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.StashBuffer;
import io.nowmesh.actors.device.DeviceActor.PeerCount;
import io.nowmesh.actors.device.DeviceActor.PeerInfo;
import io.nowmesh.actors.device.DeviceActor.SendResult;
import io.nowmesh.actors.espnow.EspNowError;
import io.nowmesh.actors.espnow.EspNowException;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.actors.espnow.PeerOptions;
import io.nowmesh.actors.link.BootInfo;
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

/**
 * The <b>peer</b> child: owns the {@link PeerTable} (the host's authoritative mirror of the radio's
 * peers) and every command that touches it: add/del/mod/get peer, get_peers, peer_count, set_pmk
 * and the sends, which may need a destination registered on demand (LRU virtual peers).
 *
 * <p>Table changes are applied optimistically and rolled back if the radio refuses, so two requests
 * never pick the same free slot; a MAC with a peer-table command on the wire is "busy" and further
 * requests for it wait for that command. Every change is reported to the parent, which re-seeds
 * this actor after a restart; a restart or a reboot is followed by a resync with the radio.
 */
final class PeerActor {

  sealed interface Msg {}

  /** A client request forwarded by the device actor. */
  record Client(DeviceActor.Request<?> request) implements Msg {}

  /** Bring the radio in line with the table: INIT (if wanted), PMK, then peers. Answers ResyncDone. */
  record Resync(BootInfo boot, boolean initRadio) implements Msg {}

  record Seed(PeerTable.Snapshot snapshot) implements Msg {}

  /** The radio was deinitialised and dropped every peer. */
  record Cleared() implements Msg {}

  private record Wire(SenderActor.Result result) implements Msg {}

  /** Fault injection (tests): throw, to exercise the supervisor. */
  record Crash() implements Msg {}

  private PeerActor() {}

  static Behavior<Msg> create(ActorRef<DeviceActor.Command> parent, ActorRef<SenderActor.Command> sender,
      DeviceSettings settings) {
    return Behaviors.withStash(10_000, stash -> Behaviors.setup(ctx -> {
      parent.tell(new DeviceActor.ChildStarted(DeviceActor.Child.PEER));
      // Wait for the parent's copy of the table before serving anything.
      return Behaviors.receive(Msg.class)
          .onMessage(Seed.class, seed -> stash.unstashAll(
              new State(ctx, stash, parent, sender, settings, PeerTable.from(seed.snapshot())).serving()))
          .onMessage(Msg.class, m -> {
            stash.stash(m);
            return Behaviors.same();
          })
          .build();
    }));
  }

  private static final class State {
    private final ActorContext<Msg> ctx;
    private final StashBuffer<Msg> stash;
    private final ActorRef<DeviceActor.Command> parent;
    private final ActorRef<SenderActor.Command> sender;
    private final DeviceSettings settings;
    private final PeerTable table;
    private final ActorRef<SenderActor.Result> wire;
    private final Map<Long, Consumer<Outcome<ReplyBody>>> pending = new HashMap<>();
    /** MACs with a peer-table command on the wire, and what waits for it. */
    private final Map<Mac, List<Runnable>> busy = new HashMap<>();
    /** Requests waiting for a radio slot to come free (every virtual peer had a send in flight). */
    private final java.util.ArrayDeque<Runnable> slotWaiters = new java.util.ArrayDeque<>();
    private long nextTag = 1;
    private int radioChannel;

    State(ActorContext<Msg> ctx, StashBuffer<Msg> stash, ActorRef<DeviceActor.Command> parent,
        ActorRef<SenderActor.Command> sender, DeviceSettings settings, PeerTable table) {
      this.ctx = ctx;
      this.stash = stash;
      this.parent = parent;
      this.sender = sender;
      this.settings = settings;
      this.table = table;
      this.wire = ctx.messageAdapter(SenderActor.Result.class, Wire::new);
    }

    Behavior<Msg> serving() {
      return Behaviors.receive(Msg.class)
          .onMessage(Client.class, c -> {
            handle(c.request());
            return Behaviors.same();
          })
          .onMessage(Wire.class, this::onWire)
          .onMessage(Resync.class, this::startResync)
          .onMessage(Crash.class, c -> {
            throw new IllegalStateException("injected crash (test)");
          })
          .onMessage(Seed.class, s -> Behaviors.same()) // only meaningful at start
          .onMessage(Cleared.class, c -> {
            for (PeerTable.Entry e : table.radioPeers()) {
              table.commitDelete(e.mac());
            }
            changed();
            return Behaviors.same();
          })
          .onSignal(PreRestart.class, s -> failPending("the peer manager restarted"))
          .onSignal(PostStop.class, s -> failPending("the device stopped"))
          .build();
    }

    private Behavior<Msg> onWire(Wire w) {
      Consumer<Outcome<ReplyBody>> k = pending.remove(w.result().tag());
      if (k != null) {
        k.accept(w.result().outcome());
      }
      return Behaviors.same();
    }

    private Behavior<Msg> failPending(String reason) {
      List<Consumer<Outcome<ReplyBody>>> ks = new ArrayList<>(pending.values());
      pending.clear();
      ks.forEach(k -> k.accept(new Outcome.Interrupted<>(reason)));
      return Behaviors.same();
    }

    private void submit(Command command, boolean priority, Consumer<Outcome<ReplyBody>> k) {
      long tag = nextTag++;
      pending.put(tag, k);
      sender.tell(new SenderActor.Submit(command, priority, tag, wire));
    }

    private void changed() {
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

    private void handle(DeviceActor.Request<?> request) {
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
        boolean gone = out.isOk() || out instanceof Outcome.Refused<ReplyBody> r
            && r.error() == EspNowError.ESP_ERR_ESPNOW_NOT_FOUND;
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
        if (!out.isOk() && !(out instanceof Outcome.Refused<ReplyBody> r
            && r.error() == EspNowError.ESP_ERR_ESPNOW_NOT_FOUND)) {
          ctx.getLog().warn("evicting virtual peer {} failed: {}", v, out);
        }
        unbusy(v);
        next.run();
      });
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
        s.replyTo().tell(out.map(State::sendResult));
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
        if (!out.isOk()) {
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
      // The radio's to-all also reaches virtual peers, which the application never added: drop them first.
      List<Mac> virtual = table.virtualPeers();
      Runnable go = () -> submit(Command.Send.toAll(Bytes.of(s.data()), s.sync()), false,
          out -> s.replyTo().tell(out.map(State::sendResult)));
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
      Map<Mac, Boolean> acks = new LinkedHashMap<>();
      r.acks().forEach(a -> acks.put(a.mac(), a.acked()));
      return new SendResult(r.allAcked(), acks);
    }

    private void warnChannel(Mac mac, PeerOptions o) {
      if (o.channel() != 0 && radioChannel != 0 && o.channel() != radioChannel) {
        ctx.getLog().warn("peer {} is on channel {} but the radio is on channel {}: ESP-NOW only reaches peers "
            + "on the radio's own channel (channel mismatch is the most common field failure)",
            mac, o.channel(), radioChannel);
      }
    }

    // ------------------------------------------------------------ resync

    private boolean resyncFinished;

    /** Client requests wait (stashed) while the radio is brought in line with the table. */
    private Behavior<Msg> startResync(Resync r) {
      BootInfo boot = r.boot();
      radioChannel = boot.channel();
      try {
        table.setLimits(boot.maxPeers(), boot.maxEncrypt());
      } catch (IllegalArgumentException e) {
        ctx.getLog().warn("radio advertised odd peer limits {}/{}; keeping {}/{}", boot.maxPeers(),
            boot.maxEncrypt(), table.maxTotal(), table.maxEncrypted());
      }
      resyncFinished = false;
      if (r.initRadio()) {
        submit(new Command.Init(), true, out -> logIfFailed("INIT", out));
      }
      table.pmk().ifPresent(pmk -> submit(new Command.SetPmk(pmk), true, out -> logIfFailed("SET_PMK", out)));
      submit(new Command.GetPeers(), true, out -> {
        if (out instanceof Outcome.Ok<ReplyBody> ok) {
          reconcile(((ReplyBody.PeerList) ok.value()).peers());
        } else {
          ctx.getLog().warn("resync: GET_PEERS failed ({}); the peer table may differ from the radio's", out);
          finishResync(false);
        }
      });
      return resyncing();
    }

    private Behavior<Msg> resyncing() {
      return Behaviors.receive(Msg.class)
          .onMessage(Wire.class, w -> {
            onWire(w);
            return resyncFinished ? stash.unstashAll(serving()) : Behaviors.same();
          })
          .onMessage(Seed.class, s -> Behaviors.same())
          .onMessage(Msg.class, m -> {
            stash.stash(m);
            return Behaviors.same();
          })
          .onSignal(PreRestart.class, s -> failPending("the peer manager restarted"))
          .onSignal(PostStop.class, s -> failPending("the device stopped"))
          .build();
    }

    /** Deletes what the radio has and we do not, adds what we have and it lacks, fixes what differs. */
    private void reconcile(List<PeerRecord> onRadio) {
      Map<Mac, PeerRecord> radio = new HashMap<>();
      onRadio.forEach(p -> radio.put(p.mac(), p));
      List<Command> todo = new ArrayList<>();
      for (PeerRecord p : onRadio) {
        if (!table.isRegistered(p.mac())) {
          todo.add(new Command.DelPeer(p.mac()));
        }
      }
      for (PeerTable.Entry e : table.radioPeers()) {
        PeerRecord there = radio.get(e.mac());
        if (there == null && !e.pinned()) {
          table.commitDelete(e.mac()); // a cache entry; registered again on demand
        } else if (there == null) {
          warnChannel(e.mac(), e.options());
          todo.add(new Command.AddPeer(new PeerRecord(e.mac(), e.options())));
        } else if (!there.options().equals(e.options())) {
          todo.add(new Command.ModPeer(new PeerRecord(e.mac(), e.options())));
        }
      }
      if (todo.isEmpty()) {
        finishResync(true);
        return;
      }
      int[] left = {todo.size()};
      boolean[] allOk = {true};
      for (Command c : todo) {
        submit(c, true, out -> {
          if (!out.isOk()) {
            allOk[0] = false;
            ctx.getLog().error("resync: {} failed: {}", c, out);
          }
          if (--left[0] == 0) {
            finishResync(allOk[0]);
          }
        });
      }
    }

    private void finishResync(boolean ok) {
      changed();
      resyncFinished = true;
      parent.tell(new DeviceActor.ResyncDone(ok));
    }

    private void logIfFailed(String what, Outcome<ReplyBody> out) {
      if (!out.isOk()) {
        ctx.getLog().warn("resync: {} failed: {}", what, out);
      }
    }
  }
}
