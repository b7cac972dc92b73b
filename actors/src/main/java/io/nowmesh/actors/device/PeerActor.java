package io.nowmesh.actors.device;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.PreRestart;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.StashBuffer;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.actors.espnow.PeerOptions;
import io.nowmesh.actors.link.BootInfo;
import io.nowmesh.actors.link.Command;
import io.nowmesh.actors.link.PeerRecord;
import io.nowmesh.actors.link.ReplyBody;
import java.util.List;

/**
 * The <b>peer</b> child: owns the {@link PeerTable} (the host's authoritative mirror of the radio's
 * peers) and every command that touches it: add/del/mod/get peer, get_peers, peer_count, set_pmk
 * and the sends, which may need a destination registered on demand (LRU virtual peers).
 *
 * <p>Table changes are applied optimistically and rolled back if the radio refuses, so two requests
 * never pick the same free slot; a MAC with a peer-table command on the wire is "busy" and further
 * requests for it wait for that command ({@link PeerOps} holds that request handling). Every change
 * is reported to the parent, which re-seeds this actor after a restart; a restart or a reboot is
 * followed by a resync with the radio, during which client requests are stashed.
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
    private final PeerOps ops;
    private final PeerTable table;

    State(ActorContext<Msg> ctx, StashBuffer<Msg> stash, ActorRef<DeviceActor.Command> parent,
        ActorRef<SenderActor.Command> sender, DeviceSettings settings, PeerTable table) {
      this.ctx = ctx;
      this.stash = stash;
      this.parent = parent;
      this.table = table;
      this.ops = new PeerOps(ctx.getLog(), parent, sender,
          ctx.messageAdapter(SenderActor.Result.class, Wire::new), settings, table);
    }

    Behavior<Msg> serving() {
      // One function rather than the BehaviorBuilder: the builder tries its handlers in order and
      // allocates for each one it tries, and Client/Wire are every send's path.
      return Behaviors.receive((c, m) -> {
        if (m instanceof Client client) {
          ops.handle(client.request());
          return Behaviors.same();
        } else if (m instanceof Wire w) {
          ops.onWire(w.result());
          return Behaviors.same();
        } else if (m instanceof Resync r) {
          return startResync(r);
        } else if (m instanceof Crash) {
          throw new IllegalStateException("injected crash (test)");
        } else if (m instanceof Seed) {
          return Behaviors.same(); // only meaningful at start
        } else if (m instanceof Cleared) {
          ops.cleared();
          return Behaviors.same();
        }
        return Behaviors.unhandled();
      }, (c, signal) -> {
        if (signal instanceof PreRestart) {
          return failPending("the peer manager restarted");
        } else if (signal instanceof PostStop) {
          return failPending("the device stopped");
        }
        return Behaviors.unhandled();
      });
    }

    private Behavior<Msg> failPending(String reason) {
      ops.failPending(reason);
      return Behaviors.same();
    }

    private void submit(Command command, boolean priority, java.util.function.Consumer<Outcome<ReplyBody>> k) {
      ops.submit(command, priority, k);
    }

    private void changed() {
      ops.changed();
    }

    private void warnChannel(Mac mac, PeerOptions o) {
      ops.warnChannel(mac, o);
    }

    // ------------------------------------------------------------ resync

    private boolean resyncFinished;

    /** Client requests wait (stashed) while the radio is brought in line with the table. */
    private Behavior<Msg> startResync(Resync r) {
      BootInfo boot = r.boot();
      ops.radioChannel = boot.channel();
      try {
        table.setLimits(boot.maxPeers(), boot.maxEncrypt());
      } catch (IllegalArgumentException e) {
        ctx.getLog().warn("radio advertised odd peer limits {}/{}; keeping {}/{}", boot.maxPeers(),
            boot.maxEncrypt(), table.maxTotal(), table.maxEncrypted());
      }
      resyncFinished = false;
      preludeLeft = 0;
      preludeOk = true;
      finishWhenPreludeDone = null;
      // With INIT in the replay, INIT and SET_PMK must succeed for the resync to count as done: a PMK the
      // radio refused (e.g. NOT_INIT from a reboot between INIT and SET_PMK) would otherwise stay lost.
      // Without INIT (the application deinitialised the radio) a refused SET_PMK is only logged, as before.
      boolean strict = r.initRadio();
      if (r.initRadio()) {
        preludeLeft++;
        submit(new Command.Init(), true, out -> preludeDone("INIT", out, strict));
      }
      table.pmk().ifPresent(pmk -> {
        preludeLeft++;
        submit(new Command.SetPmk(pmk), true, out -> preludeDone("SET_PMK", out, strict));
      });
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
            ops.onWire(w.result());
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

    /** Brings the radio's peers in line with the table (see {@link PeerTable#reconcile}). */
    private void reconcile(List<PeerRecord> onRadio) {
      List<Command> todo = table.reconcile(onRadio);
      for (Command c : todo) {
        if (c instanceof Command.AddPeer add) {
          warnChannel(add.peer().mac(), add.peer().options());
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

    /** INIT / SET_PMK commands of this resync still waiting for their outcome, and whether all succeeded. */
    private int preludeLeft;
    private boolean preludeOk;
    /** GET_PEERS (and the reconcile) finished before the prelude did (a retried INIT/SET_PMK): its result. */
    private Boolean finishWhenPreludeDone;

    private void preludeDone(String what, Outcome<ReplyBody> out, boolean strict) {
      logIfFailed(what, out);
      if (!out.isOk() && strict) {
        preludeOk = false;
      }
      if (--preludeLeft == 0 && finishWhenPreludeDone != null) {
        boolean ok = finishWhenPreludeDone;
        finishWhenPreludeDone = null;
        finishResync(ok);
      }
    }

    private void finishResync(boolean ok) {
      if (preludeLeft > 0) {
        finishWhenPreludeDone = ok;
        return;
      }
      ok &= preludeOk;
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
