package io.nowmesh.examples.cli;

import ch.qos.logback.classic.Level;
import com.typesafe.config.ConfigFactory;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.examples.cluster.MeshClient;
import io.nowmesh.mesh.Group;
import io.nowmesh.mesh.Outcome;
import io.nowmesh.mesh.routing.NodeActor;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code nowmesh send}: one message to a node, a group or everyone, through a running mesh. */
@Command(name = "send", mixinStandardHelpOptions = true,
    header = "Send a message to a node, a group or everyone.",
    description = {"Sends one message through a running mesh, joining it as a client (no radios).",
        "To a node (--to), the answer says whether it was delivered and through which gateway radio."},
    footer = {"", "Examples:",
        "  nowmesh send --to 24:0a:c4:00:01:03 \"hello\"",
        "  nowmesh send --seed 10.0.0.5:25520 --group lights --hex 01ff",
        "  nowmesh send --broadcast \"all nodes: report\""})
public final class SendCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin ClientOptions client;

  static final class Target {
    @Option(names = "--to", paramLabel = "MAC", converter = MacConverter.class, description = "A node's MAC.")
    Mac node;

    @Option(names = "--group", paramLabel = "NAME|NUMBER", description = "A multicast group.")
    String group;

    @Option(names = "--broadcast", description = "Every node the mesh's radios reach.")
    boolean broadcast;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Target target;

  @Option(names = "--ack", defaultValue = "e2e", paramLabel = "e2e|mac",
      description = "For --to: e2e waits for the node's application to acknowledge (nodes running the "
          + "NowMesh leaf library); mac accepts the radio-level ack. Default: ${DEFAULT-VALUE}.")
  String ack;

  @Option(names = "--raw", description = "For --to: send the bytes as a plain ESP-NOW payload (no envelope; "
      + "for nodes that do not speak the mesh envelope).")
  boolean raw;

  @Option(names = "--hex", description = "MESSAGE is hex digits, not text.")
  boolean hex;

  @Parameters(paramLabel = "MESSAGE", description = "The message (UTF-8 text, or hex with --hex).")
  String message;

  @Override
  public Integer call() throws Exception {
    NodeActor.Delivery delivery = switch (ack) {
      case "e2e" -> raw ? NodeActor.Delivery.RAW : NodeActor.Delivery.END_TO_END;
      case "mac" -> raw ? NodeActor.Delivery.RAW : NodeActor.Delivery.MAC_ACK;
      default -> throw new NowMeshCli.UsageError("--ack is e2e or mac, got '" + ack + "'");
    };
    if (raw && target.node == null) {
      throw new NowMeshCli.UsageError("--raw is for --to: groups and broadcasts travel in mesh envelopes");
    }
    byte[] payload = Payloads.of(message, hex, raw);
    Group group = target.group == null ? null
        : new Groups(ConfigFactory.load()).resolve(target.group);
    client.checkedSeeds();
    Quiet.logsAtLeast(Level.ERROR);
    var out = spec.commandLine().getOut();
    try (MeshClient mesh = client.join()) {
      if (group != null) {
        mesh.mesh().multicast(group, payload);
        out.printf("multicast to group %d (%s): %d bytes handed to the mesh%n", group.number(), group.mac(),
            payload.length);
        return 0;
      }
      if (target.broadcast) {
        mesh.mesh().broadcast(payload);
        out.printf("broadcast: %d bytes handed to the mesh%n", payload.length);
        return 0;
      }
      mesh.awaitRoutes(target.node, Duration.ofSeconds(5));
      long start = System.nanoTime();
      Outcome o = mesh.mesh().send(target.node, payload, delivery).toCompletableFuture().get(60, TimeUnit.SECONDS);
      double ms = (System.nanoTime() - start) / 1e6;
      return report(out, target.node, o, ms);
    }
  }

  static int report(java.io.PrintWriter out, Mac node, Outcome o, double ms) {
    if (o instanceof Outcome.Delivered d) {
      out.printf("delivered to %s via radio %s (%s) in %.1f ms%n", node, d.via(),
          d.endToEnd() ? "end-to-end ack" : "MAC-level ack", ms);
    } else if (o instanceof Outcome.Answered a) {
      out.printf("answered by %s via radio %s in %.1f ms: %s%n", node, a.via(), ms, Payloads.show(a.payload()));
    } else if (o instanceof Outcome.NoRoute) {
      out.printf("no route to %s: no live gateway has heard it recently%n", node);
    } else if (o instanceof Outcome.NotAcknowledged n) {
      out.printf("not acknowledged by %s: %s%n", node, n.detail());
    } else if (o instanceof Outcome.Failed f) {
      out.printf("failed: %s (%s)%n", f.error().label(), f.detail());
    }
    out.flush();
    return o instanceof Outcome.Delivered || o instanceof Outcome.Answered ? 0 : NowMeshCli.EXIT_FAILURE;
  }
}
