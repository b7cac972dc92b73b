package io.nowmesh.examples.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorSystem;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.nowmesh.actors.link.InMemoryTransport;
import io.nowmesh.examples.cli.NowMeshCli;
import io.nowmesh.mesh.Mesh;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

class GatewayCommandTest {
  static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void logsTheSimulatedRadioFoundLostAndReFoundAndStopsCleanly() throws Exception {
    Path conf = dir.resolve("gateway.conf");
    Files.writeString(conf, String.join("\n",
        "nowmesh.gateway {",
        "  bind { host = \"127.0.0.1\", port = 0 }",
        "  radios { auto-detect = off }",
        "}",
        "akka.cluster.jmx.enabled = off",
        "nowmesh.device.reconnect.min-backoff = 50ms",
        "nowmesh.device.reconnect.max-backoff = 200ms"));
    Logger watcherLog = (Logger) LoggerFactory.getLogger(RadioWatcher.class);
    watcherLog.setLevel(Level.INFO);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    watcherLog.addAppender(logged);

    CommandLine cl = NowMeshCli.commandLine();
    GatewayCommand gateway = (GatewayCommand) cl.getSubcommands().get("gateway").getCommand();
    CompletableFuture<Void> stop = new CompletableFuture<>();
    gateway.stop = stop;
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err, true));
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
        () -> cl.execute("gateway", "--config", conf.toString(), "--simulated-radio"));
    ActorSystem<Void> system = gateway.started.get(60, TimeUnit.SECONDS);
    TestProbe<Object> probe = TestProbe.create(system);
    String mac = gateway.site.radioMac().toString();

    probe.awaitAssert(WAIT, () -> {
      assertTrue(lines(logged).contains("Radio found: " + mac + " on simulated radio (firmware nowmesh-sim 0.1.0, "
          + "channel 1)"), lines(logged).toString());
      assertEquals(1, Mesh.get(system).liveGateways().toCompletableFuture().get(3, TimeUnit.SECONDS));
      return null;
    });

    InMemoryTransport host = (InMemoryTransport) gateway.site.transport();
    host.setUnplugged(true);
    host.fail("unplugged by the test");
    probe.awaitAssert(WAIT, () -> {
      assertTrue(lines(logged).stream().anyMatch(l -> l.startsWith("Radio lost: " + mac + " on simulated radio")),
          lines(logged).toString());
      return null;
    });
    host.setUnplugged(false);
    probe.awaitAssert(WAIT, () -> {
      assertTrue(lines(logged).stream().anyMatch(l -> l.startsWith("Radio re-found: " + mac + " on simulated radio")),
          lines(logged).toString());
      return null;
    });

    stop.complete(null);
    assertEquals(0, exit.get(60, TimeUnit.SECONDS), err.toString());
    assertTrue(system.getWhenTerminated().toCompletableFuture().isDone());
    watcherLog.detachAppender(logged);
  }

  @Test
  void aBadConfigIsOneLineNamingTheKeyAndExitTwo() throws Exception {
    Path conf = dir.resolve("bad.conf");
    Files.writeString(conf, "nowmesh.gateway.radios.baud = 12\n");
    StringWriter err = new StringWriter();
    CommandLine cl = NowMeshCli.commandLine();
    cl.setErr(new PrintWriter(err, true));
    assertEquals(2, cl.execute("gateway", "--config", conf.toString()));
    assertEquals(1, err.toString().lines().count(), err.toString());
    assertTrue(err.toString().contains("nowmesh.gateway.radios.baud must be 9600..5000000, got 12"), err.toString());

    Files.writeString(conf, "nowmesh.gateway.seeds = [\"10.0.0.1\"]\n");
    StringWriter err2 = new StringWriter();
    cl.setErr(new PrintWriter(err2, true));
    assertEquals(2, cl.execute("gateway", "--config", conf.toString()));
    assertTrue(err2.toString().contains("seeds entries are \"host:port\", got '10.0.0.1'"), err2.toString());

    Files.writeString(conf, "nowmesh.gateway { bind { port = \"eighty\" } }\n");
    StringWriter err3 = new StringWriter();
    cl.setErr(new PrintWriter(err3, true));
    assertEquals(2, cl.execute("gateway", "--config", conf.toString()));
    assertEquals(1, err3.toString().lines().count(), err3.toString());
    assertTrue(err3.toString().contains("port"), err3.toString());
  }

  private static List<String> lines(ListAppender<ILoggingEvent> a) {
    return List.copyOf(a.list).stream().map(ILoggingEvent::getFormattedMessage).toList();
  }
}
