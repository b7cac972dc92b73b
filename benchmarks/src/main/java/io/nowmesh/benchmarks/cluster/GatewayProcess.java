package io.nowmesh.benchmarks.cluster;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.mesh.Mesh;
import io.nowmesh.mesh.MeshMessage;
import io.nowmesh.mesh.Outcome;
import io.nowmesh.mesh.routing.NodeActor;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;

/**
 * One gateway host in its own JVM, driven line by line over stdin by {@link GatewayHandle}; answers
 * are stdout lines starting with '@' (logs go to stderr). {@code --mode mesh} runs a NowMesh gateway
 * (ActorSystem "nowmesh" on 127.0.0.1) with one {@link BenchRadio}; {@code --mode mqtt} is the
 * baseline gateway that relays what its radio hears through a Mosquitto broker instead.
 */
public final class GatewayProcess {
  /** Per-source rate limit of the benchmark gateways (frames/s and burst), stated in the results. */
  public static final int RATE_LIMIT = 1_000_000;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "bench-timer");
    t.setDaemon(true);
    return t;
  });
  private final LatencyRecorder recorder = new LatencyRecorder();
  private final BenchRadio radio;
  private final ActorSystem<Void> system;
  private final Mesh mesh;
  private final MqttGateway mqtt;
  /** Messages generated so far over all loads: message ids must never repeat, or dedup drops them. */
  private long generated;

  private GatewayProcess(String mode, int port, int seed, int radioIndex, int mqttPort) throws Exception {
    radio = new BenchRadio(Mac.ofLong(0x02_47_57_00_00_00L | radioIndex));
    if (mode.equals("mesh")) {
      Config cfg = ConfigFactory.parseString(
              "akka.remote.artery.canonical.hostname = \"127.0.0.1\"\n"
                  + "akka.remote.artery.canonical.port = " + port + "\n"
                  + "akka.cluster.seed-nodes = [\"akka://nowmesh@127.0.0.1:" + seed + "\"]\n"
                  + "akka.loglevel = WARNING\n"
                  // harness robustness only (not failure detection): binding the port can take longer
                  // than the default 3 s when several JVMs boot at once on a loaded 2-core machine
                  + "akka.remote.artery.bind.bind-timeout = 30s\n"
                  // likewise the waits for an extension (serialization) that another thread initialises
                  // and for the logger to start
                  + "akka.actor.creation-timeout = 90s\nakka.logger-startup-timeout = 60s\n"
                  // the hostile-air guard's per-source limit (20/s shipped) would cap 50 simulated nodes at
                  // ~1,000 msg/s in all: raised so that the benchmark measures the mesh, not the guard
                  + "nowmesh.mesh.rate-limit.per-second = " + RATE_LIMIT + "\n"
                  + "nowmesh.mesh.rate-limit.burst = " + RATE_LIMIT + "\n")
          .withFallback(ConfigFactory.load());
      system = ActorSystem.create(Behaviors.empty(), "nowmesh", cfg);
      mesh = Mesh.get(system);
      mesh.attach(radio);
      mqtt = null;
    } else {
      system = null;
      mesh = null;
      mqtt = new MqttGateway(mqttPort, "gw" + radioIndex, recorder);
    }
  }

  public static void main(String[] args) throws Exception {
    String mode = option(args, "--mode", "mesh");
    GatewayProcess p;
    try {
      p = new GatewayProcess(mode, Integer.parseInt(option(args, "--port", "0")),
          Integer.parseInt(option(args, "--seed", "0")), Integer.parseInt(option(args, "--radio", "1")),
          Integer.parseInt(option(args, "--mqtt-port", "0")));
    } catch (Exception e) {
      // an ActorSystem half started keeps non-daemon threads alive: exit for sure
      e.printStackTrace();
      say("ERROR start " + e);
      Runtime.getRuntime().halt(1);
      return;
    }
    say("STARTED " + p.radio.mac());
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String[] a = line.trim().split("\\s+");
      try {
        if (!p.handle(a)) {
          break;
        }
      } catch (Exception e) {
        say("ERROR " + a[0] + " " + e);
      }
    }
    Runtime.getRuntime().halt(0); // the driver closed stdin or said QUIT: no graceful leave needed
  }

  private boolean handle(String[] a) throws Exception {
    switch (a[0]) {
      case "READY" -> awaitReady(Integer.parseInt(a[1]), Long.parseLong(a[2]));
      case "SUB" -> {
        subscribe();
        say("SUBBED");
      }
      case "LOAD" -> load(Integer.parseInt(a[1]), Long.parseLong(a[2]), Integer.parseInt(a[3]));
      case "COUNT" -> say("COUNT " + recorder.count());
      case "HIST" -> say("HIST " + recorder.snapshotAndReset());
      case "HEAR" -> {
        Mac node = Mac.parse(a[1]);
        int rssi = Integer.parseInt(a[2]);
        timer.scheduleAtFixedRate(() -> radio.hear(node, radio.mac(), rssi, new byte[] {1, 2, 3, 4}), 0,
            Long.parseLong(a[3]), TimeUnit.MILLISECONDS);
        say("HEARING");
      }
      case "UNICAST" -> {
        Mac node = Mac.parse(a[1]);
        timer.scheduleAtFixedRate(() -> unicast(node), 0, Long.parseLong(a[2]), TimeUnit.MILLISECONDS);
        say("SENDING");
      }
      case "ROUTES" -> {
        var routes = mesh.routes(Mac.parse(a[1])).toCompletableFuture().get(5, TimeUnit.SECONDS);
        // "ROUTES <count> <radio,radio,...>": which gateways' radios the node is routed through
        say("ROUTES " + routes.size() + " " + routes.stream().map(r -> r.radio().toString())
            .collect(java.util.stream.Collectors.joining(",", "[", "]")));
      }
      // "MEMBERS <up> <all> <unreachable>"
      case "MEMBERS" -> say("MEMBERS " + upMembers() + " " + Cluster.get(system).state().members().size() + " "
          + Cluster.get(system).state().getUnreachable().size());
      case "QUIT" -> {
        return false;
      }
      default -> say("ERROR unknown command " + a[0]);
    }
    return true;
  }

  /** Waits until this gateway sees {@code n} gateways Up and routable, and the frames topic reaches them. */
  private void awaitReady(int n, long timeoutMs) throws Exception {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (mesh != null) {
      if (upMembers() >= n
          && mesh.liveGateways().toCompletableFuture().get(5, TimeUnit.SECONDS) >= n
          && mesh.frameTopicPeers().toCompletableFuture().get(5, TimeUnit.SECONDS) >= n - 1) {
        break;
      }
      if (System.currentTimeMillis() > deadline) {
        say("ERROR not ready: up=" + upMembers());
        return;
      }
      Thread.sleep(100); // a harness poll, not a test
    }
    say("READY");
  }

  private int upMembers() {
    return (int) StreamSupport.stream(Cluster.get(system).state().getMembers().spliterator(), false)
        .filter(m -> m.status() == MemberStatus.up()).count();
  }

  private void subscribe() throws Exception {
    if (mqtt != null) {
      mqtt.subscribe();
      return;
    }
    ActorRef<MeshMessage> sub = system.systemActorOf(Behaviors.receive(MeshMessage.class)
        .onMessage(MeshMessage.FromNode.class, m -> {
          recorder.record(Payloads.sentNanos(m.payload(), 0));
          return Behaviors.same();
        })
        .build(), "bench-subscriber", Props.empty());
    mesh.subscribe(sub);
  }

  /**
   * Open-loop load: message i is due at start + i/rate and stamped with that intended time, so a
   * stalled generator shows up as latency instead of hiding it (no coordinated omission).
   * {@code rate == 0}: as fast as this thread can produce, stamped when produced.
   */
  private void load(int rate, long count, int nodes) throws Exception {
    long start = System.nanoTime();
    double period = rate > 0 ? 1e9 / rate : 0;
    long i = 0;
    while (i < count) {
      long now = System.nanoTime();
      while (i < count && (rate == 0 || start + (long) (i * period) <= now)) {
        long stamp = rate == 0 ? System.nanoTime() : start + (long) (i * period);
        long g = generated++;
        Mac node = Payloads.node((int) (g % nodes));
        byte[] frame = Payloads.broadcast(node, g / nodes + 1, stamp, g);
        if (mqtt != null) {
          mqtt.publish(frame);
        } else {
          radio.hear(node, Mac.BROADCAST, -50, frame);
        }
        i++;
      }
      if (i < count) {
        long next = start + (long) (i * period);
        java.util.concurrent.locks.LockSupport.parkNanos(Math.max(10_000, Math.min(next - System.nanoTime(), 200_000)));
      }
    }
    say("SENT " + count + " " + start + " " + System.nanoTime());
  }

  private void unicast(Mac node) {
    mesh.send(node, new byte[] {42}, NodeActor.Delivery.MAC_ACK).whenComplete((o, e) -> {
      long at = System.nanoTime();
      if (o instanceof Outcome.Delivered d) {
        say("OUT DELIVERED " + d.via() + " " + at);
      } else {
        say("OUT " + (o == null ? "ERROR" : o.getClass().getSimpleName()) + " - " + at);
      }
    });
  }

  static synchronized void say(String s) {
    System.out.println("@" + s);
    System.out.flush();
  }

  private static String option(String[] args, String name, String dflt) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return dflt;
  }
}
