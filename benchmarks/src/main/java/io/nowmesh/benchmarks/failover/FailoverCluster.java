package io.nowmesh.benchmarks.failover;

import io.nowmesh.benchmarks.cluster.GatewayHandle;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * One cluster of gateway JVMs for the failover benchmark: an application gateway that sends to the
 * node, two "active" gateways whose radios hear the node, and idle spares that joined with the rest
 * at start-up. A repetition kills the serving active gateway; a spare then starts hearing the node,
 * so the next repetition needs no new JVM and no join while a killed member is still unreachable.
 */
final class FailoverCluster {
  static final String NODE = "02:4e:42:fa:11:00";

  final String name;
  private final GatewayHandle app;
  private final List<GatewayHandle> active = new ArrayList<>();
  private final List<GatewayHandle> spares;
  private final List<GatewayHandle> killed = new ArrayList<>();
  private boolean sending;

  private FailoverCluster(String name, GatewayHandle app, List<GatewayHandle> servers) {
    this.name = name;
    this.app = app;
    this.spares = new ArrayList<>(servers);
  }

  /** Wraps already-started gateways: the first is the application's, the rest are servers. */
  static FailoverCluster of(String name, List<GatewayHandle> gateways) {
    return new FailoverCluster(name, gateways.get(0), gateways.subList(1, gateways.size()));
  }

  /** Start-ups (one per JVM) of an application gateway and {@code servers} server gateways; the app is the seed. */
  static List<Callable<GatewayHandle>> starts(String name, int servers, Path logs) throws Exception {
    int seed = GatewayHandle.freePort();
    List<Callable<GatewayHandle>> starts = new ArrayList<>();
    starts.add(() -> GatewayHandle.start(name + "-app", GatewayHandle.LIGHT_JVM, "mesh", seed, seed, 1, 0,
        logs));
    for (int i = 0; i < servers; i++) {
      int port = GatewayHandle.freePort();
      int radio = i + 2;
      starts.add(() -> GatewayHandle.start(name + "-gw" + radio, GatewayHandle.LIGHT_JVM, "mesh", port, seed,
          radio, 0, logs));
    }
    return starts;
  }

  List<GatewayHandle> all() {
    List<GatewayHandle> all = new ArrayList<>(active);
    all.addAll(spares);
    all.add(app);
    return all;
  }

  int members() {
    return 1 + active.size() + spares.size();
  }

  /** Waits until every member sees all members Up (a member that never joins is an error). */
  void awaitFormed(Duration timeout) throws Exception {
    int n = members();
    for (GatewayHandle g : all()) {
      g.ask("READY " + n + " " + timeout.toMillis(), "READY", timeout.plusSeconds(30));
    }
  }

  /** RSSI at which the serving gateway hears the node, and the backup: 30 dB apart (see {@link #activate}). */
  static final int LOUD = -40;
  static final int QUIET = -70;
  private final java.util.Map<GatewayHandle, Integer> rssi = new java.util.HashMap<>();

  /**
   * Spares start hearing the node until two gateways do: one loud, one quiet. 30 dB is more than the
   * route score's recency penalty can take back between two rewrites of a sighting (2 dB/s, 5 s), so
   * the loud one serves the node steadily and the quiet one is the backup; with two gateways a few dB
   * apart the preferred route alternated, and a kill just before a switch measured ~0 s. After a kill
   * of the loud one, the next spare is loud again, so the kill always takes the serving route away.
   */
  void activate() throws Exception {
    while (active.size() < 2 && !spares.isEmpty()) {
      GatewayHandle g = spares.remove(0);
      int level = active.isEmpty() ? LOUD : rssi.get(active.get(0)) == LOUD ? QUIET : LOUD;
      g.ask("HEAR " + NODE + " " + level + " 200", "HEARING", Duration.ofSeconds(10));
      active.add(g);
      rssi.put(g, level);
    }
  }

  int spareCount() {
    return spares.size();
  }

