package io.nowmesh.actors.device;

import io.nowmesh.actors.link.Transport;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.PostStop;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import io.nowmesh.actors.device.DeviceActor.*;
import io.nowmesh.actors.link.BootInfo;
import io.nowmesh.actors.link.ConfigValue;
import io.nowmesh.actors.link.Event;
import io.nowmesh.actors.link.ReplyBody;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The behavior behind {@link DeviceActor}: owns the link, spawns and supervises the children,
 * and switches between <b>connecting</b> (opening the link, HELLO), <b>connected</b> and
 * <b>reconnecting</b> (backoff; requests wait in a bounded queue, then fail with LinkDown).
 * Everything a restarted child needs (the peer table, the link) is kept here and re-seeded.
 */
final class DeviceSupervisor {

  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final DeviceActor.TransportFactory transports;
  private final DeviceSettings settings;
  private final String label;
  private final ActorRef<SenderActor.Command> sender;
  private final ActorRef<ReceiverActor.Command> receiver;
  private final ActorRef<PeerActor.Msg> peer;
  private final ActorRef<SenderActor.Result> wire;
  private final Inbox inbox;

  private PeerTable.Snapshot peerSeed = PeerTable.Snapshot.empty();
  private Transport link;
  private int generation;
  private Optional<BootInfo> boot = Optional.empty();
  private boolean connected;
  private boolean resyncing;
  private boolean userDeinit;
  private int attempt;
  /** Resyncs in a row that ended with errors (bounded by retry.max-attempts). */
  private int resyncFailures;
  private long nextTag = 1;
  private final Map<Long, Consumer<Outcome<ReplyBody>>> pending = new HashMap<>();
  private final Deque<Queued> waiting = new ArrayDeque<>();

  private record Queued(Request<?> request, long deadlineNanos) {}

