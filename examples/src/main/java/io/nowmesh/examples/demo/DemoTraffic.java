package io.nowmesh.examples.demo;

import io.nowmesh.examples.sim.LeafNode;
import io.nowmesh.mesh.Outcome;
import io.nowmesh.mesh.routing.NodeActor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The demo's message schedule, one tick every 100 ms on one thread: each node sends a reading
 * every 2 s; the application sends two acknowledged unicasts a second (round robin over every
 * node); a node broadcasts every second; a gateway's application broadcasts every 2 s; the
 * application multicasts to the group every second; a member multicasts every 2 s. Modest on
 * purpose: the point is to see every path work, not to load a small machine.
 */
final class DemoTraffic implements AutoCloseable {
  static final Duration TICK = Duration.ofMillis(100);

  private final DemoScenario scenario;
  private final DemoMetrics metrics;
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "demo-traffic");
    t.setDaemon(true);
    return t;
  });
  private final ConcurrentHashMap<Integer, CompletableFuture<Outcome>> pendingUnicasts = new ConcurrentHashMap<>();
  private long tick;
  private int seq;

  DemoTraffic(DemoScenario scenario) {
    this.scenario = scenario;
    this.metrics = scenario.metrics();
  }

  void start() {
    ticker.scheduleAtFixedRate(this::safeTick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
    ticker.scheduleAtFixedRate(scenario::refreshRoutes, 500, 500, TimeUnit.MILLISECONDS);
  }

  private void safeTick() {
    try {
      tick();
    } catch (RuntimeException e) {
      // one failed send must not stop the schedule; the metrics show what did not arrive
      System.err.println("demo: " + e.getMessage());
    }
  }

  private void tick() {
    List<LeafNode> leaves = scenario.leaves();
    List<DemoLayout.NodeSpec> specs = scenario.layout().nodes();
    List<DemoLayout.NodeSpec> members = scenario.layout().groupMembers();
    int n = leaves.size();
    int gateways = scenario.mesh().size();
    long t = tick++;
    for (int i = 0; i < n; i++) {
      if ((t + 3L * i) % 20 == 0) {
        DemoPayload p = payload(Flow.UNICAST_UP, i);
        metrics.sent(Flow.UNICAST_UP, 1);
        leaves.get(i).sendToMesh(p.encode(), false);
      }
    }
    if (t % 5 == 0) {
      int i = (int) ((t / 5) % n);
      DemoPayload p = payload(Flow.UNICAST_DOWN, 0);
      metrics.sent(Flow.UNICAST_DOWN, 1);
      int key = p.seq();
      CompletableFuture<Outcome> f = scenario.mesh().mesh(0)
          .send(specs.get(i).mac(), p.encode(), NodeActor.Delivery.END_TO_END).toCompletableFuture();
      pendingUnicasts.put(key, f);
      f.whenComplete((o, e) -> {
        pendingUnicasts.remove(key);
        if (!(o instanceof Outcome.Delivered)) {
          metrics.failed(Flow.UNICAST_DOWN);
        }
      });
    }
    if (t % 10 == 2) {
      int i = (int) ((t / 10) % n);
      DemoPayload p = payload(Flow.BROADCAST_UP, i);
      metrics.sent(Flow.BROADCAST_UP, gateways);
      leaves.get(i).broadcast(p.encode());
    }
    if (t % 20 == 7) {
      int g = (int) ((t / 20) % gateways);
      DemoPayload p = payload(Flow.BROADCAST_DOWN, g);
      metrics.sent(Flow.BROADCAST_DOWN, n);
      scenario.mesh().mesh(g).broadcast(p.encode());
    }
    if (!members.isEmpty() && t % 10 == 4) {
      DemoPayload p = payload(Flow.MULTICAST_DOWN, 0);
      metrics.sent(Flow.MULTICAST_DOWN, members.size());
      scenario.mesh().mesh(0).multicast(DemoScenario.GROUP, p.encode());
    }
    if (!members.isEmpty() && t % 20 == 13) {
      DemoLayout.NodeSpec m = members.get((int) ((t / 20) % members.size()));
      int i = specs.indexOf(m);
      DemoPayload p = payload(Flow.MULTICAST_UP, i);
      metrics.sent(Flow.MULTICAST_UP, members.size()); // the other members and the application
      leaves.get(i).sendToGroup(DemoScenario.GROUP, p.encode());
    }
  }

  private DemoPayload payload(Flow flow, int sender) {
    return new DemoPayload(flow, sender, ++seq, System.nanoTime());
  }

  /** Stops sending (in-flight messages still arrive and are counted). */
  void stop() {
    ticker.shutdown();
    try {
      ticker.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits until everything sent has arrived or been answered, at most {@code timeout}. */
  void drain(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline && !(pendingUnicasts.isEmpty() && metrics.allArrived())) {
      TimeUnit.MILLISECONDS.sleep(50); // in-flight deliveries finish on other threads
    }
  }

  @Override
  public void close() {
    ticker.shutdownNow();
  }
}
