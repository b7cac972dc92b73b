package io.nowmesh.mesh.gateway;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.actor.typed.pubsub.Topic;
import akka.actor.typed.receptionist.Receptionist;
import akka.cluster.Member;
import akka.cluster.typed.Cluster;
import io.nowmesh.actors.espnow.EspNowError;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.mesh.GatewayCounter;
import io.nowmesh.mesh.MeshSettings;
import io.nowmesh.mesh.delivery.DedupWindow;
import io.nowmesh.mesh.delivery.MessageKey;
import io.nowmesh.mesh.envelope.DecodeResult;
import io.nowmesh.mesh.envelope.Envelope;
import io.nowmesh.mesh.envelope.EnvelopeCodec;
import io.nowmesh.mesh.envelope.MessageType;
import io.nowmesh.mesh.gateway.Gateway.*;
import io.nowmesh.mesh.radio.RadioOutcome;
import io.nowmesh.mesh.radio.RadioPort;
import io.nowmesh.mesh.radio.ReceivedFrame;
import io.nowmesh.mesh.routing.RoutingTable;
import java.util.HashMap;
import java.util.Map;

/**
 * The gateway of one host. Guarantees: each {@link Transmit} gets exactly one {@link TransmitResult};
 * each broadcast/group envelope is aired by this gateway at most once per dedup window, and a node's
 * envelope is not re-aired at all when this gateway's own radios heard the node's original (its
 * nodes heard it too); what its radios hear is reported as a routing sighting and published once on
 * the frames topic.
 */
public final class GatewayActor extends AbstractBehavior<Command> {

  private static final class Pending {
    final Transmit transmit;
    final RadioPort port;
    final byte[] frame;
    int retriesLeft;

    Pending(Transmit transmit, RadioPort port, byte[] frame, int retriesLeft) {
      this.transmit = transmit;
      this.port = port;
      this.frame = frame;
      this.retriesLeft = retriesLeft;
    }
  }

  private record Radio(RadioPort port, AutoCloseable subscription) {}

  private final MeshSettings settings;
  private final TimerScheduler<Command> timers;
  private final ActorRef<Topic.Command<MeshFrame>> frames;
  private final ActorRef<RoutingTable.Command> routing;
  private final Mac origin;
  private final Cluster cluster;
  private final Map<Mac, Radio> radios = new HashMap<>();
  private final Map<Long, Pending> pending = new HashMap<>();
  private final DedupWindow<MessageKey> aired;
  /**
   * Broadcast/group envelopes this gateway put on the frames topic. Every gateway whose own radio heard
   * the original publishes it, even after another gateway's copy arrived: that copy may not have
   * reached every member (a partition forming, a publisher killed mid-publication). Inboxes dedup.
   */
  private final DedupWindow<MessageKey> published;
  /** Node envelopes learned second-hand, waiting out {@code reair-grace} before this gateway re-airs them. */
  private final Map<MessageKey, Envelope> held = new HashMap<>();
  private final Counters counters = new Counters();
  private final AirGuard guard;
  private long nextId = 1;

