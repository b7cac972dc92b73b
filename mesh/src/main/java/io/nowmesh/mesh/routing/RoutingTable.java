package io.nowmesh.mesh.routing;

import akka.actor.Address;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.receptionist.Receptionist;
import akka.cluster.ClusterEvent;
import akka.cluster.Member;
import akka.cluster.MemberStatus;
import akka.cluster.UniqueAddress;
import akka.cluster.ddata.LWWMap;
import akka.cluster.ddata.LWWMapKey;
import akka.cluster.ddata.SelfUniqueAddress;
import akka.cluster.ddata.typed.javadsl.DistributedData;
import akka.cluster.ddata.typed.javadsl.Replicator;
import akka.cluster.ddata.typed.javadsl.ReplicatorMessageAdapter;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Subscribe;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.mesh.MeshSettings;
import io.nowmesh.mesh.gateway.Gateway;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * This system's view of the replicated routing table: a Distributed Data LWWMap of sightings
 * (written locally by the gateway that heard, read locally everywhere, no single owner), filtered
 * by live cluster reachability so a route through an unreachable or departed gateway is dropped the
 * moment the failure detector says so, not when the gateway is downed.
 */
public final class RoutingTable extends AbstractBehavior<RoutingTable.Command> {
  public static final akka.cluster.ddata.Key<LWWMap<String, Sighting>> KEY = LWWMapKey.create("nowmesh-routes");

  public sealed interface Command {}

  /** From the local gateway: one of its radios heard {@code node}. */
  public record Sighted(Mac node, Mac radio, int rssi, long atMillis) implements Command {}

  /** Ranked live routes to {@code node}, best first; empty if none. */
  public record GetRoutes(Mac node, ActorRef<Routes> replyTo) implements Command {}

  public record Routes(Mac node, List<Route> routes) {}

  /** How many gateways this system can currently route through. */
  public record GetLiveGateways(ActorRef<LiveGateways> replyTo) implements Command {}

  public record LiveGateways(int count) {}

  private record Changed(Replicator.SubscribeResponse<LWWMap<String, Sighting>> rsp) implements Command {}

  private record Updated(Replicator.UpdateResponse<LWWMap<String, Sighting>> rsp) implements Command {}

  private record MemberChanged(ClusterEvent.MemberEvent event) implements Command {}

  private record ReachabilityChanged(ClusterEvent.ReachabilityEvent event) implements Command {}

  private record GatewaysListed(Receptionist.Listing listing) implements Command {}

  private final MeshSettings settings;
  private final ReplicatorMessageAdapter<Command, LWWMap<String, Sighting>> replicator;
  private final SelfUniqueAddress selfUnique;
  private final UniqueAddress self;
  /** node -> sightings by any gateway, from the last replicated state. */
  private Map<Mac, List<Sighting>> byNode = Map.of();
  private Map<String, Sighting> entries = Map.of();
  /** What we last wrote per key, to throttle writes (every frame would flood gossip). */
  private final Map<String, Sighting> written = new HashMap<>();
  private final Set<UniqueAddress> up = new HashSet<>();
  private final Set<UniqueAddress> unreachable = new HashSet<>();
  private final Map<Address, ActorRef<Gateway.Command>> gateways = new HashMap<>();

  public static Behavior<Command> create(MeshSettings settings) {
    return Behaviors.setup(ctx -> DistributedData.withReplicatorMessageAdapter(
        (ReplicatorMessageAdapter<Command, LWWMap<String, Sighting>> r) -> new RoutingTable(ctx, r, settings)));
  }

