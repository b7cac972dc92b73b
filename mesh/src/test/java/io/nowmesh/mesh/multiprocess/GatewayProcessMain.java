package io.nowmesh.mesh.multiprocess;

import akka.actor.Address;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.ClusterEvent;
import akka.cluster.Member;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Subscribe;
import akka.remote.RARP;
import akka.remote.transport.ThrottlerTransportAdapter;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.mesh.Mesh;
import io.nowmesh.mesh.MeshMessage;
import io.nowmesh.mesh.Outcome;
import io.nowmesh.mesh.envelope.Envelope;
import io.nowmesh.mesh.envelope.EnvelopeCodec;
import io.nowmesh.mesh.routing.NodeActor;
import io.nowmesh.mesh.routing.Route;
import io.nowmesh.mesh.testair.FakeRadio;
import io.nowmesh.mesh.testair.TestAir;
import io.nowmesh.mesh.testair.TestNode;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * One gateway host in its own JVM for the multi-process tests ({@link GatewayProc} starts it). It
 * runs a NowMesh gateway (ActorSystem "nowmesh" on 127.0.0.1) whose {@link FakeRadio} sits in a
 * process-local {@link TestAir}; the nodes this radio hears are {@link TestNode} replicas in that
 * air. A node heard by two gateways has a replica in each process, and the driver makes both air
 * the same broadcast (same origin and id), as one frame heard by two radios would be.
 *
 * <p>Line protocol on stdin; every answer is one stdout line starting with '@' (logs go to stderr):
 * <pre>
 *   NODE tok mac rssi      a node replica this radio hears        -> @tok OK
 *   SUB tok                one application subscriber            -> @tok OK, then @RX origin id per message
 *   STATUS tok             -> @tok up live-gateways topic-peers unreachable
 *   ROUTES tok mac         -> @tok radio,radio (best first) or -
 *   BLACKHOLE tok port     Artery test mode, both directions      -> @tok true (false: test mode off)
 *   HEAL tok port          lifts it                               -> @tok true
 *   BCAST mac id           the node airs a broadcast DATA envelope with this id (no answer)
 *   UNI seq mac            an END_TO_END unicast from this gateway -> @OUT seq kind detail ms (each reply)
 *   QUIT
 * </pre>
 * Unasked: {@code @EVENT kind port} for membership and reachability changes, {@code @TERMINATED}
 * when the ActorSystem stops (e.g. SBR downed this gateway): the process then exits, as one with
 * {@code akka.coordinated-shutdown.exit-jvm = on} would.
 */
public final class GatewayProcessMain {
  private static PrintStream protocol;

  private final ActorSystem<Void> system;
  private final Mesh mesh;
  private final TestAir air = new TestAir();
  private final FakeRadio radio;

  private GatewayProcessMain(int index, int port, int seedPort, boolean testMode) {
    radio = new FakeRadio(air, radioMac(index));
    system = ActorSystem.create(Behaviors.empty(), "nowmesh", config(port, seedPort, testMode));
    mesh = Mesh.get(system);
    mesh.attach(radio);
    watchCluster();
    system.getWhenTerminated().thenRun(() -> {
      say("TERMINATED");
      Runtime.getRuntime().halt(0);
    });
  }

  /** Gateway {@code index}'s radio: aa:00:00:00:00:0N. */
  static Mac radioMac(int index) {
    return Mac.ofLong(0xaa_00_00_00_00_00L | index);
  }

