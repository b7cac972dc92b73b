package io.nowmesh.examples.demo;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.typed.Cluster;
import com.typesafe.config.ConfigFactory;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.actors.sim.SimulatedAir;
import io.nowmesh.examples.cluster.LocalMesh;
import akka.actor.typed.ActorSystem;
import io.nowmesh.actors.device.DeviceActor;
import io.nowmesh.actors.device.DeviceSettings;
import io.nowmesh.actors.sim.SimulatedRadio;
import io.nowmesh.mesh.MeshSettings;
import io.nowmesh.mesh.device.DeviceRadioPort;
import io.nowmesh.examples.sim.AirRadioPort;
import io.nowmesh.examples.sim.CountingRadioPort;
import io.nowmesh.mesh.radio.RadioPort;
import io.nowmesh.examples.sim.LeafNode;
import io.nowmesh.mesh.Group;
import io.nowmesh.mesh.MeshMessage;
import io.nowmesh.mesh.routing.Route;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The demo's world: one {@link SimulatedAir}, three gateways (ActorSystems in one cluster) each
 * with a radio on that air, and the nodes of a {@link DemoLayout}, each a {@link LeafNode}. An
 * application subscriber runs on every gateway. {@link DemoTraffic} drives the messages.
 */
public final class DemoScenario implements AutoCloseable {
  /** The group the demo's members join. */
  public static final Group GROUP = new Group(7);

  /** What one gateway looks like now, for the view. */
  public record GatewayView(String name, Mac radio, String address, String status, long heard, long aired,
      List<Heard> hears) {}

  /** A node a gateway hears, as the replicated routing table says. */
  public record Heard(String label, int rssi) {}

  private final DemoLayout layout;
  private final SimulatedAir air = new SimulatedAir();
  private final LocalMesh mesh;
  private final boolean serialRadios;
  private final List<CountingRadioPort> radios = new ArrayList<>();
  private final List<AutoCloseable> radioHardware = new ArrayList<>();
  private final List<LeafNode> leaves = new ArrayList<>();
  private final DemoMetrics metrics = new DemoMetrics();
  private final Map<Mac, List<Route>> routes = new ConcurrentHashMap<>();
  private final Map<Mac, Integer> hearingGateways = new LinkedHashMap<>();

  private DemoScenario(DemoOptions options) {
    this.layout = new DemoLayout(options.nodes(), options.seed());
    this.serialRadios = options.serialRadios();
    this.mesh = LocalMesh.start(DemoLayout.GATEWAYS, options.basePort(), ConfigFactory.empty());
  }

