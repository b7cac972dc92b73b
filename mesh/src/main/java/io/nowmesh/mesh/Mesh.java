package io.nowmesh.mesh;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import akka.actor.typed.Props;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.pubsub.Topic;
import akka.cluster.typed.Cluster;
import io.nowmesh.actors.espnow.EspNowException;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.mesh.delivery.Inbox;
import io.nowmesh.mesh.device.DeviceRadios;
import io.nowmesh.mesh.envelope.EnvelopeCodec;
import io.nowmesh.mesh.envelope.MessageType;
import io.nowmesh.mesh.gateway.Gateway;
import io.nowmesh.mesh.gateway.GatewayActor;
import io.nowmesh.mesh.gateway.MeshFrame;
import io.nowmesh.mesh.gateway.MeshOrigin;
import io.nowmesh.mesh.radio.RadioPort;
import io.nowmesh.mesh.routing.NodeActor;
import io.nowmesh.mesh.routing.Route;
import io.nowmesh.mesh.routing.RoutingTable;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The mesh as seen from one gateway's ActorSystem: {@code Mesh.get(system)}. Starts this system's
 * gateway, routing table view and inbox on first use; everything else is reached through it.
 */
public final class Mesh implements Extension {

  public static final class Id extends ExtensionId<Mesh> {
    @Override
    public Mesh createExtension(ActorSystem<?> system) {
      return new Mesh(system);
    }
  }

  private static final Id ID = new Id();

  public static Mesh get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  private final ActorSystem<?> system;
  private final MeshSettings settings;
  private final Mac origin;
  private final ActorRef<Topic.Command<MeshFrame>> frames;
  private final ActorRef<RoutingTable.Command> routing;
  private final ActorRef<Gateway.Command> gateway;
  private final ActorRef<Inbox.Command> inbox;
  private final ConcurrentHashMap<Mac, ActorRef<NodeActor.Command>> nodes = new ConcurrentHashMap<>();

  private Mesh(ActorSystem<?> system) {
    this.system = system;
    this.settings = MeshSettings.from(system.settings().config());
    this.origin = MeshOrigin.of(Cluster.get(system).selfMember().uniqueAddress());
    this.frames = system.systemActorOf(Topic.create(MeshFrame.class, "nowmesh-frames"), "nowmesh-frames", Props.empty());
    // routing, gateway and inbox keep their state in memory or in replicated data: restart on a bug
    this.routing = system.systemActorOf(
        Behaviors.supervise(RoutingTable.create(settings)).onFailure(SupervisorStrategy.restart()),
        "nowmesh-routing", Props.empty());
    this.gateway = system.systemActorOf(
        Behaviors.supervise(GatewayActor.create(settings, origin, frames, routing)).onFailure(SupervisorStrategy.resume()),
        "nowmesh-gateway", Props.empty());
    this.inbox = system.systemActorOf(
        Behaviors.supervise(Inbox.create(settings, frames)).onFailure(SupervisorStrategy.restart()),
        "nowmesh-inbox", Props.empty());
    if (settings.attachLocalDevices()) {
      system.systemActorOf(DeviceRadios.create(this, settings.deviceSendTimeout()), "nowmesh-device-radios",
          Props.empty());
    }
  }

  public MeshSettings settings() {
    return settings;
  }

  /** The MAC this gateway puts as origin in the envelopes it originates (derived from its cluster identity). */
  public Mac origin() {
    return origin;
  }

  /** Starts routing through this radio; what it hears feeds the replicated routing table. */
  public void attach(RadioPort radio) {
    gateway.tell(new Gateway.AttachRadio(radio));
  }

  public void detach(Mac radio) {
    gateway.tell(new Gateway.DetachRadio(radio));
  }

  /** An actor ref standing for the node: tell it {@link NodeActor.Send} or {@link NodeActor.Request}. */
  public ActorRef<NodeActor.Command> node(Mac mac) {
    if (mac.isMulticast()) {
      throw EspNowException.arg("node(" + mac + "): a node is a unicast MAC; use broadcast() or multicast()");
    }
    return nodes.computeIfAbsent(mac, m -> system.systemActorOf(NodeActor.create(m, routing, settings),
        "nowmesh-node-" + m.toHex(), Props.empty()));
  }