  /**
   * Shorter failure detection and SBR than shipped, but more patient than MeshTestConfig: these JVMs
   * were seen starved for 2-3.5 s on the shared 2-core machine, and a freshly restarted gateway was
   * then marked unreachable and downed with a 3 s pause and a 3 s stable-after. Listed in docs/reliability.md.
   */
  static Config config(int port, int seedPort, boolean testMode) {
    return ConfigFactory.parseString(String.join("\n",
            "akka.remote.artery.canonical.hostname = \"127.0.0.1\"",
            "akka.remote.artery.canonical.port = " + port,
            "akka.remote.artery.advanced.test-mode = " + (testMode ? "on" : "off"),
            "akka.cluster.seed-nodes = [\"akka://nowmesh@127.0.0.1:" + seedPort + "\"]",
            "akka.cluster.jmx.enabled = off",
            // start-up steps that time out after 3-5 s by default did so with the machine starved
            "akka.logger-startup-timeout = 30s",
            "akka.remote.artery.bind.bind-timeout = 30s",
            "akka.cluster.gossip-interval = 200ms",
            "akka.cluster.leader-actions-interval = 200ms",
            "akka.cluster.unreachable-nodes-reaper-interval = 250ms",
            "akka.cluster.failure-detector.heartbeat-interval = 500ms",
            "akka.cluster.failure-detector.acceptable-heartbeat-pause = 5s",
            "akka.cluster.failure-detector.expected-response-after = 500ms",
            "akka.cluster.split-brain-resolver.stable-after = 5s",
            "akka.cluster.split-brain-resolver.down-all-when-unstable = off",
            "akka.cluster.distributed-data.gossip-interval = 200ms",
            "akka.cluster.distributed-data.notify-subscribers-interval = 50ms",
            "akka.cluster.typed.receptionist.distributed-data.gossip-interval = 200ms",
            "akka.cluster.typed.receptionist.distributed-data.notify-subscribers-interval = 50ms",
            "akka.loglevel = INFO",
            "nowmesh.mesh.attach-local-devices = off",
            "nowmesh.mesh.attempt-timeout = 2s",
            "nowmesh.mesh.e2e-ack-timeout = 1s",
            "nowmesh.mesh.e2e-ack-retries = 1",
            "nowmesh.mesh.sighting-refresh = 1s"))
        .withFallback(ConfigFactory.load());
  }

