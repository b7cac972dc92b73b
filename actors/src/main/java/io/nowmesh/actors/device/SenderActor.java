package io.nowmesh.actors.device;

import io.nowmesh.actors.link.Transport;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.PostStop;
import akka.actor.typed.PreRestart;
import akka.actor.typed.Signal;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import io.nowmesh.actors.espnow.EspNowError;
import io.nowmesh.actors.link.CommandType;
import io.nowmesh.actors.link.MessageCodec;
import io.nowmesh.actors.link.Reply;
import io.nowmesh.actors.link.ReplyBody;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The <b>sender</b> child: queues commands for the radio, keeps no more on the wire than the radio
 * advertised (queue_depth), times them out, retries NO_MEM/BUSY with backoff (and side-effect-free
 * commands after a timeout), and answers every {@link Submit} with exactly one {@link Result} —
 * also when the link drops, the radio reboots or this actor restarts.
 *
 * <p>It does no I/O itself: frames go to a {@link LinkWriter}, which writes on the blocking-io
 * dispatcher and coalesces frames queued while a write is in progress. Timeouts need no timer per
 * request: one timer is armed for the earliest deadline and only moved when a sooner one appears.
 */
final class SenderActor {

  sealed interface Command {}

  /** A command for the radio; the answer goes to {@code replyTo} tagged with {@code tag}. */
  record Submit(io.nowmesh.actors.link.Command command, boolean priority, long tag, ActorRef<Result> replyTo)
      implements Command {}

  /** The one answer to a {@link Submit}: Ok carries the reply's result body. */
  record Result(long tag, Outcome<ReplyBody> outcome) {}

  /** Start writing to {@code link}; {@code held} keeps ordinary commands back until {@link Release}. */
  record Attach(Transport link, int generation, int capacity, boolean held) implements Command {}

  /** The link is gone: in-flight commands are Interrupted, waiting ones LinkDown. */
  record Detach(String reason) implements Command {}

  record SetCapacity(int queueDepth) implements Command {}

  /** The radio rebooted: in-flight commands will never be answered; hold until the replay is done. */
  record RadioRebooted() implements Command {}

  record Hold() implements Command {}

  record Release() implements Command {}

  record ReplyArrived(Reply reply) implements Command {}

  private record Tick() implements Command {}

  /** Fault injection (tests): throw, to exercise the supervisor. */
  record Crash() implements Command {}

  private SenderActor() {}

  /** Bytes queued for the link beyond which it counts as stalled (failed): seconds of serial line time. */
  static final long MAX_WRITE_BACKLOG = 256 * 1024;