  /** Ask-style {@link NodeActor.Send}: completes with the one outcome. */
  public CompletionStage<Outcome> send(Mac node, byte[] payload, NodeActor.Delivery delivery) {
    return AskPattern.ask(node(node), replyTo -> new NodeActor.Send(payload, delivery, replyTo), askTimeout(),
        system.scheduler());
  }

  /** Ask-style {@link NodeActor.Request}: completes with {@link Outcome.Answered} or why not. */
  public CompletionStage<Outcome> request(Mac node, byte[] payload) {
    return AskPattern.ask(node(node), replyTo -> new NodeActor.Request(payload, replyTo), askTimeout(),
        system.scheduler());
  }

  /** Airs a DATA envelope to broadcast on every gateway's radios (at most 230 payload bytes). */
  public void broadcast(byte[] payload) {
    gateway.tell(new Gateway.Originate(Mac.BROADCAST, checkRoom(payload)));
  }

  /** Airs a DATA envelope to the group's multicast MAC on every gateway's radios. */
  public void multicast(Group group, byte[] payload) {
    gateway.tell(new Gateway.Originate(group.mac(), checkRoom(payload)));
  }

  private static byte[] checkRoom(byte[] payload) {
    int room = EnvelopeCodec.room(MessageType.DATA);
    if (payload.length > room) {
      throw EspNowException.arg("a mesh envelope carries at most " + room + " payload bytes (250 minus the "
          + EnvelopeCodec.HEADER_LEN + "-byte header), got " + payload.length);
    }
    return payload.clone();
  }

  /** Delivers broadcasts, unicast-to-mesh and raw traffic from nodes, each once cluster-wide. */
  public void subscribe(ActorRef<MeshMessage> subscriber) {
    inbox.tell(new Inbox.Subscribe(subscriber));
  }

  /** Delivers the group's traffic from nodes, each message once cluster-wide. */
  public void subscribe(Group group, ActorRef<MeshMessage> subscriber) {
    inbox.tell(new Inbox.SubscribeGroup(group, subscriber));
  }

  public void unsubscribe(ActorRef<MeshMessage> subscriber) {
    inbox.tell(new Inbox.Unsubscribe(subscriber));
  }

  /** The live routes to a node as this system ranks them now (diagnostics, tests). */
  public CompletionStage<List<Route>> routes(Mac node) {
    return AskPattern.<RoutingTable.Command, RoutingTable.Routes>ask(routing,
            replyTo -> new RoutingTable.GetRoutes(node, replyTo), Duration.ofSeconds(3), system.scheduler())
        .thenApply(RoutingTable.Routes::routes);
  }

  /** Gateways this system can route through now (Up, reachable, registered). */
  public CompletionStage<Integer> liveGateways() {
    return AskPattern.<RoutingTable.Command, RoutingTable.LiveGateways>ask(routing, RoutingTable.GetLiveGateways::new,
        Duration.ofSeconds(3), system.scheduler()).thenApply(RoutingTable.LiveGateways::count);
  }

  /** Systems whose frames topic this one knows (readiness: delivery reaches that many systems). */
  public CompletionStage<Integer> frameTopicPeers() {
    return AskPattern.<Topic.Command<MeshFrame>, Topic.TopicStats>ask(frames, Topic::getTopicStats,
        Duration.ofSeconds(3), system.scheduler()).thenApply(s -> s.topicInstanceCount());
  }

  private Duration askTimeout() {
    // every route may be tried with its own timeout; the NodeActor always answers before this
    Duration perTry = settings.requestTimeout().compareTo(settings.e2eAckTimeout()) > 0
        ? settings.requestTimeout() : settings.e2eAckTimeout();
    return settings.attemptTimeout().plus(perTry.multipliedBy(settings.e2eAckRetries() + 1L))
        .multipliedBy(4).plusSeconds(2);
  }
}