  public static void main(String[] args) throws Exception {
    protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    // Akka's default logger and logback's console appender write to System.out: keep the protocol clean
    System.setOut(System.err);
    GatewayProcessMain p;
    try {
      p = new GatewayProcessMain(Integer.parseInt(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]),
          Boolean.parseBoolean(args[3]));
    } catch (Exception e) {
      e.printStackTrace();
      say("ERROR start " + e);
      Runtime.getRuntime().halt(1); // a half-started ActorSystem keeps non-daemon threads alive
      return;
    }
    say("STARTED " + p.radio.mac());
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String[] a = line.trim().split("\\s+");
      if (a[0].equals("QUIT")) {
        break;
      }
      try {
        p.handle(a);
      } catch (Exception e) {
        e.printStackTrace();
        say((a.length > 1 && a[1].startsWith("#") ? a[1] + " ERROR " : "ERROR ") + line + ": " + e);
      }
    }
    Runtime.getRuntime().halt(0); // stdin closed (the driver died) or QUIT: no graceful leave needed
  }

  private void handle(String[] a) {
    switch (a[0]) {
      case "BCAST" -> {
        Mac node = Mac.parse(a[1]);
        long id = Long.parseLong(a[2]);
        air.transmit(node, Mac.BROADCAST, EnvelopeCodec.encode(
            Envelope.data(node, id, Mac.BROADCAST, 3, false, ("b" + id).getBytes(StandardCharsets.UTF_8))));
      }
      case "UNI" -> unicast(Long.parseLong(a[1]), Mac.parse(a[2]));
      case "NODE" -> {
        TestNode n = new TestNode(air, Mac.parse(a[2]));
        air.link(n.mac(), radio.mac(), Integer.parseInt(a[3]));
        say(a[1] + " OK");
      }
      case "SUB" -> {
        subscribe();
        say(a[1] + " OK");
      }
      case "STATUS" -> status(a[1]);
      case "ROUTES" -> mesh.routes(Mac.parse(a[2])).whenComplete((routes, e) -> say(a[1] + " " + (e != null
          ? "ERROR " + e : routes.isEmpty() ? "-"
          : routes.stream().map(Route::radio).map(Mac::toString).collect(Collectors.joining(",")))));
      case "BLACKHOLE" -> throttle(a[1], Integer.parseInt(a[2]), ThrottlerTransportAdapter.blackholeThrottleMode());
      case "HEAL" -> throttle(a[1], Integer.parseInt(a[2]), ThrottlerTransportAdapter.unthrottledThrottleMode());
      default -> say((a.length > 1 ? a[1] + " " : "") + "ERROR unknown command " + a[0]);
    }
  }

  /** One END_TO_END send; a fresh reply actor per send reports every reply it gets (a second one would be a bug). */
  private void unicast(long seq, Mac node) {
    long start = System.nanoTime();
    ActorRef<Object> replies = system.systemActorOf(Behaviors.setup(ctx -> {
      // outlives any deadline of the test, so a late or second reply is still seen
      ctx.scheduleOnce(Duration.ofSeconds(60), ctx.getSelf(), "stop");
      return Behaviors.receive(Object.class)
          .onMessage(Outcome.class, o -> {
            say("OUT " + seq + " " + describe(o) + " " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            return Behaviors.same();
          })
          .onMessageEquals("stop", Behaviors::stopped)
          .build();
    }), "unicast-" + seq, Props.empty());
    mesh.node(node).tell(new NodeActor.Send(("u" + seq).getBytes(StandardCharsets.UTF_8),
        NodeActor.Delivery.END_TO_END, replies.narrow()));
  }

  private static String describe(Outcome o) {
    if (o instanceof Outcome.Delivered d) {
      return "Delivered " + d.via();
    } else if (o instanceof Outcome.Answered a) {
      return "Answered " + a.via();
    } else if (o instanceof Outcome.Failed f) {
      return "Failed " + f.error();
    }
    return o.getClass().getSimpleName() + " -"; // NotAcknowledged, NoRoute

  }

  private void subscribe() {
    ActorRef<MeshMessage> sub = system.systemActorOf(Behaviors.receive(MeshMessage.class)
        .onMessage(MeshMessage.FromNode.class, m -> {
          say("RX " + m.origin() + " " + m.messageId());
          return Behaviors.same();
        })
        .onMessage(MeshMessage.Raw.class, m -> {
          say("RAW " + m.source());
          return Behaviors.same();
        })
        .build(), "process-subscriber", Props.empty());
    mesh.subscribe(sub);
  }

  private void status(String tok) {
    int up = (int) StreamSupport.stream(Cluster.get(system).state().getMembers().spliterator(), false)
        .filter(m -> m.status() == MemberStatus.up()).count();
    int unreachable = Cluster.get(system).state().getUnreachable().size();
    mesh.liveGateways().thenCombine(mesh.frameTopicPeers(), (live, peers) -> live + " " + peers)
        .whenComplete((s, e) -> say(tok + " " + (e != null ? "ERROR " + e : up + " " + s + " " + unreachable)));
  }

  /** Artery test mode: drops everything to and from that gateway (both directions) or lets it through again. */
  private void throttle(String tok, int port, ThrottlerTransportAdapter.ThrottleMode mode) {
    Address other = new Address("akka", "nowmesh", "127.0.0.1", port);
    system.log().warn("Artery test mode: {} to and from {}", mode, other); // the log's time line of the partition
    RARP rarp = (RARP) RARP.get(Adapter.toClassic(system));
    scala.concurrent.Future<Object> done = rarp.provider().transport().managementCommand(
        new ThrottlerTransportAdapter.SetThrottle(other, ThrottlerTransportAdapter.bothDirection(), mode));
    scala.jdk.javaapi.FutureConverters.asJava(done).whenComplete((ok, e) -> say(tok + " " + (e != null ? "ERROR " + e : ok)));
  }

  /** Membership and reachability as this gateway sees them, for the driver's assertions and the log. */
  private void watchCluster() {
    ActorRef<Object> watcher = system.systemActorOf(Behaviors.receive(Object.class)
        .onMessage(ClusterEvent.MemberUp.class, e -> event("UP", e.member()))
        .onMessage(ClusterEvent.MemberDowned.class, e -> event("DOWNED", e.member()))
        .onMessage(ClusterEvent.MemberRemoved.class, e -> event("REMOVED", e.member()))
        .onMessage(ClusterEvent.UnreachableMember.class, e -> event("UNREACHABLE", e.member()))
        .onMessage(ClusterEvent.ReachableMember.class, e -> event("REACHABLE", e.member()))
        .onAnyMessage(e -> Behaviors.same())
        .build(), "process-cluster-watcher", Props.empty());
    Cluster.get(system).subscriptions().tell(Subscribe.create(watcher.narrow(), ClusterEvent.MemberEvent.class));
    Cluster.get(system).subscriptions().tell(Subscribe.create(watcher.narrow(), ClusterEvent.ReachabilityEvent.class));
  }

  private static akka.actor.typed.Behavior<Object> event(String kind, Member m) {
    say("EVENT " + kind + " " + m.address().port().get());
    return Behaviors.same();
  }

  static synchronized void say(String s) {
    protocol.println("@" + s);
  }
}