  static Behavior<Command> create(DeviceActor.TransportFactory transports, DeviceSettings settings, String label) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new DeviceSupervisor(ctx, timers, transports, settings, label).connecting()));
  }

  private DeviceSupervisor(ActorContext<Command> ctx, TimerScheduler<Command> timers,
      DeviceActor.TransportFactory transports, DeviceSettings settings, String label) {
    this.ctx = ctx;
    this.timers = timers;
    this.transports = transports;
    this.settings = settings;
    this.label = label;
    this.inbox = new Inbox(ctx, timers, settings);
    var restart = SupervisorStrategy.restartWithBackoff(settings.childMinBackoff(), settings.childMaxBackoff(),
        settings.childRandomFactor());
    // Neither the sender nor the receiver blocks: their reads and writes run on the blocking-io dispatcher
    // (ReadLoop, LinkWriter), so the actors themselves stay on the default dispatcher.
    // sender: a bug in one command must not take the radio down; restart fails its window (every request
    // still gets its one outcome) and the parent re-attaches the link. Backoff avoids a hot crash loop.
    this.sender = ctx.spawn(Behaviors.supervise(SenderActor.create(ctx.getSelf(), settings)).onFailure(restart),
        "sender");
    // receiver: a decoding bug restarts the read loop; the link and counters live on here, so nothing is lost.
    this.receiver = ctx.spawn(Behaviors.supervise(ReceiverActor.create(ctx.getSelf(), sender, settings))
        .onFailure(restart), "receiver");
    // peer: the table is re-seeded from the parent's copy and re-synced with the radio after a restart.
    this.peer = ctx.spawn(Behaviors.supervise(PeerActor.create(ctx.getSelf(), sender, settings)).onFailure(restart),
        "peer");
    this.wire = ctx.messageAdapter(SenderActor.Result.class, WireResult::new);
  }

  // ============================================================ states

  /** Opening the link and saying HELLO. */
  private Behavior<Command> connecting() {
    connected = false;
    openLink();
    return withCommon(Behaviors.receive(Command.class)
        .onMessage(LinkOpened.class, this::onLinkOpened)
        .onMessage(LinkOpenFailed.class, f -> linkLost("could not open: " + f.reason()))
        .onMessage(BootEvent.class, b -> link != null ? onHello(b.info()) : Behaviors.same())
        .onMessage(Request.class, DeviceSupervisor::needsRadio, this::enqueue));
  }

  /** Waiting for the next attempt; requests queue up to the bound. */
  private Behavior<Command> reconnecting() {
    connected = false;
    Duration wait = settings.reconnectBackoff(attempt);
    ctx.getLog().warn("{}: link down, reconnect attempt {} in {} ms", label, attempt, wait.toMillis());
    timers.startSingleTimer(new Reconnect(), wait);
    return withCommon(Behaviors.receive(Command.class)
        .onMessage(Reconnect.class, r -> connecting())
        .onMessage(Request.class, DeviceSupervisor::needsRadio, this::enqueue));
  }

  private Behavior<Command> connected() {
    connected = true;
    attempt = 0;
    List<Queued> flush = new ArrayList<>(waiting);
    waiting.clear();
    timers.cancel(new ExpireQueued());
    flush.forEach(q -> dispatch(q.request()));
    return withCommon(Behaviors.receive(Command.class)
        // First: the builder tries handlers in order (allocating for each), and sends are the hot path.
        .onMessage(Request.class, DeviceSupervisor::needsRadio, r -> {
          dispatch(r);
          return Behaviors.same();
        })
        .onMessage(BootEvent.class, b -> {
          ctx.getLog().warn("{}: the radio rebooted; replaying PMK and peers", label);
          sender.tell(new SenderActor.RadioRebooted());
          boot = Optional.of(b.info());
          startResync();
          return Behaviors.same();
        }));
  }

  /** Requests answered without the radio (from the mirror or the inbox) are served in every state. */
  private static boolean needsRadio(Request<?> r) {
    return !(r instanceof Receive || r instanceof Poll || r instanceof GetRssiTable || r instanceof GetStatus
        || r instanceof GetPeer || r instanceof GetPeers || r instanceof GetPeerCount);
  }

  /** What every state handles the same way. */
  private Behavior<Command> withCommon(akka.actor.typed.javadsl.BehaviorBuilder<Command> builder) {
    return builder
        .onMessage(ChildStarted.class, this::onChildStarted)
        .onMessage(CrashChild.class, c -> {
          switch (c.child()) {
            case PEER -> peer.tell(new PeerActor.Crash());
            case RECEIVER -> receiver.tell(new ReceiverActor.Crash());
            case SENDER -> sender.tell(new SenderActor.Crash());
          }
          return Behaviors.same();
        })
        .onMessage(TransportFailed.class, f -> f.generation() == generation && link != null
            ? linkLost(f.reason()) : Behaviors.same())
        .onMessage(WireResult.class, w -> {
          Consumer<Outcome<ReplyBody>> k = pending.remove(w.result().tag());
          if (k != null) {
            k.accept(w.result().outcome());
          }
          return Behaviors.same();
        })
        .onMessage(PeerTableChanged.class, c -> {
          peerSeed = c.snapshot();
          return Behaviors.same();
        })
        .onMessage(ResyncDone.class, d -> {
          if (!d.ok() && connected && ++resyncFailures < settings.retryMaxAttempts()) {
            // The radio may lack its PMK or peers; releasing the queued sends now would meet NOT_INIT,
            // NOT_FOUND or plaintext. Keep them held and resync again; give up (release) after the bound.
            ctx.getLog().warn("{}: resync with the radio failed; trying again ({} of {})", label, resyncFailures,
                settings.retryMaxAttempts() - 1);
            timers.startSingleTimer(new RetryResync(), settings.retryBackoff(resyncFailures));
            return Behaviors.same();
          }
          resyncFailures = 0;
          resyncing = false;
          sender.tell(new SenderActor.Release());
          ctx.getLog().info("{}: peer table {} with the radio", label, d.ok() ? "in sync" : "resynced with errors");
          return Behaviors.same();
        })
        .onMessage(Inbound.class, i -> inbox.onInbound(i.recv()))
        .onMessage(AsyncSendDone.class, d -> inbox.onSendDone(d.done()))
        .onMessage(OverflowReport.class, o -> inbox.onOverflow(o.overflow()))
        .onMessage(LinkCounters.class, c -> inbox.onCounters(c))
        .onMessage(ReceiveTimedOut.class, t -> inbox.onReceiveTimedOut(t.id()))
        .onMessage(SubscriberGone.class, g -> inbox.unsubscribe(g.subscriber()))
        .onMessage(Subscribe.class, s -> inbox.subscribe(s.subscriber()))
        .onMessage(Unsubscribe.class, s -> inbox.unsubscribe(s.subscriber()))
        .onMessage(RetryResync.class, r -> {
          if (connected && boot.isPresent()) {
            startResync();
          }
          return Behaviors.same();
        })
        .onMessage(ExpireQueued.class, e -> expireQueued())
        .onMessage(Reconnect.class, r -> Behaviors.same())
        .onMessage(LinkOpened.class, o -> {
          o.link().close(); // a late open from an attempt we gave up on
          return Behaviors.same();
        })
        .onMessage(LinkOpenFailed.class, f -> Behaviors.same())
        .onMessage(BootEvent.class, b -> Behaviors.same())
        // Local requests are answered in every state; the rest is state-specific.
        .onMessage(Receive.class, r -> inbox.receive(r))
        .onMessage(Poll.class, p -> inbox.poll(p))
        .onMessage(GetRssiTable.class, g -> inbox.rssi(g))
        .onMessage(GetStatus.class, g -> {
          g.replyTo().tell(new Outcome.Ok<>(new Status(label, connected && !resyncing, boot, attempt)));
          return Behaviors.same();
        })
        .onMessage(GetPeer.class, g -> forwardToPeer(g))
        .onMessage(GetPeers.class, g -> forwardToPeer(g))
        .onMessage(GetPeerCount.class, g -> forwardToPeer(g))
        .onSignal(PostStop.class, s -> {
          closeLink();
          inbox.stop();
          waiting.forEach(q -> linkDown(q.request(), "the device stopped"));
          waiting.clear();
          return Behaviors.same();
        })
        .build();
  }

  // ============================================================ link lifecycle

  private void openLink() {
    Executor blocking = ctx.getSystem().dispatchers().lookup(DispatcherSelector.fromConfig(settings.blockingDispatcher()));
    ctx.pipeToSelf(CompletableFuture.supplyAsync(() -> {
      try {
        return transports.open();
      } catch (java.io.IOException e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    }, blocking), (l, err) -> l != null ? new LinkOpened(l) : new LinkOpenFailed(rootMessage(err)));
  }

  private Behavior<Command> onLinkOpened(LinkOpened o) {
    link = o.link();
    generation++;
    receiver.tell(new ReceiverActor.Attach(link, generation));
    sender.tell(new SenderActor.Attach(link, generation, 1, true));
    resyncing = true;
    int gen = generation;
    ask(new io.nowmesh.actors.link.Command.Hello(1), true, out -> {
      if (connected || gen != generation) {
        return; // a BOOT event got there first, or this link is already gone
      }
      if (out instanceof Outcome.Ok<ReplyBody> ok) {
        ctx.getSelf().tell(new BootEvent((BootInfo) ok.value()));
      } else {
        ctx.getSelf().tell(new TransportFailed(gen, "HELLO failed: " + out));
      }
    });
    return Behaviors.same();
  }

  /** The radio answered HELLO (or announced BOOT): adopt its limits and resync the peers. */
  private Behavior<Command> onHello(BootInfo info) {
    boot = Optional.of(info);
    ctx.getLog().info("{}: radio {} (fw '{}', api gen {}, channel {}, queue depth {})", label, info.staMac(),
        info.fwVersion(), info.apiGen(), info.channel(), info.queueDepth());
    if (settings.expectedChannel() != 0 && info.channel() != settings.expectedChannel()) {
      ctx.getLog().warn("{}: radio {} is on channel {} but this gateway expects channel {}: it will not hear peers "
          + "on the other channel", label, info.staMac(), info.channel(), settings.expectedChannel());
    }
    sender.tell(new SenderActor.SetCapacity(info.queueDepth()));
    resyncFailures = 0;
    startResync();
    return connected();
  }

  private void startResync() {
    resyncing = true;
    sender.tell(new SenderActor.Hold());
    peer.tell(new PeerActor.Resync(boot.orElseThrow(), !userDeinit));
  }

  private Behavior<Command> linkLost(String reason) {
    ctx.getLog().warn("{}: link lost: {}", label, reason);
    closeLink();
    receiver.tell(new ReceiverActor.Detach());
    sender.tell(new SenderActor.Detach("link lost: " + reason));
    attempt++;
    return reconnecting();
  }

  private void closeLink() {
    if (link != null) {
      try {
        link.close();
      } catch (RuntimeException e) {
        ctx.getLog().debug("closing link: {}", e.toString());
      }
      link = null;
    }
  }

  private Behavior<Command> onChildStarted(ChildStarted s) {
    switch (s.child()) {
      case PEER -> {
        peer.tell(new PeerActor.Seed(peerSeed));
        if (connected && boot.isPresent()) {
          startResync(); // commands the crashed instance had on the wire may have changed the radio
        }
      }
      case RECEIVER -> {
        if (link != null) {
          receiver.tell(new ReceiverActor.Attach(link, generation));
        }
      }
      case SENDER -> {
        if (link != null) {
          sender.tell(new SenderActor.Attach(link, generation, boot.map(BootInfo::queueDepth).orElse(1),
              resyncing || !connected));
        }
      }
    }
    return Behaviors.same();
  }

  // ============================================================ requests

  private Behavior<Command> enqueue(Request<?> r) {
    if (waiting.size() >= settings.reconnectQueueBound()) {
      linkDown(r, "the link to " + label + " is down and " + waiting.size() + " requests are already waiting");
      return Behaviors.same();
    }
    if (waiting.isEmpty()) {
      timers.startSingleTimer(new ExpireQueued(), settings.reconnectQueueTimeout());
    }
    waiting.add(new Queued(r, System.nanoTime() + settings.reconnectQueueTimeout().toNanos()));
    return Behaviors.same();
  }

  private Behavior<Command> expireQueued() {
    long now = System.nanoTime();
    while (!waiting.isEmpty() && waiting.peekFirst().deadlineNanos() <= now) {
      linkDown(waiting.pollFirst().request(), "the link to " + label + " stayed down for more than "
          + settings.reconnectQueueTimeout().toMillis() + " ms");
    }
    if (!waiting.isEmpty()) {
      timers.startSingleTimer(new ExpireQueued(), Duration.ofNanos(Math.max(1, waiting.peekFirst().deadlineNanos() - now)));
    }
    return Behaviors.same();
  }

  private static <T> void linkDown(Request<T> r, String detail) {
    r.replyTo().tell(new Outcome.LinkDown<>(detail));
  }

  private Behavior<Command> forwardToPeer(Request<?> r) {
    peer.tell(new PeerActor.Client(r));
    return Behaviors.same();
  }

  /** Connected: route a request to the child that serves it, or straight to the radio. */
  private void dispatch(Request<?> r) {
    if (r instanceof Init i) {
      userDeinit = false;
      ask(new io.nowmesh.actors.link.Command.Init(), false, out -> i.replyTo().tell(out.map(b -> Done.getInstance())));
    } else if (r instanceof Deinit d) {
      userDeinit = true;
      ask(new io.nowmesh.actors.link.Command.Deinit(), false, out -> {
        if (out.isOk()) {
          peer.tell(new PeerActor.Cleared());
        }
        d.replyTo().tell(out.map(b -> Done.getInstance()));
      });
    } else if (r instanceof GetConfig g) {
      ask(new io.nowmesh.actors.link.Command.ConfigGet(g.param()), false,
          out -> g.replyTo().tell(out.map(b -> ((ConfigValue) b).value())));
    } else if (r instanceof SetConfig s) {
      setConfig(s);
    } else if (r instanceof GetStats g) {
      ask(new io.nowmesh.actors.link.Command.Stats(), false,
          out -> g.replyTo().tell(out.map(b -> inbox.stats((ReplyBody.StatsResult) b))));
    } else {
      peer.tell(new PeerActor.Client(r));
    }
  }

  private void setConfig(SetConfig s) {
    try {
      List<ConfigValue> values = new ArrayList<>();
      s.values().forEach((p, v) -> values.add(new ConfigValue(p, v)));
      values.sort(java.util.Comparator.comparing(v -> v.param().code()));
      ask(new io.nowmesh.actors.link.Command.ConfigSet(values), false, out -> {
        if (out.isOk() && boot.isPresent() && s.values().containsKey(io.nowmesh.actors.link.ConfigParam.CHANNEL)) {
          BootInfo b = boot.get();
          boot = Optional.of(new BootInfo(b.protoVersion(), b.apiGen(), b.staMac(), b.apMac(),
              s.values().get(io.nowmesh.actors.link.ConfigParam.CHANNEL), b.maxDataLen(), b.maxPeers(),
              b.maxEncrypt(), b.queueDepth(), b.freeMem(), b.fwVersion()));
        }
        s.replyTo().tell(out.map(b -> Done.getInstance()));
      });
    } catch (io.nowmesh.actors.espnow.EspNowException e) {
      s.replyTo().tell(Outcome.Refused.of(e));
    }
  }

  private void ask(io.nowmesh.actors.link.Command command, boolean priority, Consumer<Outcome<ReplyBody>> k) {
    long tag = nextTag++;
    pending.put(tag, k);
    sender.tell(new SenderActor.Submit(command, priority, tag, wire));
  }

  private static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null) {
      c = c.getCause();
    }
    return c.toString();
  }

}