  /**
   * Ready for a kill: no member unreachable or on its way out (a killed gateway has been downed by SBR
   * and removed), and the application routes the node through exactly the two active gateways.
   */
  void awaitArmed(Duration timeout) throws Exception {
    if (active.size() < 2) {
      throw new IllegalStateException(name + ": no spare gateway left to hear the node");
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    Set<String> want = new HashSet<>();
    active.forEach(g -> want.add(g.radioMac.toLowerCase()));
    String last = "";
    while (true) {
      String[] m = app.ask("MEMBERS", "MEMBERS", Duration.ofSeconds(10)).split(" ");
      String[] r = app.ask("ROUTES " + NODE, "ROUTES", Duration.ofSeconds(10)).split(" ");
      Set<String> via = new HashSet<>();
      String list = r[2].substring(1, r[2].length() - 1);
      if (!list.isEmpty()) {
        Arrays.stream(list.split(",")).forEach(x -> via.add(x.toLowerCase()));
      }
      int expected = members();
      if (Integer.parseInt(m[1]) == expected && Integer.parseInt(m[2]) == expected && m[3].equals("0")
          && via.equals(want)) {
        break;
      }
      last = "members up/all/unreachable " + m[1] + "/" + m[2] + "/" + m[3] + " (want " + expected + "), routes via "
          + via + " (want " + want + ")";
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(name + ": not ready for a kill within " + timeout + ": " + last);
      }
      Thread.sleep(100); // harness polling
    }
    if (!sending) {
      app.ask("UNICAST " + NODE + " " + FailoverBench.SEND_EVERY_MS, "SENDING", Duration.ofSeconds(10));
      sending = true;
    }
  }

  /** Outcome of one repetition: kill → first delivery through the other gateway, or null if none in 60 s. */
  record Rep(Long recoveredNanos, long failedSends) {}

  Rep killServing() throws Exception {
    GatewayHandle serving = serving();
    GatewayHandle survivor = active.get(active.get(0) == serving ? 1 : 0);
    while (app.poll("OUT", 0) != null) {
      // forget what was delivered before the kill
    }
    long killedAt = System.nanoTime();
    serving.kill();
    active.remove(serving);
    killed.add(serving);
    long failures = 0;
    long deadline = killedAt + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      String line = app.poll("OUT", 500);
      if (line == null) {
        continue;
      }
      String[] f = line.split(" ");
      long at = Long.parseLong(f[3]);
      if (f[1].equals("DELIVERED") && f[2].equalsIgnoreCase(survivor.radioMac) && at > killedAt) {
        return new Rep(at - killedAt, failures);
      } else if (!f[1].equals("DELIVERED")) {
        failures++;
      }
    }
    return new Rep(null, failures);
  }

  /**
   * The active gateway whose radio delivers now: every delivery of a fresh 0.5 s window (at least 5)
   * went through it. Two gateways can hear the node within a few dB, and the preferred route may then
   * alternate; a mixed window is skipped, so that the kill hits the gateway that really serves.
   */
  private GatewayHandle serving() throws Exception {
    while (app.poll("OUT", 0) != null) {
      // lines from before the last change of route
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    String lastSeen = "no delivery";
    while (System.nanoTime() < deadline) {
      Set<String> via = new HashSet<>();
      int n = 0;
      long windowEnd = System.nanoTime() + 500_000_000L;
      while (System.nanoTime() < windowEnd) {
        String line = app.poll("OUT", 100);
        if (line != null && line.startsWith("OUT DELIVERED ")) {
          via.add(line.split(" ")[2].toLowerCase());
          n++;
        }
      }
      lastSeen = n + " deliveries via " + via;
      if (n >= 5 && via.size() == 1) {
        String mac = via.iterator().next();
        for (GatewayHandle g : active) {
          if (g.radioMac.equalsIgnoreCase(mac)) {
            return g;
          }
        }
      }
    }
    throw new IllegalStateException(name + ": no active gateway served the node alone for 0.5 s within 60 s ("
        + lastSeen + " in the last window)");
  }

  void close() {
    killed.forEach(GatewayHandle::close); // reaps the killed processes
    GatewayHandle.closeAll(all());
  }
}