  /** Starts the gateways and puts radios and nodes on the air; {@link #awaitReady} before traffic. */
  public static DemoScenario start(DemoOptions options) {
    DemoScenario s = new DemoScenario(options);
    try {
      s.populate();
      return s;
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
  }

  private void populate() {
    for (int g = 0; g < DemoLayout.GATEWAYS; g++) {
      DemoLayout.GatewaySpec spec = layout.gateways().get(g);
      CountingRadioPort radio = new CountingRadioPort(serialRadios ? serialRadio(g, spec) : airRadio(spec));
      radios.add(radio);
      mesh.mesh(g).attach(radio);
      subscribe(g);
    }
    for (int i = 0; i < layout.nodes().size(); i++) {
      DemoLayout.NodeSpec spec = layout.nodes().get(i);
      LeafNode leaf = new LeafNode(air, spec.mac(), spec.x(), spec.y(), DemoLayout.CHANNEL)
          .via(radios.get(spec.uplink()).mac());
      if (spec.groupMember()) {
        leaf.join(GROUP);
      }
      leaf.onMessage(d -> DemoPayload.decode(d.payload()).ifPresent(p -> nodeGot(spec, p)));
      leaves.add(leaf);
      int hearing = 0;
      for (CountingRadioPort r : radios) {
        if (air.rssiBetween(spec.mac(), r.mac()).orElse(-127) >= air.settings().sensitivityDbm()) {
          hearing++;
        }
      }
      hearingGateways.put(spec.mac(), hearing);
    }
  }

  /** A simulated ESP32 on the air, speaking protocol v1 to a device actor on gateway g: production's path. */
  private RadioPort serialRadio(int g, DemoLayout.GatewaySpec spec) {
    SimulatedRadio hw = air.addRadio(spec.radio(), spec.x(), spec.y(), DemoLayout.CHANNEL);
    radioHardware.add(hw);
    ActorSystem<Void> system = mesh.system(g);
    ActorRef<DeviceActor.Command> device = system.systemActorOf(
        DeviceActor.create(hw.hostTransport(), DeviceSettings.from(system.settings().config())), "demo-radio",
        Props.empty());
    // spawned here rather than by a DeviceManager: not registered, so the mesh does not attach it a
    // second time; the demo attaches it itself, wrapped to count frames for the view
    return new DeviceRadioPort(system, device, spec.radio(),
        MeshSettings.from(system.settings().config()).deviceSendTimeout());
  }

  /** The gateway's radio as a station on the air itself: no serial link, no device actor. */
  private RadioPort airRadio(DemoLayout.GatewaySpec spec) {
    AirRadioPort port = new AirRadioPort(air, spec.radio(), spec.x(), spec.y(), DemoLayout.CHANNEL);
    radioHardware.add(port);
    return port;
  }

  /** One application per gateway: counts broadcasts there; the first also takes unicast and group traffic. */
  private void subscribe(int g) {
    String name = layout.gateways().get(g).name();
    ActorRef<MeshMessage> app = mesh.system(g).systemActorOf(Behaviors.receiveMessage(m -> {
      if (m instanceof MeshMessage.FromNode n) {
        DemoPayload.decode(n.payload()).ifPresent(p -> appGot(g, name, p));
      }
      return Behaviors.same();
    }), "demo-app", Props.empty());
    mesh.mesh(g).subscribe(app);
    if (g == 0) {
      mesh.mesh(g).subscribe(GROUP, app);
    }
  }

  private void appGot(int g, String name, DemoPayload p) {
    switch (p.flow()) {
      case BROADCAST_UP -> metrics.delivered(p.flow(), p.key(), name, p.sentNanos());
      case UNICAST_UP, MULTICAST_UP -> {
        if (g == 0) {
          metrics.delivered(p.flow(), p.key(), "app", p.sentNanos());
        }
      }
      default -> { } // the application's own traffic does not come back to applications
    }
  }

  private void nodeGot(DemoLayout.NodeSpec node, DemoPayload p) {
    switch (p.flow()) {
      case UNICAST_DOWN, BROADCAST_DOWN -> metrics.delivered(p.flow(), p.key(), node.label(), p.sentNanos());
      case MULTICAST_DOWN, MULTICAST_UP -> {
        if (node.groupMember()) {
          metrics.delivered(p.flow(), p.key(), node.label(), p.sentNanos());
        } else {
          metrics.leaked(p.flow());
        }
      }
      default -> { } // node-to-node broadcasts are counted at the applications
    }
  }

  /**
   * Waits for the cluster, then has every node say hello (a broadcast) so the gateways that hear it
   * learn a route, and waits until the replicated routing table shows every node on every gateway
   * that hears it.
   */
  public void awaitReady(Duration timeout) throws TimeoutException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    mesh.awaitReady(timeout);
    leaves.forEach(l -> l.broadcast("hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    while (true) {
      refreshRoutes().join(); // each ask completes (or fails to null) within its own 3 s timeout
      long missing = leaves.stream()
          .filter(l -> routes.getOrDefault(l.mac(), List.of()).size() < hearingGateways.get(l.mac())).count();
      if (missing == 0) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("routes to " + missing + " nodes were not learned within " + timeout.toSeconds() + " s");
      }
      TimeUnit.MILLISECONDS.sleep(100); // the routing table replicates by gossip; poll it
    }
  }

  /** Asks gateway 1's routing table for every node's routes (what the view shows). */
  public java.util.concurrent.CompletableFuture<Void> refreshRoutes() {
    List<java.util.concurrent.CompletableFuture<?>> asks = new ArrayList<>();
    for (LeafNode l : leaves) {
      asks.add(mesh.mesh(0).routes(l.mac()).toCompletableFuture()
          .thenAccept(r -> routes.put(l.mac(), r))
          .exceptionally(e -> null));
    }
    return java.util.concurrent.CompletableFuture.allOf(asks.toArray(new java.util.concurrent.CompletableFuture<?>[0]));
  }

  public List<GatewayView> gateways() {
    List<GatewayView> out = new ArrayList<>();
    for (int g = 0; g < radios.size(); g++) {
      CountingRadioPort r = radios.get(g);
      List<Heard> hears = new ArrayList<>();
      for (int i = 0; i < leaves.size(); i++) {
        for (Route route : routes.getOrDefault(leaves.get(i).mac(), List.of())) {
          if (route.radio().equals(r.mac())) {
            hears.add(new Heard(layout.nodes().get(i).label(), route.rssi()));
          }
        }
      }
      String status;
      try {
        status = Cluster.get(mesh.system(g)).selfMember().status().toString();
      } catch (RuntimeException e) {
        status = "stopped";
      }
      out.add(new GatewayView(layout.gateways().get(g).name(), r.mac(), mesh.hostPort(g), status, r.framesHeard(),
          r.framesAired(), hears));
    }
    return out;
  }

  public DemoLayout layout() {
    return layout;
  }

  public DemoMetrics metrics() {
    return metrics;
  }

  public LocalMesh mesh() {
    return mesh;
  }

  public List<LeafNode> leaves() {
    return leaves;
  }

  /** Nodes that more than one gateway hears. */
  public long bridged() {
    return hearingGateways.values().stream().filter(h -> h > 1).count();
  }

  /** Nodes exactly one gateway hears. */
  public long single() {
    return hearingGateways.values().stream().filter(h -> h == 1).count();
  }

  @Override
  public void close() {
    leaves.forEach(LeafNode::close);
    mesh.close();
    for (AutoCloseable hw : radioHardware) {
      try {
        hw.close();
      } catch (Exception e) {
        // shutting down: nothing useful to do with it
      }
    }
  }
}
