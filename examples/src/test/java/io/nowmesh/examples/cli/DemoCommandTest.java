package io.nowmesh.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowmesh.examples.demo.DemoSummary;
import io.nowmesh.examples.demo.Flow;
import io.nowmesh.examples.demo.FlowStats;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

class DemoCommandTest {

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void shortDemoRunsToItsSummaryWithEveryKindDeliveredExactlyOnce() {
    CommandLine cl = NowMeshCli.commandLine();
    CliRun run = CliRun.run(cl, "demo", "--duration", "4s", "--no-ansi");
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("NowMesh demo summary"), run.out());
    assertFalse(run.out().contains("\u001b["), "no ANSI escapes with --no-ansi");
    DemoSummary s = ((DemoCommand) cl.getSubcommands().get("demo").getCommand()).summary;
    assertNotNull(s);
    assertFalse(s.interrupted());
    assertEquals(3, s.gateways());
    assertEquals(12, s.nodes());
    assertTrue(s.heardByTwo() > 0, "some nodes are heard by two gateways");
    assertTrue(s.heardByOne() > 0, "some nodes are heard by one gateway only");
    for (Flow.Kind kind : Flow.Kind.values()) {
      assertTrue(s.delivered(kind) > 0, kind + " deliveries");
    }
    for (FlowStats f : s.flows()) {
      assertTrue(f.sent() > 0, f.flow() + " sent");
      assertEquals(0, f.duplicates(), f.flow() + " duplicates");
      assertEquals(0, f.leaks(), f.flow() + " deliveries to non-members");
    }
    // paths without timeouts in them: everything sent arrives at every intended receiver, once
    for (Flow f : new Flow[] {Flow.UNICAST_UP, Flow.BROADCAST_UP, Flow.BROADCAST_DOWN, Flow.MULTICAST_DOWN,
        Flow.MULTICAST_UP}) {
      assertTrue(s.flow(f).exactlyOnce(), f + " exactly once: " + s.flow(f));
    }
    FlowStats down = s.flow(Flow.UNICAST_DOWN);
    assertTrue(down.delivered() > 0, "acknowledged unicasts delivered");
    // one outcome each; an end-to-end ack that was late on a loaded machine makes a delivered message "failed" too
    assertTrue(down.delivered() <= down.sent() && down.delivered() + down.failed() >= down.sent(), down.toString());
  }

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void gatewaysOnTheAirDirectlyGiveTheSameGuarantees() {
    CommandLine cl = NowMeshCli.commandLine();
    CliRun run = CliRun.run(cl, "demo", "--duration", "3s", "--no-ansi", "--radios", "air", "--nodes", "8");
    assertEquals(0, run.exitCode(), run.err());
    DemoSummary s = ((DemoCommand) cl.getSubcommands().get("demo").getCommand()).summary;
    assertEquals(8, s.nodes());
    assertEquals(0, s.duplicates());
    assertTrue(s.flow(Flow.BROADCAST_UP).exactlyOnce(), s.flow(Flow.BROADCAST_UP).toString());
    assertTrue(s.flow(Flow.MULTICAST_DOWN).exactlyOnce(), s.flow(Flow.MULTICAST_DOWN).toString());
  }

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void stopRequestEndsTheDemoEarlyWithASummaryAndExitZero() {
    CommandLine cl = NowMeshCli.commandLine();
    DemoCommand demo = (DemoCommand) cl.getSubcommands().get("demo").getCommand();
    demo.stop = CompletableFuture.completedFuture(null); // as if Ctrl-C came as soon as traffic started
    CliRun run = CliRun.run(cl, "demo", "--duration", "10m", "--no-ansi");
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(demo.summary.interrupted());
    assertTrue(run.out().contains("(stopped early)"), run.out());
  }

  @Test
  void refusesBadDemoOptionsWithOneLineAndExitTwo() {
    CliRun nodes = CliRun.of("demo", "--nodes", "2");
    assertEquals(2, nodes.exitCode());
    assertEquals(1, nodes.errLines(), nodes.err());
    assertTrue(nodes.err().contains("--nodes must be 4..60"), nodes.err());

    CliRun duration = CliRun.of("demo", "--duration", "soon");
    assertEquals(2, duration.exitCode());
    assertEquals(1, duration.errLines(), duration.err());
    assertTrue(duration.err().contains("a duration is a whole number"), duration.err());
  }
}
