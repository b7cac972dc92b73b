package io.nowmesh.examples.telemetry;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Behaviors;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.actors.sim.SimulatedAir;
import io.nowmesh.examples.cluster.LocalMesh;
import io.nowmesh.examples.sim.AirRadioPort;
import io.nowmesh.examples.sim.LeafNode;
import io.nowmesh.mesh.MeshMessage;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Telemetry from many nodes, aggregated cluster-wide by one application. Nodes sit around three
 * gateways (some between two, heard by both) and each sends readings (sequence number and a
 * temperature) to the mesh; the collector, one actor on gateway 1, keeps per-node count, min, max
 * and mean. The mesh delivers each reading once however many gateways heard it, so counts are exact.
 *
 * <p>Run: {@code ./nowmesh example telemetry}.
 */
public final class TelemetryCollector {
  private TelemetryCollector() {}

  /** One node's aggregate. */
  public record Summary(Mac node, int readings, double min, double max, double mean, int duplicates) {}

  public sealed interface Command {}

  private record Reading(MeshMessage message) implements Command {}

  public record Report(ActorRef<Map<Mac, Summary>> replyTo) implements Command {}

  /** The collector: subscribe it to the mesh, ask it for a report. */
  public static Behavior<Command> create() {
    return Behaviors.setup(ctx -> {
      Map<Mac, List<Double>> values = new TreeMap<>();
      Map<Mac, java.util.Set<Integer>> seqs = new TreeMap<>();
      Map<Mac, Integer> dups = new TreeMap<>();
      return Behaviors.receive(Command.class)
          .onMessage(Reading.class, r -> {
            if (r.message() instanceof MeshMessage.FromNode n && n.payload().length == 8) {
              ByteBuffer b = ByteBuffer.wrap(n.payload());
              int seq = b.getInt();
              double celsius = b.getInt() / 100.0;
              if (seqs.computeIfAbsent(n.origin(), k -> new java.util.HashSet<>()).add(seq)) {
                values.computeIfAbsent(n.origin(), k -> new ArrayList<>()).add(celsius);
              } else {
                dups.merge(n.origin(), 1, Integer::sum);
              }
            }
            return Behaviors.same();
          })
          .onMessage(Report.class, q -> {
            Map<Mac, Summary> out = new TreeMap<>();
            values.forEach((mac, v) -> out.put(mac, new Summary(mac, v.size(),
                v.stream().mapToDouble(d -> d).min().orElse(Double.NaN),
                v.stream().mapToDouble(d -> d).max().orElse(Double.NaN),
                v.stream().mapToDouble(d -> d).average().orElse(Double.NaN), dups.getOrDefault(mac, 0))));
            q.replyTo().tell(out);
            return Behaviors.same();
          })
          .build();
    });
  }

  /** The subscriber side of the collector (the mesh delivers {@link MeshMessage}s). */
  public static ActorRef<MeshMessage> asSubscriber(akka.actor.typed.ActorSystem<?> system, ActorRef<Command> c) {
    return system.systemActorOf(Behaviors.<MeshMessage>receiveMessage(m -> {
      c.tell(new Reading(m));
      return Behaviors.same();
    }), "telemetry-in", Props.empty());
  }

  public static void main(String[] args) throws Exception {
    Map<Mac, Summary> report = run(9, 5);
    System.out.println("node               readings   min °C   max °C  mean °C  duplicates");
    report.values().forEach(s -> System.out.printf("%s  %8d  %7.2f  %7.2f  %7.2f  %10d%n", s.node(), s.readings(),
        s.min(), s.max(), s.mean(), s.duplicates()));
  }

  /** {@code nodes} nodes each send {@code readings} readings; returns the collector's report. */
  public static Map<Mac, Summary> run(int nodes, int readings) throws Exception {
    SimulatedAir air = new SimulatedAir();
    try (LocalMesh mesh = LocalMesh.start(3)) {
      List<AirRadioPort> radios = new ArrayList<>();
      for (int g = 0; g < 3; g++) {
        AirRadioPort r = new AirRadioPort(air, Mac.ofLong(0x30_ae_a4_00_70_01L + g), g * 150, 0, 1);
        radios.add(r);
        mesh.mesh(g).attach(r);
      }
      ActorRef<Command> collector = mesh.system(0).systemActorOf(create(), "telemetry", Props.empty());
      mesh.mesh(0).subscribe(asSubscriber(mesh.system(0), collector));
      List<LeafNode> leaves = new ArrayList<>();
      for (int i = 0; i < nodes; i++) {
        // every third node half-way between two gateways: both hear it, the collector counts it once
        double x = i % 3 == 2 ? 75 + 150 * (i % 2) : (i % 3) * 150 + 10;
        leaves.add(new LeafNode(air, Mac.ofLong(0x24_0a_c4_00_70_00L + i + 1), x, 5, 1)
            .via(radios.get(Math.min(2, (int) Math.round(x / 150))).mac()));
      }
      mesh.awaitReady(Duration.ofSeconds(60));
      for (int k = 0; k < readings; k++) {
        for (int i = 0; i < leaves.size(); i++) {
          int centi = 2000 + 100 * i + 10 * k;
          byte[] reading = ByteBuffer.allocate(8).putInt(k).putInt(centi).array();
          if (i % 3 == 2) {
            leaves.get(i).broadcast(reading); // both gateways in range hear it; the collector counts it once
          } else {
            leaves.get(i).sendToMesh(reading, false);
          }
        }
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (true) {
        Map<Mac, Summary> report = ask(mesh, collector);
        boolean complete = report.size() == nodes && report.values().stream().allMatch(s -> s.readings() == readings);
        if (complete || System.nanoTime() > deadline) {
          leaves.forEach(LeafNode::close);
          return report;
        }
        TimeUnit.MILLISECONDS.sleep(100); // readings cross the cluster asynchronously
      }
    }
  }

  private static Map<Mac, Summary> ask(LocalMesh mesh, ActorRef<Command> collector) throws Exception {
    CompletableFuture<Map<Mac, Summary>> f = akka.actor.typed.javadsl.AskPattern.<Command, Map<Mac, Summary>>ask(
        collector, Report::new, Duration.ofSeconds(3), mesh.system(0).scheduler()).toCompletableFuture();
    return f.get(5, TimeUnit.SECONDS);
  }
}
