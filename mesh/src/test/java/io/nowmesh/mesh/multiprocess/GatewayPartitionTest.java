package io.nowmesh.mesh.multiprocess;

import static io.nowmesh.mesh.multiprocess.LoadChecks.VICTIM_ONLY;
import static io.nowmesh.mesh.multiprocess.LoadChecks.count;
import static io.nowmesh.mesh.multiprocess.LoadChecks.failedTyped;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three gateways as separate JVMs on 127.0.0.1 ({@link ProcessMesh}) with Artery's test mode on;
 * under load, every process blackholes the other side of {1,2} | {3} in both directions. Proves:
 * the Split Brain Resolver (keep-majority, as shipped; only stable-after and the failure detector
 * are shortened) downs gateway 3 on the majority side and gateway 3 downs itself (its ActorSystem
 * terminates and the process exits); meanwhile gateway 1's unicasts to a node only gateway 3 hears
 * end in a typed failure, never a hang. After the heal (blackholes lifted, gateway 3 restarted, as
 * an operator must: a downed member cannot rejoin) those unicasts are delivered again. Throughout,
 * no subscriber receives a message twice and every unicast gets exactly one outcome in time.
 */
class GatewayPartitionTest {
  private ProcessMesh mesh;

  @AfterEach
  void stopProcesses() throws InterruptedException {
    if (mesh != null) {
      System.out.println("GatewayPartitionTest: " + mesh.ledger.summary() + "; logs in " + mesh.logDir());
      mesh.close();
    }
  }

  @Test
  void aPartitionIsHealedBySplitBrainResolverAndARestartWithoutDuplicatesOrLostOutcomes() throws Exception {
    mesh = new ProcessMesh("partition", true);
    mesh.start();
    LoadChecks.awaitVictimCarriesTraffic(mesh);

    GatewayProc g1 = mesh.gateway(1);
    GatewayProc g2 = mesh.gateway(2);
    GatewayProc g3 = mesh.gateway(3);
    int p1 = mesh.port(1);
    int p2 = mesh.port(2);
    int p3 = mesh.port(3);
    mesh.faultStarts();
    assertEquals("true", g1.ask("BLACKHOLE", Integer.toString(p3), ProcessMesh.ASK), "Artery test mode on gateway 1");
    assertEquals("true", g2.ask("BLACKHOLE", Integer.toString(p3), ProcessMesh.ASK));
    assertEquals("true", g3.ask("BLACKHOLE", Integer.toString(p1), ProcessMesh.ASK));
    assertEquals("true", g3.ask("BLACKHOLE", Integer.toString(p2), ProcessMesh.ASK));
    mesh.faultComplete();
    long partitioned = mesh.lastSeq();

    // SBR: the majority downs and removes gateway 3; gateway 3, alone, downs itself and stops
    for (GatewayProc g : List.of(g1, g2)) {
      ProcessMesh.awaitTrue(ProcessMesh.WAIT, g.name + " saw gateway 3 downed and removed",
          () -> g.events().containsAll(List.of("DOWNED " + p3, "REMOVED " + p3)), () -> g.events().toString());
    }
    ProcessMesh.awaitTrue(ProcessMesh.WAIT, "gateway 3's ActorSystem terminated", () -> !g3.alive(),
        () -> g3.events().toString());
    assertEquals(0, g3.awaitExit(Duration.ofSeconds(5)), "gateway 3's exit code");
    assertTrue(g3.events().contains("TERMINATED"), "gateway 3 reported its termination: " + g3.events());
    String log3 = Files.readString(g3.log);
    assertTrue(log3.contains("SBR took decision DownReachable"), "gateway 3's SBR downed its own side; log " + g3.log);
    assertTrue(Files.readString(g1.log).contains("SBR took decision DownUnreachable")
        || Files.readString(g2.log).contains("SBR took decision DownUnreachable"), "the majority's SBR downed gateway 3");
    assertTrue(g1.alive() && g2.alive(), "the majority lives on");
    mesh.forget(3);

    // during the partition: V1/V2 (only gateway 3 hears them) get typed failures, not hangs
    Ledger l = mesh.ledger;
    ProcessMesh.awaitTrue(ProcessMesh.WAIT, "typed failures for V1/V2 during the partition",
        () -> count(l, partitioned, VICTIM_ONLY, u -> failedTyped(u)) >= 5, l::summary);
    long healed = mesh.lastSeq();
    assertEquals("true", g1.ask("HEAL", Integer.toString(p3), ProcessMesh.ASK));
    assertEquals("true", g2.ask("HEAL", Integer.toString(p3), ProcessMesh.ASK));
    mesh.launch(3);
    LoadChecks.Back back = LoadChecks.awaitVictimBack(mesh);
    LoadChecks.stopAndCheckInvariants(mesh, back);
    List<Ledger.Unicast> cut = l.unicasts(u -> u.seq > partitioned && u.seq <= healed && VICTIM_ONLY.contains(u.node));
    assertEquals(List.of(), cut.stream().filter(u -> !failedTyped(u)).map(u -> u.seq + " " + u.results).toList(),
        "unicasts to V1/V2 sent during the partition");
    assertTrue(cut.size() >= 5, "unicasts to V1/V2 during the partition: " + cut.size());
  }
}