  public static Behavior<Command> create(MeshSettings settings, Mac origin,
      ActorRef<Topic.Command<MeshFrame>> frames, ActorRef<RoutingTable.Command> routing) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new GatewayActor(ctx, timers, settings, origin, frames, routing)));
  }

  private GatewayActor(ActorContext<Command> ctx, TimerScheduler<Command> timers, MeshSettings settings, Mac origin,
      ActorRef<Topic.Command<MeshFrame>> frames, ActorRef<RoutingTable.Command> routing) {
    super(ctx);
    this.settings = settings;
    this.timers = timers;
    this.origin = origin;
    this.frames = frames;
    this.routing = routing;
    this.cluster = Cluster.get(ctx.getSystem());
    this.aired = new DedupWindow<>(settings.dedupWindow().toMillis(), settings.dedupCapacity());
    this.published = new DedupWindow<>(settings.dedupWindow().toMillis(), settings.dedupCapacity());
    this.guard = new AirGuard(settings, counters);
    settings.authKey().ifPresent(k -> ctx.getLog().info("Gateway {} authenticates broadcast/group envelopes, mesh key {}",
        origin, k)); // MeshKey.toString is redacted: length and fingerprint only
    ctx.getSystem().receptionist().tell(Receptionist.register(Gateway.KEY, ctx.getSelf()));
    frames.tell(Topic.subscribe(ctx.messageAdapter(MeshFrame.class, FromTopic::new)));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(AttachRadio.class, this::onAttach)
        .onMessage(DetachRadio.class, this::onDetach)
        .onMessage(Originate.class, this::onOriginate)
        .onMessage(Transmit.class, this::onTransmit)
        .onMessage(SendDone.class, this::onSendDone)
        .onMessage(AckTimeout.class, this::onAckTimeout)
        .onMessage(FrameHeard.class, this::onFrameHeard)
        .onMessage(FromTopic.class, this::onFromTopic)
        .onMessage(ReAirDue.class, this::onReAirDue)
        .onMessage(GetCounters.class, g -> {
          g.replyTo().tell(counters.snapshot());
          return this;
        })
        .onSignal(PostStop.class, s -> {
          radios.values().forEach(r -> closeQuietly(r.subscription()));
          return this;
        })
        .build();
  }

  private Behavior<Command> onAttach(AttachRadio a) {
    Mac mac = a.port().mac();
    Radio old = radios.remove(mac);
    if (old != null) {
      closeQuietly(old.subscription());
    }
    ActorRef<Command> self = getContext().getSelf();
    AutoCloseable sub = a.port().subscribe(frame -> self.tell(new FrameHeard(mac, frame)));
    radios.put(mac, new Radio(a.port(), sub));
    getContext().getLog().info("Gateway {} attached radio {}", origin, mac);
    return this;
  }

  private Behavior<Command> onDetach(DetachRadio d) {
    Radio old = radios.remove(d.radio());
    if (old != null) {
      closeQuietly(old.subscription());
    }
    return this;
  }

  private Behavior<Command> onOriginate(Originate o) {
    Envelope e = guard.seal(Envelope.data(origin, nextId(), o.destination(), settings.defaultHops(), false, o.payload()));
    frames.tell(Topic.publish(new MeshFrame(true, origin, origin, origin, 0, System.currentTimeMillis(),
        EnvelopeCodec.encode(e))));
    return this;
  }

  // ---------------------------------------------------------------- unicast out

  private Behavior<Command> onTransmit(Transmit t) {
    Radio radio = radios.get(t.radio());
    if (radio == null) {
      t.replyTo().tell(new TransmitResult(Status.FAILED, t.radio(), EspNowError.ESP_ERR_ESPNOW_IF, null,
          "radio " + t.radio() + " is not attached to gateway " + origin));
      return this;
    }
    long id = t.mode() == Mode.RAW ? 0 : nextId();
    byte[] frame;
    try {
      frame = switch (t.mode()) {
        case RAW -> t.payload();
        case ENVELOPE -> EnvelopeCodec.encode(Envelope.data(origin, id, t.node(), 0, false, t.payload()));
        case ACKED -> EnvelopeCodec.encode(Envelope.data(origin, id, t.node(), 0, true, t.payload()));
        case REQUEST -> EnvelopeCodec.encode(Envelope.request(origin, id, t.node(), 0, t.payload()));
      };
    } catch (IllegalArgumentException tooLong) {
      t.replyTo().tell(new TransmitResult(Status.FAILED, t.radio(), EspNowError.ESP_ERR_ESPNOW_ARG, null,
          tooLong.getMessage()));
      return this;
    }
    if (t.mode() == Mode.ACKED || t.mode() == Mode.REQUEST) {
      // registered before sending: a fast node may answer before the radio reports its MAC ack
      pending.put(id, new Pending(t, radio.port(), frame, settings.e2eAckRetries()));
      timers.startSingleTimer(id, new AckTimeout(id), answerWait(t.mode()));
    }
    air(radio.port(), t.node(), frame, id, t);
    return this;
  }

  /** Per-try wait: an ACK is immediate, a RESPONSE may need the node's application to work first. */
  private java.time.Duration answerWait(Mode mode) {
    return mode == Mode.REQUEST ? settings.requestTimeout() : settings.e2eAckTimeout();
  }

  private void air(RadioPort port, Mac dst, byte[] frame, long pendingId, Transmit t) {
    getContext().pipeToSelf(port.send(dst, frame), (outcome, ex) -> new SendDone(pendingId, t,
        ex != null ? new RadioOutcome.Failed(EspNowError.FAILED, String.valueOf(ex)) : outcome));
  }

  private Behavior<Command> onSendDone(SendDone d) {
    if (d.transmit() == null) {
      if (d.outcome() instanceof RadioOutcome.Failed f) {
        getContext().getLog().warn("Gateway {} could not air a group frame: {} {}", origin, f.error().label(), f.detail());
      }
      return this;
    }
    Transmit t = d.transmit();
    boolean awaitsAnswer = t.mode() == Mode.ACKED || t.mode() == Mode.REQUEST;
    if (awaitsAnswer && !pending.containsKey(d.pendingId())) {
      return this; // answered already (or timed out): the one result has gone
    }
    if (d.outcome() instanceof RadioOutcome.Acked) {
      if (!awaitsAnswer) {
        t.replyTo().tell(new TransmitResult(Status.DELIVERED, t.radio(), null, null, "MAC-level ack"));
      }
      return this; // an ACKED/REQUEST transmit now waits for the node's answer or the timer
    }
    if (awaitsAnswer) {
      pending.remove(d.pendingId());
      timers.cancel(d.pendingId());
    }
    if (d.outcome() instanceof RadioOutcome.Failed f) {
      t.replyTo().tell(new TransmitResult(Status.FAILED, t.radio(), f.error(), null, f.detail()));
    } else {
      t.replyTo().tell(new TransmitResult(Status.NOT_ACKED, t.radio(), null, null, "no MAC-level ack from " + t.node()));
    }
    return this;
  }

  private Behavior<Command> onAckTimeout(AckTimeout a) {
    Pending p = pending.get(a.pendingId());
    if (p == null) {
      return this;
    }
    if (p.retriesLeft > 0) {
      p.retriesLeft--;
      timers.startSingleTimer(a.pendingId(), new AckTimeout(a.pendingId()), answerWait(p.transmit.mode()));
      air(p.port, p.transmit.node(), p.frame, a.pendingId(), p.transmit);
    } else {
      pending.remove(a.pendingId());
      Transmit t = p.transmit;
      t.replyTo().tell(new TransmitResult(Status.NOT_ACKED, t.radio(), null, null,
          "no end-to-end " + (t.mode() == Mode.REQUEST ? "response" : "ack") + " from " + t.node() + " after "
              + (settings.e2eAckRetries() + 1) + " tries"));
    }
    return this;
  }

  // ---------------------------------------------------------------- heard

  private Behavior<Command> onFrameHeard(FrameHeard h) {
    ReceivedFrame f = h.frame();
    if (radios.containsKey(f.source())) {
      return this; // one of our own radios: not a node
    }
    if (!guard.admit(f.source())) {
      return this;
    }
    try {
      heard(h.radio(), f);
    } catch (RuntimeException bug) {
      // whatever the air carries must not take the gateway down; the supervisor would resume anyway
      counters.inc(GatewayCounter.FRAME_ERRORS);
      getContext().getLog().warn("Gateway {} failed on a frame from {}", origin, f.source(), bug);
    }
    return this;
  }

  private void heard(Mac radioMac, ReceivedFrame f) {
    routing.tell(new RoutingTable.Sighted(f.source(), radioMac, f.rssi(), System.currentTimeMillis()));
    DecodeResult r = EnvelopeCodec.decode(f.payload());
    if (!(r instanceof DecodeResult.Decoded d)) {
      // the documented rule: whatever is not a valid envelope is delivered as raw, counted by kind
      counters.inc(EnvelopeCodec.looksLikeEnvelope(f.payload()) ? GatewayCounter.MALFORMED : GatewayCounter.RAW);
      publish(radioMac, f);
      return;
    }
    Envelope e = d.envelope();
    if (!guard.authentic(e)) {
      return;
    }
    if (e.type() == MessageType.ACK || e.type() == MessageType.RESPONSE) {
      if (e.destination().equals(origin)) {
        answer(e);
      }
      return;
    }
    if (e.origin().equals(origin)) {
      return; // our own airing, echoed by another radio
    }
    if (e.isBroadcast() || e.isGroup()) {
      MessageKey key = MessageKey.envelope(e.origin(), e.messageId());
      boolean first = aired.firstSighting(key, System.currentTimeMillis());
      if (first && !guard.fresh(e)) {
        return; // an old frame aired again after the dedup window forgot it
      }
      if (isMeshOrigin(e.origin())) {
        if (first) {
          airAll(e.destination(), f.payload()); // another gateway's application broadcast, heard before the topic told us
        }
        return;
      }
      boolean direct = f.source().equals(e.origin());
      if (direct) {
        // our radio heard the node itself: the nodes near us heard the original, so we never re-air it
        if (held.remove(key) != null) {
          timers.cancel(key); // the cluster copy overtook our radio; the grace period caught it
          counters.inc(GatewayCounter.REAIRS_CANCELLED);
        }
      } else if (first) {
        holdReAir(key, e); // another gateway's re-airing: we did not hear the node (yet)
      }
      if ((first || direct) && published.firstSighting(key, System.currentTimeMillis())) {
        publish(radioMac, f);
      }
      return;
    }
    if (e.ackRequested() && e.type() == MessageType.DATA) {
      Radio radio = radios.get(radioMac);
      if (radio != null) {
        byte[] ack = EnvelopeCodec.encode(Envelope.ackFor(e, origin, nextId()));
        air(radio.port(), f.source(), ack, 0, null);
      }
    }
    publish(radioMac, f);
  }

  private void answer(Envelope e) {
    Pending p = pending.get(e.ref());
    if (p == null || !p.transmit.node().equals(e.origin())) {
      return; // late, duplicate, or not ours
    }
    Transmit t = p.transmit;
    boolean matches = (e.type() == MessageType.ACK && t.mode() == Mode.ACKED)
        || (e.type() == MessageType.RESPONSE && t.mode() == Mode.REQUEST);
    if (!matches) {
      return;
    }
    pending.remove(e.ref());
    timers.cancel(e.ref());
    t.replyTo().tell(e.type() == MessageType.ACK
        ? new TransmitResult(Status.DELIVERED_E2E, t.radio(), null, null, "end-to-end ack")
        : new TransmitResult(Status.ANSWERED, t.radio(), null, e.payload(), "response"));
  }

  private Behavior<Command> onFromTopic(FromTopic m) {
    MeshFrame f = m.frame();
    if (!f.fromApp() && f.publisher().equals(origin)) {
      return this; // we published it; we handled it when our radio heard it
    }
    if (!(EnvelopeCodec.decode(f.bytes()) instanceof DecodeResult.Decoded d)) {
      return this; // raw frames are delivered, never re-aired
    }
    Envelope e = d.envelope();
    if (!(e.isBroadcast() || e.isGroup())) {
      return this;
    }
    if (!aired.firstSighting(MessageKey.envelope(e.origin(), e.messageId()), System.currentTimeMillis())) {
      return this;
    }
    if (!guard.fresh(e)) {
      return this; // verified by the publishing gateway, but our window saw this counter: do not re-air it
    }
    if (f.fromApp()) {
      airAll(e.destination(), f.bytes());
    } else {
      holdReAir(MessageKey.envelope(e.origin(), e.messageId()), e);
    }
    return this;
  }

  /**
   * Re-airs a node's envelope after {@code reair-grace} unless our own radio hears the node's original
   * meanwhile: the cluster copy may arrive before our radio's copy has crossed the serial link.
   */
  private void holdReAir(MessageKey key, Envelope e) {
    if (e.hops() == 0) {
      return;
    }
    if (settings.reairGrace().isZero()) {
      reAir(e);
      return;
    }
    held.put(key, e);
    counters.inc(GatewayCounter.REAIRS_HELD);
    timers.startSingleTimer(key, new ReAirDue(key), settings.reairGrace());
  }

  private Behavior<Command> onReAirDue(ReAirDue due) {
    Envelope e = held.remove(due.key());
    if (e != null) {
      reAir(e);
    }
    return this;
  }

  private void reAir(Envelope e) {
    int hops = Math.min(e.hops(), settings.maxHops()); // an absurd hop limit is not honoured
    if (hops > 0) {
      counters.inc(GatewayCounter.REAIRED);
      airAll(e.destination(), EnvelopeCodec.encode(e.withHops(hops - 1)));
    }
  }

  private void airAll(Mac destination, byte[] frame) {
    for (Radio r : radios.values()) {
      air(r.port(), destination, frame, 0, null);
    }
  }

  private void publish(Mac radio, ReceivedFrame f) {
    counters.inc(GatewayCounter.PUBLISHED);
    frames.tell(Topic.publish(new MeshFrame(false, origin, radio, f.source(), f.rssi(), f.timestampMillis(),
        f.payload())));
  }

  private boolean isMeshOrigin(Mac mac) {
    for (Member m : cluster.state().getMembers()) {
      if (MeshOrigin.of(m.uniqueAddress()).equals(mac)) {
        return true;
      }
    }
    return false;
  }

  private long nextId() {
    long id = nextId;
    nextId = (nextId + 1) & 0xFFFF_FFFFL;
    if (nextId == 0) {
      nextId = 1; // 0 means "no id" for raw transmits
    }
    return id;
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // the radio is going away; nothing left to release
    }
  }
}
