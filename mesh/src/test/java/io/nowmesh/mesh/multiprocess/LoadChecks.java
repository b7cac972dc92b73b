package io.nowmesh.mesh.multiprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowmesh.actors.espnow.Mac;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** The steps and invariants both multi-process tests share, over a {@link ProcessMesh} and its {@link Ledger}. */
final class LoadChecks {
  private LoadChecks() {}

  /**
   * The deadline for one unicast's outcome. By configuration the worst case is two routes x
   * (attempt-timeout 2 s + 2 x e2e-ack-timeout 1 s) = 8 s; the rest is room for a 2-core machine
   * shared with other builds (gateway JVMs were seen starved for several seconds). A hang exceeds it.
   */
  static final Duration UNICAST_DEADLINE = Duration.ofSeconds(20);

  static final Mac RADIO_2 = GatewayProcessMain.radioMac(2);
  static final Mac RADIO_3 = GatewayProcessMain.radioMac(3);
  static final Set<String> VICTIM_ONLY = Set.of("V1", "V2");
  static final Set<String> SURVIVORS_HEAR = Set.of("A1", "B1", "S1", "S2");

  static boolean deliveredVia(Ledger.Unicast u, Mac radio) {
    return !u.results.isEmpty() && u.results.get(0).kind().equals("Delivered")
        && u.results.get(0).detail().equals(radio.toString());
  }

  /**
   * Delivered through {@code radio}, or NotAcknowledged: the answer came later than the timeouts
   * allow (JVMs starved for seconds on a loaded machine) — a typed answer, but never "no route".
   */
  static boolean deliveredOrTimedOut(Ledger.Unicast u, Mac radio) {
    return deliveredVia(u, radio) || (!u.results.isEmpty() && u.results.get(0).kind().equals("NotAcknowledged"));
  }

  static boolean failedTyped(Ledger.Unicast u) {
    return !u.results.isEmpty() && Set.of("NoRoute", "NotAcknowledged", "Failed").contains(u.results.get(0).kind());
  }

  static long count(Ledger ledger, long afterSeq, Set<String> nodes, java.util.function.Predicate<Ledger.Unicast> p) {
    return ledger.unicasts(u -> u.seq > afterSeq && nodes.contains(u.node) && p.test(u)).size();
  }

  /** Gateway 3 carries load before the fault: unicasts to its nodes and to the shared nodes go through its radio. */
  static void awaitVictimCarriesTraffic(ProcessMesh mesh) {
    Ledger l = mesh.ledger;
    ProcessMesh.awaitTrue(ProcessMesh.WAIT, "unicasts delivered through gateway 3's radio",
        () -> count(l, 0, VICTIM_ONLY, u -> deliveredVia(u, RADIO_3)) >= 20
            && count(l, 0, Set.of("S1", "S2"), u -> deliveredVia(u, RADIO_3)) >= 20, l::summary);
  }

  /**
   * Gateway 3 was (re)started: waits until it is Up for all, gateway 1 routes its nodes through it
   * again, then until unicasts sent after that are delivered through it and its new subscriber
   * receives broadcasts of its own nodes and of the others'.
   */
  static Back awaitVictimBack(ProcessMesh mesh) {
    mesh.awaitOneMesh();
    mesh.awaitRoutes("V1", RADIO_3.toString());
    mesh.awaitRoutes("V2", RADIO_3.toString());
    long routable = mesh.lastSeq();
    int gw1Events = mesh.gateway(1).events().size();
    int gw2Events = mesh.gateway(2).events().size();
    Ledger l = mesh.ledger;
    String sub = mesh.subscriber(3);
    ProcessMesh.awaitTrue(ProcessMesh.WAIT, "unicasts to V1/V2 delivered through the restarted gateway 3, and its "
            + "subscriber receiving broadcasts",
        () -> count(l, routable, VICTIM_ONLY, u -> deliveredVia(u, RADIO_3)) >= 10
            && List.of("V1", "V2", "A1", "B1", "S1").stream()
                .allMatch(n -> l.receivedFrom(sub, ProcessMesh.mac(n).toString()) >= 3),
        () -> l.summary());
    return new Back(routable, gw1Events, gw2Events);
  }

  /** Gateway 3 routable again: the last unicast sent before, and how many membership events gateways 1 and 2 had seen. */
  record Back(long seq, int gw1Events, int gw2Events) {}

