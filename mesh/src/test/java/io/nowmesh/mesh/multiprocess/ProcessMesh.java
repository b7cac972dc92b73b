package io.nowmesh.mesh.multiprocess;

import io.nowmesh.actors.espnow.Mac;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Three gateway processes on 127.0.0.1 (gateway 1 is the seed and hosts the sending application)
 * and six nodes, under steady load:
 * <pre>
 *   A1: gateway 1 only      B1: gateway 2 only
 *   S1, S2: gateways 2 (-70 dBm) and 3 (-45 dBm: the best route, so a dead 3 forces the fall-back)
 *   V1, V2: gateway 3 only  (the victim's nodes)
 * </pre>
 * Load: an END_TO_END unicast from gateway 1 every 20 ms, round robin over all six nodes, and a
 * node broadcast every 50 ms, round robin over all six, aired by every live process that hears the
 * node (same origin and id in each). Ids never repeat across incarnations (the driver numbers them).
 */
final class ProcessMesh implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(45);
  static final Duration ASK = Duration.ofSeconds(10);

  /** label -> {mac, gateway index, rssi, gateway index, rssi, ...}. */
  static final Map<String, int[]> NODES = Map.of(
      "A1", new int[] {1, 1, -50}, "B1", new int[] {2, 2, -50},
      "S1", new int[] {3, 2, -70, 3, -45}, "S2", new int[] {4, 2, -72, 3, -47},
      "V1", new int[] {5, 3, -50}, "V2", new int[] {6, 3, -55});
  static final List<String> LABELS = List.of("A1", "B1", "S1", "S2", "V1", "V2");

  final Ledger ledger = new Ledger();
  private final boolean testMode;
  private final Path logDir;
  private final int[] ports = new int[4];
  private final int[] incarnations = new int[4];
  /** The current live process per gateway index; null while it is down. */
  private final AtomicReferenceArray<GatewayProc> current = new AtomicReferenceArray<>(4);
  private final List<GatewayProc> all = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "mesh-load");
    t.setDaemon(true);
    return t;
  });
  private final AtomicLong seq = new AtomicLong();
  private final AtomicInteger broadcastTurn = new AtomicInteger();
  private final Map<String, AtomicLong> broadcastIds = new java.util.concurrent.ConcurrentHashMap<>();
  /** "label#id" -> when the load aired it (System.nanoTime). */
  private final Map<String, Long> broadcastAt = new java.util.concurrent.ConcurrentHashMap<>();
  /**
   * {start, end} nanos of each fault (a kill, a partition being set up), widened: a broadcast the
   * load aired before the fault may be handled by a starved gateway seconds later.
   */
  private final List<long[]> faults = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile long faultStart;
  static final Duration BEFORE_FAULT = Duration.ofSeconds(4);
  static final Duration AFTER_FAULT = Duration.ofSeconds(1);
  private volatile boolean unicasting;

  ProcessMesh(String testName, boolean testMode) throws Exception {
    this.testMode = testMode;
    this.logDir = Path.of("target", "gateway-processes", testName + "-" + System.currentTimeMillis());
    for (int i = 1; i <= 3; i++) {
      ports[i] = GatewayProc.freePort();
    }
  }

  static Mac mac(String label) {
    return Mac.ofLong(0x24_0a_c4_00_00_00L | NODES.get(label)[0]);
  }

  static boolean hears(int gateway, String label) {
    int[] n = NODES.get(label);
    for (int i = 1; i < n.length; i += 2) {
      if (n[i] == gateway) {
        return true;
      }
    }
    return false;
  }

  /** The subscriber name of gateway {@code index}'s current incarnation ("gw3#2"). */
  String subscriber(int index) {
    return "gw" + index + "#" + incarnations[index];
  }

  GatewayProc gateway(int index) {
    return current.get(index);
  }

  int port(int index) {
    return ports[index];
  }

  /** Starts the three JVMs in parallel (start-up dominates), then their nodes and subscribers; waits for one mesh. */
  void start() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<GatewayProc>> starting = new ArrayList<>();
      for (int i = 1; i <= 3; i++) {
        int index = i;
        starting.add(pool.submit((Callable<GatewayProc>) () -> launch(index)));
      }
      for (Future<GatewayProc> f : starting) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    awaitOneMesh();
    load.scheduleAtFixedRate(this::broadcastTick, 0, 50, TimeUnit.MILLISECONDS);
    load.scheduleAtFixedRate(this::unicastTick, 0, 20, TimeUnit.MILLISECONDS);
    // every node routable from gateway 1 through every gateway that hears it, before unicasts start
    for (String label : LABELS) {
      awaitRoutes(label, expectedRoutes(label));
    }
    unicasting = true;
  }

  /** A new process for gateway {@code index} on its port (as systemd would restart it), with its nodes and subscriber. */
  GatewayProc launch(int index) throws Exception {
    int incarnation = ++incarnations[index];
    GatewayProc p;
    try {
      p = GatewayProc.start("gw" + index + "#" + incarnation, index, ports[index], ports[1], testMode,
          logDir.resolve("gw" + index + "-" + incarnation + ".log"), ledger);
    } catch (IllegalStateException firstTry) {
      // a JVM that failed to start (seen when starved: Akka's start-up timeouts) is restarted once, as systemd would
      p = GatewayProc.start("gw" + index + "#" + incarnation, index, ports[index], ports[1], testMode,
          logDir.resolve("gw" + index + "-" + incarnation + "-retry.log"), ledger);
    }
    all.add(p);
    for (String label : LABELS) {
      int[] n = NODES.get(label);
      for (int i = 1; i < n.length; i += 2) {
        if (n[i] == index) {
          p.ask("NODE", mac(label) + " " + n[i + 1], ASK);
        }
      }
    }
    p.ask("SUB", "", ASK);
    current.set(index, p);
    return p;
  }

  /** SIGKILL gateway {@code index} under load; its nodes' broadcasts stop reaching any process. */
  void kill(int index) throws InterruptedException {
    faultStarts();
    GatewayProc p = current.getAndSet(index, null);
    p.kill();
    faultComplete();
  }

  /** Marks gateway {@code index} as gone (it downed itself); the load stops talking to it. */
  void forget(int index) {
    current.set(index, null);
  }

  /** Every live gateway sees three members Up, three live gateways, three frames-topic instances, none unreachable. */
  void awaitOneMesh() {
    awaitTrue(WAIT, "three gateways Up, live and on the frames topic, seen by each", () -> {
      for (int i = 1; i <= 3; i++) {
        if (!status(i).equals("3 3 3 0")) {
          return false;
        }
      }
      return true;
    }, () -> "status " + status(1) + " | " + status(2) + " | " + status(3));
  }

  /** "up live-gateways topic-peers unreachable" as gateway {@code index} sees it. */
  String status(int index) {
    GatewayProc p = current.get(index);
    try {
      return p == null ? "down" : p.ask("STATUS", "", ASK);
    } catch (Exception e) {
      return "no answer (" + e.getMessage() + ")";
    }
  }

  /** Gateway 1's ranked routes to the node, as radio MACs joined by ',' ("-" for none). */
  String routes(String label) {
    try {
      return current.get(1).ask("ROUTES", mac(label).toString(), ASK);
    } catch (Exception e) {
      return "no answer (" + e.getMessage() + ")";
    }
  }

  static String expectedRoutes(String label) {
    int[] n = NODES.get(label);
    List<int[]> hearing = new ArrayList<>();
    for (int i = 1; i < n.length; i += 2) {
      hearing.add(new int[] {n[i], n[i + 1]});
    }
    hearing.sort((a, b) -> Integer.compare(b[1], a[1])); // strongest first, as the mesh ranks fresh routes
    return String.join(",", hearing.stream().map(h -> GatewayProcessMain.radioMac(h[0]).toString()).toList());
  }

  void awaitRoutes(String label, String expected) {
    awaitTrue(WAIT, "gateway 1 routes " + label + " via " + expected, () -> routes(label).equals(expected),
        () -> "routes " + routes(label));
  }

  private void broadcastTick() {
    String label = LABELS.get(Math.floorMod(broadcastTurn.getAndIncrement(), LABELS.size()));
    long id = broadcastIds.computeIfAbsent(label, k -> new AtomicLong()).incrementAndGet();
    broadcastAt.put(label + "#" + id, System.nanoTime());
    for (int i = 1; i <= 3; i++) {
      GatewayProc p = current.get(i);
      if (p != null && hears(i, label)) {
        p.send("BCAST " + mac(label) + " " + id);
      }
    }
  }

  private void unicastTick() {
    if (!unicasting) {
      return;
    }
    long s = seq.incrementAndGet();
    String label = LABELS.get((int) (s % LABELS.size()));
    ledger.sent(s, label);
    current.get(1).send("UNI " + s + " " + mac(label));
  }

  /** The fault (kill, partition) starts now. */
  void faultStarts() {
    faultStart = System.nanoTime();
  }

  /** The fault is complete (the process is dead, every blackhole is in place). */
  void faultComplete() {
    faults.add(new long[] {faultStart - BEFORE_FAULT.toNanos(), System.nanoTime() + AFTER_FAULT.toNanos()});
  }

  /** Whether the node's broadcast {@code id} was aired while a fault was being set up (or shortly before). */
  boolean airedDuringFault(String label, long id) {
    Long at = broadcastAt.get(label + "#" + id);
    return at != null && faults.stream().anyMatch(w -> at >= w[0] && at <= w[1]);
  }

  /** How many broadcasts the node has aired so far (its ids are 1..that). */
  long broadcastsOf(String label) {
    AtomicLong n = broadcastIds.get(label);
    return n == null ? 0 : n.get();
  }

  /** The last unicast sequence number used so far (unicasts after it were sent later). */
  long lastSeq() {
    return seq.get();
  }

  /** Stops the load, then waits until every unicast has an outcome (or the deadline passes). */
  void stopLoadAndDrain(Duration deadline) throws InterruptedException {
    unicasting = false;
    load.shutdownNow();
    load.awaitTermination(10, TimeUnit.SECONDS);
    awaitTrue(deadline, "an outcome for every unicast", ledger::allAnswered, ledger::summary);
  }

  static void awaitTrue(Duration timeout, String what, BooleanSupplier condition, Supplier<String> diagnosis) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout + ": " + what + "; " + diagnosis.get());
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // a poll with a deadline, like awaitAssert
    }
  }

  Path logDir() {
    return logDir.toAbsolutePath();
  }

  @Override
  public void close() throws InterruptedException {
    unicasting = false;
    load.shutdownNow();
    for (GatewayProc p : all) {
      if (p.alive()) {
        p.send("QUIT");
      }
    }
    for (GatewayProc p : all) {
      p.close();
    }
  }
}