  static Behavior<Command> create(ActorRef<DeviceActor.Command> parent, DeviceSettings settings) {
    // Outside setup, so it survives restarts: a new writer must wait for the previous instance's write.
    AtomicReference<LinkWriter> writer = new AtomicReference<>();
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      parent.tell(new DeviceActor.ChildStarted(DeviceActor.Child.SENDER));
      return new State(ctx, timers, parent, settings, writer).behavior();
    }));
  }

  private static final class State {
    private final ActorContext<Command> ctx;
    private final TimerScheduler<Command> timers;
    private final ActorRef<DeviceActor.Command> parent;
    private final DeviceSettings settings;
    private final RequestWindow<Submit> window;
    private final AtomicReference<LinkWriter> writer;
    private final Executor blocking;
    private Transport link;
    private int generation;
    /** When the Tick timer fires (System.nanoTime); Long.MAX_VALUE when none is armed. */
    private long armedAt = Long.MAX_VALUE;

    State(ActorContext<Command> ctx, TimerScheduler<Command> timers, ActorRef<DeviceActor.Command> parent,
        DeviceSettings settings, AtomicReference<LinkWriter> writer) {
      this.ctx = ctx;
      this.timers = timers;
      this.parent = parent;
      this.settings = settings;
      this.writer = writer;
      this.blocking = ctx.getSystem().dispatchers().lookup(DispatcherSelector.fromConfig(settings.blockingDispatcher()));
      this.window = new RequestWindow<>(1, settings.maxQueuedCommands());
      window.hold();
    }

    Behavior<Command> behavior() {
      // One function rather than the BehaviorBuilder: the builder tries its handlers in order and
      // allocates for each one it tries, and Submit/ReplyArrived are every message's path.
      return Behaviors.receive((c, m) -> onMessage(m), (c, signal) -> onSignal(signal));
    }

    private Behavior<Command> onMessage(Command m) {
      if (m instanceof Submit s) {
        return onSubmit(s);
      } else if (m instanceof ReplyArrived r) {
        return onReply(r);
      } else if (m instanceof Tick) {
        armedAt = Long.MAX_VALUE; // the armed timer fired (Akka drops ticks of replaced timers)
        return pump();
      } else if (m instanceof Attach a) {
        return onAttach(a);
      } else if (m instanceof Detach d) {
        detach(d.reason());
        return Behaviors.same();
      } else if (m instanceof SetCapacity c) {
        window.setCapacity(Math.max(1, c.queueDepth()));
        return pump();
      } else if (m instanceof RadioRebooted) {
        window.hold();
        for (Submit s : window.drainInFlight()) {
          answer(s, new Outcome.Interrupted<>("the radio rebooted before answering " + s.command().type()));
        }
        return pump();
      } else if (m instanceof Hold) {
        window.hold();
        return Behaviors.same();
      } else if (m instanceof Release) {
        window.release();
        return pump();
      } else if (m instanceof Crash) {
        throw new IllegalStateException("injected crash (test)");
      }
      return Behaviors.unhandled();
    }

    private Behavior<Command> onSignal(Signal signal) {
      // Nothing may be left unanswered, whether we restart or stop.
      if (signal instanceof PreRestart) {
        return failAll("the sender restarted");
      } else if (signal instanceof PostStop) {
        return failAll("the device stopped");
      }
      return Behaviors.unhandled();
    }

    private Behavior<Command> onSubmit(Submit s) {
      if (link == null) {
        answer(s, new Outcome.LinkDown<>("no link to the radio"));
        return Behaviors.same();
      }
      if (!window.offer(s, s.priority())) {
        answer(s, new Outcome.Refused<>(EspNowError.ESP_ERR_ESPNOW_NO_MEM,
            "host command queue is full (" + settings.maxQueuedCommands() + " waiting)"));
        return Behaviors.same();
      }
      return pump();
    }

    private Behavior<Command> onAttach(Attach a) {
      link = a.link();
      generation = a.generation();
      int gen = generation;
      LinkWriter before = writer.get();
      // A repeat for the link being written (this child's start-up notice can reach the parent after the
      // link opened) keeps its writer: replacing it would drop the frames it has queued, e.g. the HELLO.
      if (before == null || !before.isWriting(link, gen)) {
        if (before != null) {
          before.close();
        }
        writer.set(new LinkWriter(link, gen, blocking, MAX_WRITE_BACKLOG, before,
            e -> parent.tell(new DeviceActor.TransportFailed(gen, "write failed: " + e))));
      }
      window.setCapacity(Math.max(1, a.capacity()));
      if (a.held()) {
        window.hold();
      } else {
        window.release();
      }
      return pump();
    }

    private Behavior<Command> onReply(ReplyArrived r) {
      Reply reply = r.reply();
      RequestWindow.InFlight<Submit> f = window.completeOrNull(reply.seq());
      if (f == null) {
        // A reply after its timeout, or to a command from before a reboot: already answered.
        ctx.getLog().debug("ignoring reply seq {} with no command waiting", reply.seq());
        return Behaviors.same();
      }
      if (reply.isOk()) {
        answer(f.request(), new Outcome.Ok<>(reply.body()));
      } else if (reply.status().isTransient() && f.attempt() < settings.retryMaxAttempts()) {
        Duration wait = settings.retryBackoff(f.attempt());
        window.retry(f, System.nanoTime() + wait.toNanos());
      } else {
        answer(f.request(), new Outcome.Refused<>(reply.status(),
            reply.status().label() + ": " + (reply.detail().isEmpty() ? reply.status().description() : reply.detail())
                + (reply.status().isTransient() ? " (after " + f.attempt() + " attempts)" : "")));
      }
      return pump();
    }

    /** Expires overdue commands, writes whatever the window allows, re-arms the timer. */
    private Behavior<Command> pump() {
      long now = System.nanoTime();
      for (RequestWindow.InFlight<Submit> f : window.expire(now)) {
        CommandType type = f.request().command().type();
        if (type.isRetryable() && f.attempt() < settings.retryMaxAttempts()) {
          window.retry(f, now);
        } else {
          answer(f.request(), new Outcome.TimedOut<>(type + " got no reply within " + timeoutOf(f.request()).toMillis()
              + " ms" + (type.isRetryable() ? " (" + f.attempt() + " attempts)" : "; it may or may not have run")));
        }
      }
      if (link != null) {
        List<RequestWindow.InFlight<Submit>> out = window.dispatch(now, this::timeoutNanos);
        if (!out.isEmpty()) {
          // A write error reaches the parent (TransportFailed), which detaches us: that answers the window.
          List<byte[]> frames = new ArrayList<>(out.size());
          for (RequestWindow.InFlight<Submit> f : out) {
            frames.add(MessageCodec.encode(f.seq(), f.request().command()).toWire());
          }
          writer.get().write(frames);
        }
      }
      // One timer for the earliest deadline, moved only when a sooner one appears: a request normally
      // gets a later deadline than the one armed, so the steady state re-arms once per timeout period,
      // not once per request. A tick that finds nothing due just re-arms for what is due next.
      long wake = window.nextWakeUpNanos();
      if (wake < armedAt) {
        long delay = Math.max(1_000_000L, wake - System.nanoTime());
        armedAt = System.nanoTime() + delay;
        timers.startSingleTimer(new Tick(), Duration.ofNanos(delay));
      }
      return Behaviors.same();
    }

    private long timeoutNanos(Submit s) {
      return timeoutOf(s).toNanos();
    }

    private Duration timeoutOf(Submit s) {
      if (s.command() instanceof io.nowmesh.actors.link.Command.Send send && send.sync()) {
        return settings.syncSendTimeout();
      }
      return settings.commandTimeout();
    }

    private void detach(String reason) {
      link = null;
      LinkWriter w = writer.get();
      if (w != null) {
        w.close(); // frames not yet written are in the window: answered just below
      }
      for (Submit s : window.drainInFlight()) {
        answer(s, new Outcome.Interrupted<>(reason + " while " + s.command().type() + " was on the wire"));
      }
      for (Submit s : window.drainAll()) {
        answer(s, new Outcome.LinkDown<>(reason));
      }
      timers.cancelAll();
      armedAt = Long.MAX_VALUE;
    }

    private Behavior<Command> failAll(String reason) {
      detach(reason);
      return Behaviors.same();
    }

    private static void answer(Submit s, Outcome<ReplyBody> outcome) {
      s.replyTo().tell(new Result(s.tag(), outcome));
    }
  }
}