  /**
   * Stops the load and checks what holds throughout: every unicast exactly one typed outcome within
   * the deadline (none missing, none double, none for a unicast never sent), and no subscriber of
   * any incarnation got a message twice. Then, unless a starved machine made the cluster see a live
   * gateway unreachable (then these are reported, not asserted: {@link #checkSteadyCluster}), what
   * holds while gateways 1 and 2 see each other.
   */
  static void stopAndCheckInvariants(ProcessMesh mesh, Back back) throws InterruptedException {
    Ledger l = mesh.ledger;
    mesh.stopLoadAndDrain(UNICAST_DEADLINE.plusSeconds(10));
    // a second outcome or receipt would come after the first: look once more after a quiet second
    LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
    assertEquals(List.of(), List.copyOf(l.duplicates().entrySet()), "messages a subscriber received twice");
    assertEquals(List.of(), l.outcomeViolations(UNICAST_DEADLINE), "unicasts without exactly one timely outcome");
    List<String> flaps = new ArrayList<>();
    for (int g = 1; g <= 2; g++) {
      List<String> events = mesh.gateway(g).events();
      int mark = g == 1 ? back.gw1Events() : back.gw2Events();
      for (int i = 0; i < events.size(); i++) {
        String e = events.get(i);
        // expected: the old gateway 3 unreachable (before it came back); anything else is a false alarm
        if (e.startsWith("UNREACHABLE ") && (i >= mark || !e.equals("UNREACHABLE " + mesh.port(3)))) {
          flaps.add("gw" + g + " saw " + e);
        }
      }
    }
    if (flaps.isEmpty()) {
      checkSteadyCluster(mesh, back);
    } else {
      System.out.println("NOT CHECKED (the starved machine made live gateways unreachable: " + flaps + "): "
          + "completeness at gateways 1 and 2, delivery to A1/B1/S1/S2 and to V1/V2 after the restart");
    }
  }

  /**
   * While no live gateway sees another unreachable (only the victim, before its restart): 1 and 2's subscribers got
   * every broadcast of the nodes they hear (except, for S1/S2, which gateway 3 hears too, those
   * aired while the fault was set up: see docs/mesh.md section 6); unicasts to A1/B1/S1/S2 were
   * delivered (at most 1 in 10 timed out, none NoRoute); unicasts to V1/V2 sent after gateway 3
   * was routable again were delivered through it (or timed out; none NoRoute).
   */
  private static void checkSteadyCluster(ProcessMesh mesh, Back back) {
    Ledger l = mesh.ledger;
    List<String> missing = new ArrayList<>();
    List<String> lostInFault = new ArrayList<>();
    ProcessMesh.awaitTrue(ProcessMesh.WAIT, "every broadcast of A1, B1, S1, S2 at the subscribers of gateways 1 and 2",
        () -> {
          missing.clear();
          lostInFault.clear();
          for (String n : SURVIVORS_HEAR) {
            for (long id = 1; id <= mesh.broadcastsOf(n); id++) {
              for (int g = 1; g <= 2; g++) {
                if (!l.receivedBy(mesh.subscriber(g), ProcessMesh.mac(n) + "#" + id)) {
                  boolean excused = !n.equals("A1") && !n.equals("B1") && mesh.airedDuringFault(n, id);
                  (excused ? lostInFault : missing).add(mesh.subscriber(g) + " " + n + "#" + id);
                }
              }
            }
          }
          return missing.isEmpty();
        }, () -> "missing " + missing.subList(0, Math.min(20, missing.size())));
    System.out.println("broadcasts of S1/S2 aired during the fault and lost at gateway 1 or 2: " + lostInFault);
    List<Ledger.Unicast> survivorsNodes = l.unicasts(u -> !VICTIM_ONLY.contains(u.node));
    assertEquals(List.of(), survivorsNodes.stream()
        .filter(u -> !Set.of("Delivered", "NotAcknowledged").contains(u.results.get(0).kind()))
        .map(u -> u.seq + " " + u.node + " " + u.results).toList(), "unicasts to nodes a live gateway hears");
    long late = survivorsNodes.stream().filter(u -> !u.results.get(0).kind().equals("Delivered")).count();
    assertTrue(late * 10 <= survivorsNodes.size(), "at most 1 in 10 unicasts to A1/B1/S1/S2 timed out: " + late
        + " of " + survivorsNodes.size());
    List<Ledger.Unicast> after = l.unicasts(u -> u.seq > back.seq() && VICTIM_ONLY.contains(u.node));
    assertTrue(after.size() >= 10, "unicasts to V1/V2 after the restart: " + after.size());
    assertEquals(List.of(), after.stream().filter(u -> !deliveredOrTimedOut(u, RADIO_3))
        .map(u -> u.seq + " " + u.node + " " + u.results).toList(), "unicasts to V1/V2 once routable again");
  }
}
