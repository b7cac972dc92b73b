package io.nowmesh.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.actors.sim.SimulatedAir;
import io.nowmesh.examples.cluster.LocalMesh;
import io.nowmesh.examples.sim.AirRadioPort;
import io.nowmesh.examples.sim.LeafNode;
import io.nowmesh.mesh.Group;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * send, ping and listen against a real (one-gateway) mesh in this JVM: a gateway with a radio on a
 * simulated air and two leaf nodes, one of them in group "sensors". The CLI joins as a client.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClientCommandsTest {
  static final Duration WAIT = Duration.ofSeconds(30);
  static final SimulatedAir air = new SimulatedAir();
  static final Mac RADIO = Mac.parse("30:ae:a4:00:00:01");
  static final Mac NODE = Mac.parse("24:0a:c4:00:02:01");
  static final Mac MEMBER = Mac.parse("24:0a:c4:00:02:02");
  static final List<String> nodeGot = new CopyOnWriteArrayList<>();
  static LocalMesh mesh;
  static AirRadioPort radio;
  static LeafNode node;
  static LeafNode member;
  static String seed;

  @BeforeAll
  static void startMesh() throws Exception {
    mesh = LocalMesh.start(1);
    radio = new AirRadioPort(air, RADIO, 0, 0, 1);
    mesh.mesh(0).attach(radio);
    node = new LeafNode(air, NODE, 10, 0, 1).via(RADIO)
        .onMessage(d -> nodeGot.add(new String(d.payload(), StandardCharsets.UTF_8)))
        .onRequest((origin, p) -> ("pong:" + new String(p, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
    member = new LeafNode(air, MEMBER, 0, 10, 1).via(RADIO);
    member.join(new Group(1)); // "sensors" in reference.conf
    mesh.awaitReady(WAIT);
    node.broadcast("hello".getBytes(StandardCharsets.UTF_8)); // the gateway learns a route
    TestProbe<Object> probe = TestProbe.create(mesh.system(0));
    probe.awaitAssert(WAIT, () -> {
      assertEquals(1, mesh.mesh(0).routes(NODE).toCompletableFuture().get(3, TimeUnit.SECONDS).size());
      return null;
    });
    seed = mesh.hostPort(0);
  }

  @AfterAll
  static void stop() {
    node.close();
    member.close();
    mesh.close();
  }

  @Test
  void sendDeliversToTheNodeAndSaysThroughWhichRadio() {
    CliRun run = CliRun.of("send", "--seed", seed, "--to", NODE.toString(), "hi from the shell");
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("delivered to " + NODE + " via radio " + RADIO + " (end-to-end ack)"), run.out());
    assertTrue(nodeGot.contains("hi from the shell"), nodeGot.toString());
  }

  @Test
  void sendToANodeNobodyHearsSaysNoRouteAndExitsOne() {
    CliRun run = CliRun.of("send", "--seed", seed, "--to", "24:0a:c4:00:02:99", "anyone?");
    assertEquals(1, run.exitCode(), run.out() + run.err());
    assertTrue(run.out().contains("no route to 24:0a:c4:00:02:99"), run.out());
  }

  @Test
  void pingGetsEveryAnswerBack() {
    CliRun run = CliRun.of("ping", "--seed", seed, "--to", NODE.toString(), "--count", "2");
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("reply 1 from " + NODE + " via radio " + RADIO), run.out());
    assertTrue(run.out().contains("2 requests, 2 answered"), run.out());
  }

  @Test
  void listenPrintsAGroupMessageOnceAndStopsAtCount() throws Exception {
    CommandLine cl = NowMeshCli.commandLine();
    ListenCommand listen = (ListenCommand) cl.getSubcommands().get("listen").getCommand();
    CompletableFuture<CliRun> running = CompletableFuture.supplyAsync(
        () -> CliRun.run(cl, "listen", "--seed", seed, "--group", "sensors", "--count", "1", "--duration", "60s"));
    listen.listening.get(60, TimeUnit.SECONDS);
    // the gateway must know the client's topic instance before it can hand it frames
    TestProbe<Object> probe = TestProbe.create(mesh.system(0));
    probe.awaitAssert(WAIT, () -> {
      assertEquals(2, mesh.mesh(0).frameTopicPeers().toCompletableFuture().get(3, TimeUnit.SECONDS));
      return null;
    });
    member.sendToGroup(new Group(1), "21.5C".getBytes(StandardCharsets.UTF_8));
    CliRun run = running.get(60, TimeUnit.SECONDS);
    assertEquals(0, run.exitCode(), run.err());
    List<String> lines = run.out().lines().filter(l -> l.contains("\"21.5C\"")).toList();
    assertEquals(1, lines.size(), run.out());
    assertTrue(lines.get(0).contains(MEMBER + " -> group 1"), lines.get(0));
  }
}