  private RoutingTable(ActorContext<Command> ctx, ReplicatorMessageAdapter<Command, LWWMap<String, Sighting>> replicator,
      MeshSettings settings) {
    super(ctx);
    this.settings = settings;
    this.replicator = replicator;
    this.selfUnique = DistributedData.get(ctx.getSystem()).selfUniqueAddress();
    this.self = Cluster.get(ctx.getSystem()).selfMember().uniqueAddress();
    replicator.subscribe(KEY, Changed::new);
    Cluster cluster = Cluster.get(ctx.getSystem());
    cluster.subscriptions().tell(Subscribe.create(
        ctx.messageAdapter(ClusterEvent.MemberEvent.class, MemberChanged::new), ClusterEvent.MemberEvent.class));
    cluster.subscriptions().tell(Subscribe.create(
        ctx.messageAdapter(ClusterEvent.ReachabilityEvent.class, ReachabilityChanged::new),
        ClusterEvent.ReachabilityEvent.class));
    ctx.getSystem().receptionist().tell(Receptionist.subscribe(Gateway.KEY,
        ctx.messageAdapter(Receptionist.Listing.class, GatewaysListed::new)));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Sighted.class, this::onSighted)
        .onMessage(GetRoutes.class, this::onGetRoutes)
        .onMessage(GetLiveGateways.class, g -> {
          g.replyTo().tell(new LiveGateways(liveGateways().size()));
          return this;
        })
        .onMessage(Changed.class, this::onChanged)
        .onMessage(Updated.class, u -> this)
        .onMessage(MemberChanged.class, this::onMember)
        .onMessage(ReachabilityChanged.class, this::onReachability)
        .onMessage(GatewaysListed.class, l -> {
          gateways.clear();
          for (ActorRef<Gateway.Command> g : l.listing().getServiceInstances(Gateway.KEY)) {
            gateways.put(g.path().address().hasLocalScope() ? self.address() : g.path().address(), g);
          }
          return this;
        })
        .build();
  }

  private Behavior<Command> onSighted(Sighted s) {
    Sighting next = new Sighting(s.node().toLong(), s.radio().toLong(), self.address().toString(), self.longUid(),
        s.rssi(), s.atMillis());
    Sighting last = written.get(next.key());
    boolean worthWriting = last == null
        || last.gatewayUid() != next.gatewayUid()
        || Math.abs(last.rssi() - next.rssi()) >= settings.sightingRssiDelta()
        || next.lastSeen() - last.lastSeen() >= settings.sightingRefresh().toMillis();
    if (worthWriting) {
      written.put(next.key(), next);
      replicator.askUpdate(
          replyTo -> new Replicator.Update<>(KEY, LWWMap.create(), Replicator.writeLocal(), replyTo,
              map -> map.put(selfUnique, next.key(), next)),
          Updated::new);
    }
    return this;
  }

  private Behavior<Command> onChanged(Changed c) {
    if (c.rsp() instanceof Replicator.Changed<LWWMap<String, Sighting>> changed) {
      entries = changed.get(KEY).getEntries();
      Map<Mac, List<Sighting>> index = new HashMap<>();
      for (Sighting s : entries.values()) {
        index.computeIfAbsent(Mac.ofLong(s.node()), k -> new ArrayList<>()).add(s);
      }
      byNode = index;
    }
    return this;
  }

  private Behavior<Command> onGetRoutes(GetRoutes g) {
    g.replyTo().tell(new Routes(g.node(), RouteRanking.rank(g.node(), byNode.getOrDefault(g.node(), List.of()),
        liveGateways(), System.currentTimeMillis(), settings.routeTtl().toMillis(),
        settings.recencyPenaltyDbPerSecond())));
    return this;
  }

  /** Gateways that are Up, reachable and registered, keyed by "address#uid". */
  private Map<String, ActorRef<Gateway.Command>> liveGateways() {
    Map<String, ActorRef<Gateway.Command>> live = new HashMap<>();
    for (UniqueAddress u : up) {
      ActorRef<Gateway.Command> gw = gateways.get(u.address());
      if (gw != null && !unreachable.contains(u)) {
        live.put(u.address() + "#" + u.longUid(), gw);
      }
    }
    return live;
  }

  private Behavior<Command> onMember(MemberChanged m) {
    Member member = m.event().member();
    MemberStatus st = member.status();
    if (st == MemberStatus.up() || st == MemberStatus.weaklyUp()) {
      up.add(member.uniqueAddress());
    } else {
      // Leaving, Exiting, Down, Removed: no new traffic through it
      up.remove(member.uniqueAddress());
    }
    if (m.event() instanceof ClusterEvent.MemberRemoved) {
      unreachable.remove(member.uniqueAddress());
      prune(member.uniqueAddress());
    }
    return this;
  }

  private Behavior<Command> onReachability(ReachabilityChanged r) {
    UniqueAddress u = r.event().member().uniqueAddress();
    if (r.event() instanceof ClusterEvent.UnreachableMember) {
      unreachable.add(u);
      getContext().getLog().info("Routes through {} suspended: gateway unreachable", u.address());
    } else {
      unreachable.remove(u);
    }
    return this;
  }

  /** Removes a departed gateway's sightings so the table does not grow with dead incarnations. */
  private void prune(UniqueAddress gone) {
    String address = gone.address().toString();
    List<String> keys = new ArrayList<>();
    for (Map.Entry<String, Sighting> e : entries.entrySet()) {
      if (e.getValue().gateway().equals(address) && e.getValue().gatewayUid() == gone.longUid()) {
        keys.add(e.getKey());
      }
    }
    if (!keys.isEmpty()) {
      replicator.askUpdate(
          replyTo -> new Replicator.Update<>(KEY, LWWMap.create(), Replicator.writeLocal(), replyTo, map -> {
            LWWMap<String, Sighting> out = map;
            for (String k : keys) {
              Sighting current = out.getEntries().get(k);
              // the key may meanwhile belong to a new incarnation (same radio, new uid): keep that
              if (current != null && current.gatewayUid() == gone.longUid()) {
                out = out.remove(selfUnique, k);
              }
            }
            return out;
          }),
          Updated::new);
    }
  }
}
