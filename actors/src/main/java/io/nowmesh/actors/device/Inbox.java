package io.nowmesh.actors.device;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import io.nowmesh.actors.device.DeviceActor.Command;
import io.nowmesh.actors.device.DeviceActor.GetRssiTable;
import io.nowmesh.actors.device.DeviceActor.LinkCounters;
import io.nowmesh.actors.device.DeviceActor.Poll;
import io.nowmesh.actors.device.DeviceActor.Receive;
import io.nowmesh.actors.device.DeviceActor.ReceiveTimedOut;
import io.nowmesh.actors.device.DeviceActor.Received;
import io.nowmesh.actors.device.DeviceActor.Stats;
import io.nowmesh.actors.device.DeviceActor.SubscriberGone;
import io.nowmesh.actors.link.Event;
import io.nowmesh.actors.link.ReplyBody;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The device actor's receiving side, kept in the parent so it survives child restarts: pushes each
 * received message to subscribers, buffers it (bounded, like the radio's rxbuf) for pull-style
 * {@code recv}, feeds the RSSI table, and keeps the host's counters. Runs inside the device actor.
 */
final class Inbox {
  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final DeviceSettings settings;
  private final Set<ActorRef<Received>> subscribers = new LinkedHashSet<>();
  private final Deque<Received> buffer = new ArrayDeque<>();
  private final Map<Long, ActorRef<Outcome<Received>>> waitingReceivers = new LinkedHashMap<>();
  private final RssiTable rssi;
  private long nextReceiveId;
  private long hostRxDropped;
  private long eventsLost;
  private long linkCorrupt;
  private long asyncAcked;
  private long asyncFailed;
  private Optional<Event.Overflow> overflow = Optional.empty();

  Inbox(ActorContext<Command> ctx, TimerScheduler<Command> timers, DeviceSettings settings) {
    this.ctx = ctx;
    this.timers = timers;
    this.settings = settings;
    this.rssi = new RssiTable(settings.rssiTableSize());
  }

  Behavior<Command> onInbound(Event.Recv r) {
    Instant now = Instant.now();
    rssi.update(r.src(), r.rssi(), r.timeMs(), now);
    Received msg = new Received(r.src(), r.dst(), r.rssi(), r.timeMs(), r.data().toArray(), now);
    subscribers.forEach(s -> s.tell(msg));
    var first = waitingReceivers.entrySet().stream().findFirst();
    if (first.isPresent()) {
      waitingReceivers.remove(first.get().getKey());
      timers.cancel("receive-" + first.get().getKey());
      first.get().getValue().tell(new Outcome.Ok<>(msg));
    } else if (buffer.size() < settings.receiveBuffer()) {
      buffer.addLast(msg);
    } else {
      hostRxDropped++; // like the radio's rxbuf: the newest is dropped and counted
    }
    return Behaviors.same();
  }

  Behavior<Command> receive(Receive r) {
    Received head = buffer.pollFirst();
    if (head != null) {
      r.replyTo().tell(new Outcome.Ok<>(head));
    } else if (r.timeout().isZero()) {
      r.replyTo().tell(new Outcome.TimedOut<>("no message waiting"));
    } else {
      long id = nextReceiveId++;
      waitingReceivers.put(id, r.replyTo());
      if (!r.timeout().isNegative()) {
        timers.startSingleTimer("receive-" + id, new ReceiveTimedOut(id), r.timeout());
      }
    }
    return Behaviors.same();
  }

  Behavior<Command> onReceiveTimedOut(long id) {
    ActorRef<Outcome<Received>> who = waitingReceivers.remove(id);
    if (who != null) {
      who.tell(new Outcome.TimedOut<>("no message received in time"));
    }
    return Behaviors.same();
  }

  Behavior<Command> poll(Poll p) {
    p.replyTo().tell(new Outcome.Ok<>(!buffer.isEmpty()));
    return Behaviors.same();
  }

  Behavior<Command> rssi(GetRssiTable g) {
    g.replyTo().tell(new Outcome.Ok<>(rssi.snapshot()));
    return Behaviors.same();
  }

  Behavior<Command> subscribe(ActorRef<Received> s) {
    if (subscribers.add(s)) {
      ctx.watchWith(s, new SubscriberGone(s));
    }
    return Behaviors.same();
  }

  Behavior<Command> unsubscribe(ActorRef<Received> s) {
    if (subscribers.remove(s)) {
      ctx.unwatch(s);
    }
    return Behaviors.same();
  }

  Behavior<Command> onSendDone(Event.SendDone d) {
    if (d.acked()) {
      asyncAcked++;
    } else {
      asyncFailed++;
    }
    return Behaviors.same();
  }

  Behavior<Command> onOverflow(Event.Overflow o) {
    if (overflow.map(prev -> prev.rxDropped() != o.rxDropped()).orElse(o.rxDropped() > 0)) {
      ctx.getLog().warn("radio dropped {} received messages so far (its rxbuf was full)", o.rxDropped());
    }
    overflow = Optional.of(o);
    return Behaviors.same();
  }

  Behavior<Command> onCounters(LinkCounters c) {
    eventsLost += c.eventsLost();
    linkCorrupt += c.corrupt();
    return Behaviors.same();
  }

  Stats stats(ReplyBody.StatsResult radio) {
    return new Stats(radio, hostRxDropped, eventsLost, linkCorrupt, overflow, asyncAcked, asyncFailed);
  }

  /** The device is stopping: answer everyone still waiting. */
  void stop() {
    waitingReceivers.values().forEach(w -> w.tell(new Outcome.LinkDown<>("the device stopped")));
    waitingReceivers.clear();
  }

}
