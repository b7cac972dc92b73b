package io.nowmesh.examples.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorSystem;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
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
  void logsTheSimulatedRadioFoundLostAndBackAndStopsCleanly() throws Exception {
    Path conf = dir.resolve("gateway.conf");
    Files.writeString(conf, String.join("\n",
        "nowmesh.gateway {",
        "  bind { host = \"127.0.0.1\", port = 0 }",
        "  radios { auto-detect = off }",
        "}",
        "akka.cluster.jmx.enabled = off",
        "nowmesh.device.manager.rescan-interval = 200ms",
        "nowmesh.device.reconnect.min-backoff = 50ms",
        "nowmesh.device.reconnect.max-backoff = 200ms"));
    Logger watcherLog = (Logger) LoggerFactory.getLogger("io.nowmesh");
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
      assertTrue(lines(logged).contains("radio " + mac + " found on simulated radio (channel 1, fw 'nowmesh-sim 0.1.0')"),
          lines(logged).toString());
      assertEquals(1, Mesh.get(system).liveGateways().toCompletableFuture().get(3, TimeUnit.SECONDS));
      return null;
    });

    gateway.site.unplug(true);
    probe.awaitAssert(WAIT, () -> {
      assertTrue(lines(logged).stream().anyMatch(l -> l.startsWith("radio " + mac + " disappeared from simulated radio")),
          lines(logged).toString());
      return null;
    });
    gateway.site.unplug(false);
    probe.awaitAssert(WAIT, () -> {
      assertTrue(lines(logged).contains("radio " + mac + " is back, now on simulated radio"), lines(logged).toString());
      return null;
    });

    stop.complete(null);
    assertEquals(0, exit.get(60, TimeUnit.SECONDS), err.toString());
    assertTrue(system.getWhenTerminated().toCompletableFuture().isDone());
    watcherLog.detachAppender(logged);
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void withoutRadiosItSaysSoAndStillJoinsTheMesh() throws Exception {
    Path conf = dir.resolve("no-radios.conf");
    Files.writeString(conf, String.join("\n",
        "nowmesh.gateway { bind { host = \"127.0.0.1\", port = 0 }, radios { auto-detect = off } }",
        "akka.cluster.jmx.enabled = off"));
    Logger log = (Logger) LoggerFactory.getLogger(GatewayCommand.class);
    log.setLevel(Level.INFO);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    log.addAppender(logged);
    CommandLine cl = NowMeshCli.commandLine();
    GatewayCommand gateway = (GatewayCommand) cl.getSubcommands().get("gateway").getCommand();
    CompletableFuture<Void> stop = new CompletableFuture<>();
    gateway.stop = stop;
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cl.execute("gateway", "--config", conf.toString()));
    ActorSystem<Void> system = gateway.started.get(60, TimeUnit.SECONDS);
    TestProbe<Object> probe = TestProbe.create(system);
    probe.awaitAssert(WAIT, () -> {
      assertTrue(lines(logged).stream().anyMatch(l -> l.startsWith("No radio found (configured ports: none; "
          + "auto-detect off). This gateway is in the mesh without radios")), lines(logged).toString());
      assertTrue(lines(logged).stream().anyMatch(l -> l.startsWith("Joined the mesh as akka://nowmesh@127.0.0.1:")),
          lines(logged).toString());
      return null;
    });
    stop.complete(null);
    assertEquals(0, exit.get(60, TimeUnit.SECONDS));
    log.detachAppender(logged);
  }

  @Test
  void theShippedExampleConfigIsValid() {
    GatewaySettings s = GatewaySettings.load(Path.of("config/gateway.conf"));
    assertEquals("127.0.0.1", s.host());
    assertEquals(25520, s.port());
    assertEquals(List.of("127.0.0.1:25520"), s.seeds());
    assertEquals(List.of(), s.ports());
    assertTrue(s.autoDetect());
    assertEquals(921600, s.baud());
    assertEquals("cluster", s.full().getString("akka.actor.provider"));
    assertEquals(List.of("gateway"), s.full().getStringList("akka.cluster.roles"));
    assertEquals(921600, s.full().getInt("nowmesh.device.manager.baud-rate"));
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

    Files.writeString(conf, "nowmesh.mesh.tls { enabled = on, key-store = \"/nonexistent/gw.p12\" }\n");
    StringWriter tls = new StringWriter();
    cl.setErr(new PrintWriter(tls, true));
    assertEquals(2, cl.execute("gateway", "--config", conf.toString()));
    assertEquals(1, tls.toString().lines().count(), tls.toString());
    assertTrue(tls.toString().contains("nowmesh.mesh.tls"), tls.toString());

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
