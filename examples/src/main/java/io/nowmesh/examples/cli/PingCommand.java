package io.nowmesh.examples.cli;

import ch.qos.logback.classic.Level;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.examples.cluster.MeshClient;
import io.nowmesh.mesh.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code nowmesh ping}: request/response round trips to a node through the mesh. */
@Command(name = "ping", mixinStandardHelpOptions = true,
    header = "Request/response round trips to a node through the mesh.",
    description = {"Sends REQUEST envelopes to a node through a running mesh and prints each answer",
        "with its round-trip time and the gateway radio it came through. The node must run the NowMesh",
        "leaf library (it answers requests)."},
    footer = {"", "Example:", "  nowmesh ping --to 24:0a:c4:00:01:03 --count 5"})
public final class PingCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin ClientOptions client;

  @Option(names = "--to", required = true, paramLabel = "MAC", converter = MacConverter.class,
      description = "The node's MAC.")
  Mac node;

  @Option(names = "--count", defaultValue = "3", description = "How many requests. Default: ${DEFAULT-VALUE}.")
  int count;

  @Override
  public Integer call() throws Exception {
    if (count < 1 || count > 1000) {
      throw new NowMeshCli.UsageError("--count must be 1..1000, got " + count);
    }
    client.checkedSeeds();
    Quiet.logsAtLeast(Level.ERROR);
    var out = spec.commandLine().getOut();
    int answered = 0;
    try (MeshClient mesh = client.join()) {
      mesh.awaitRoutes(node, Duration.ofSeconds(5));
      for (int i = 1; i <= count; i++) {
        long start = System.nanoTime();
        Outcome o = mesh.mesh().request(node, ("ping " + i).getBytes(StandardCharsets.UTF_8))
            .toCompletableFuture().get(60, TimeUnit.SECONDS);
        double ms = (System.nanoTime() - start) / 1e6;
        if (o instanceof Outcome.Answered a) {
          answered++;
          out.printf("reply %d from %s via radio %s: time=%.1f ms%n", i, node, a.via(), ms);
        } else {
          SendCommand.report(out, node, o, ms);
        }
      }
      out.printf("%d requests, %d answered%n", count, answered);
      out.flush();
    }
    return answered > 0 ? 0 : NowMeshCli.EXIT_FAILURE;
  }
}
