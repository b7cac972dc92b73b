package io.nowmesh.mesh.multiprocess;

import static io.nowmesh.mesh.multiprocess.LoadChecks.RADIO_2;
import static io.nowmesh.mesh.multiprocess.LoadChecks.VICTIM_ONLY;
import static io.nowmesh.mesh.multiprocess.LoadChecks.count;
import static io.nowmesh.mesh.multiprocess.LoadChecks.deliveredVia;
import static io.nowmesh.mesh.multiprocess.LoadChecks.failedTyped;

import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three gateways as separate JVMs on 127.0.0.1 ({@link ProcessMesh}); gateway 3 is SIGKILLed under
 * load (no leave, like a host losing power) and restarted on its port, as systemd would. Proves: no
 * application subscriber on any gateway receives a broadcast twice; every unicast from gateway 1
 * gets exactly one typed outcome within its deadline (none missing, none double); the shared nodes
 * stay reachable through gateway 2; the victim's own nodes get typed failures while it is down and
 * are delivered again once it is back, and its new subscriber receives broadcasts again.
 */
class GatewayKillUnderLoadTest {
  private ProcessMesh mesh;

  @AfterEach
  void stopProcesses() throws InterruptedException {
    if (mesh != null) {
      System.out.println("GatewayKillUnderLoadTest: " + mesh.ledger.summary() + "; logs in " + mesh.logDir());
      mesh.close();
    }
  }

  @Test
  void aGatewayKilledUnderLoadAndRestartedLosesNoOutcomeAndDuplicatesNoBroadcast() throws Exception {
    mesh = new ProcessMesh("kill", false);
    mesh.start();
    LoadChecks.awaitVictimCarriesTraffic(mesh);

    long killed = mesh.lastSeq();
    mesh.kill(3);
    Ledger l = mesh.ledger;
    // the outage as gateway 1's application sees it: typed failures for V1/V2, S1/S2 through gateway 2
    ProcessMesh.awaitTrue(ProcessMesh.WAIT, "typed failures for V1/V2 and S1/S2 delivered through gateway 2",
        () -> count(l, killed, VICTIM_ONLY, u -> failedTyped(u)) >= 5
            && count(l, killed, Set.of("S1", "S2"), u -> deliveredVia(u, RADIO_2)) >= 5, l::summary);

    mesh.launch(3);
    LoadChecks.Back back = LoadChecks.awaitVictimBack(mesh);
    LoadChecks.stopAndCheckInvariants(mesh, back);
  }
}
