package io.nowmesh.benchmarks.pipeline;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.nowmesh.actors.device.DeviceActor;
import io.nowmesh.actors.device.DeviceSettings;
import io.nowmesh.actors.device.Outcome;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.actors.espnow.PeerOptions;
import io.nowmesh.actors.sim.SimulatedAir;
import io.nowmesh.actors.sim.SimulatedRadio;
import io.nowmesh.actors.sim.VirtualNode;
import io.nowmesh.benchmarks.report.Table;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmark 2: one host, an application actor sending 250-byte sync sends through N DeviceActors
 * to N SimulatedRadios (serial protocol over in-memory pipes) whose peers ack at once. CPU and
 * allocation are split between the host side (device actors, codec, application) and the simulated
 * radios' own threads, which on real hardware run on the ESP32s.
 */
public final class PipelineBench {
  private static int[] radios(boolean quick) { // the property overrides only to diagnose
    return java.util.Arrays.stream(System.getProperty("bench.pipeline.radios", quick ? "1,10" : "1,10,50")
        .split(",")).mapToInt(Integer::parseInt).toArray();
  }
  private static final int WINDOW = 4;
  /** The shipped nowmesh.device.blocking-io-dispatcher pool; each radio's read loop holds a thread. */
  private static final int SHIPPED_POOL = ConfigFactory.load()
      .getInt("nowmesh.device.blocking-io-dispatcher.thread-pool-executor.fixed-pool-size");

  record Level(int radios, String pool, long messages, double seconds, double hostCpuUs, double simCpuUs, double hostAllocBytes,
      double simAllocBytes, long failed) {}

  private PipelineBench() {}

  public static String run(boolean quick) throws Exception {
    double warm = quick ? 0.5 : 5;
    double measure = quick ? 1 : 15;
    List<Level> levels = new ArrayList<>();
    for (int n : radios(quick)) {
      levels.add(level(n, 0, warm, measure));
      System.err.println("pipeline " + levels.get(levels.size() - 1));
      if (n > SHIPPED_POOL - 2) {
        // more radios than the shipped pool has threads: also measure with the pool sized to the radios
        levels.add(level(n, n + 4, warm, measure));
        System.err.println("pipeline " + levels.get(levels.size() - 1));
      }
    }
    return render(levels, warm, measure);
  }

  private static Level level(int n, int pool, double warm, double measure) throws Exception {
    Config cfg = ConfigFactory.parseString("akka.actor.provider = local\nakka.loglevel = WARNING\n"
            + (pool > 0 ? "nowmesh.device.blocking-io-dispatcher.thread-pool-executor.fixed-pool-size = " + pool + "\n" : ""))
        .withFallback(ConfigFactory.load());
    AtomicLong ok = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    byte[] payload = new byte[250];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) (i * 7 + 1);
    }
    ActorSystem<SendLoop.Command> system = ActorSystem.create(SendLoop.create(payload, ok, failed), "pipeline", cfg);
    SimulatedAir air = new SimulatedAir();
    List<SimulatedRadio> radios = new ArrayList<>();
    List<VirtualNode> nodes = new ArrayList<>();
    try {
      DeviceSettings settings = DeviceSettings.from(system.settings().config());
      List<ActorRef<DeviceActor.Command>> devices = new ArrayList<>();
      List<Mac> nodeMacs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        SimulatedRadio r = air.addRadio(Mac.ofLong(0x24_0A_C4_B0_00_00L | i), i * 100.0, 0, 1);
        VirtualNode node = air.addNode(Mac.ofLong(0x02_B0_00_00_00_00L | i), i * 100.0 + 3, 0, 1);
        radios.add(r);
        nodes.add(node);
        nodeMacs.add(node.mac());
        devices.add(system.systemActorOf(DeviceActor.create(r.hostTransport(), settings), "radio-" + i,
            akka.actor.typed.Props.empty()));
      }
      for (int i = 0; i < n; i++) {
        ActorRef<DeviceActor.Command> d = devices.get(i);
        Mac node = nodeMacs.get(i);
        // AddPeer is answered once the device is connected (requests wait while it says HELLO)
        Outcome<?> o = AskPattern.<DeviceActor.Command, Outcome<akka.Done>>ask(d,
                r -> new DeviceActor.AddPeer(node, PeerOptions.DEFAULT, r), Duration.ofSeconds(60), system.scheduler())
            .toCompletableFuture().get(90, TimeUnit.SECONDS);
        if (!o.isOk()) {
          throw new IllegalStateException("radio " + i + ": add_peer failed: " + o);
        }
      }
      system.tell(new SendLoop.Start(devices, nodeMacs, WINDOW));
      for (int w = 0; w < warm * 10; w++) {
        Thread.sleep(100); // warm-up, discarded
      }
      System.err.printf("pipeline %d radios: %d ok, %d failed after warm-up%n", n, ok.get(), failed.get());
      Snapshot a = Snapshot.take(ok.get());
      Thread.sleep((long) (measure * 1000));
      Snapshot b = Snapshot.take(ok.get());
      long msgs = b.messages - a.messages;
      double secs = (b.wallNanos - a.wallNanos) / 1e9;
      long procCpu = b.processCpu - a.processCpu;
      long simCpu = b.simCpu - a.simCpu;
      long allAlloc = b.hostAlloc + b.simAlloc - a.hostAlloc - a.simAlloc;
      long simAlloc = b.simAlloc - a.simAlloc;
      double per = Math.max(1, msgs);
      return new Level(n, pool > 0 ? Integer.toString(pool) : "shipped (" + SHIPPED_POOL + ")", msgs, secs, (procCpu - simCpu) / 1e3 / per, simCpu / 1e3 / per, (allAlloc - simAlloc) / per,
          simAlloc / per, failed.get());
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
      radios.forEach(SimulatedRadio::close);
      nodes.forEach(VirtualNode::close);
    }
  }

  /** Counters at one instant: messages, wall clock, process CPU, simulated radios' CPU, allocations. */
  private record Snapshot(long messages, long wallNanos, long processCpu, long simCpu, long hostAlloc, long simAlloc) {
    static Snapshot take(long messages) {
      var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
      long simCpu = 0;
      long hostAlloc = 0;
      long simAlloc = 0;
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        long alloc = Math.max(0, threads.getThreadAllocatedBytes(t.getId()));
        if (t.getName().startsWith("sim-radio-")) {
          simCpu += Math.max(0, threads.getThreadCpuTime(t.getId()));
          simAlloc += alloc;
        } else {
          hostAlloc += alloc;
        }
      }
      return new Snapshot(messages, System.nanoTime(), os.getProcessCpuTime(), simCpu, hostAlloc, simAlloc);
    }
  }

  private static String render(List<Level> levels, double warm, double measure) {
    StringBuilder b = new StringBuilder("## 2. Host pipeline: application → DeviceActors → simulated radios\n\n");
    b.append(String.format("One JVM: an application actor keeps %d sync sends of 250 bytes outstanding per radio"
        + " (the radios' queue_depth) through each DeviceActor, over the serial protocol on in-memory pipes, to"
        + " SimulatedRadios whose peers ack at once (no air time). %.1f s warm-up, %.1f s measured. CPU = process"
        + " CPU time (OperatingSystemMXBean) / messages, split into the host side and the simulated radios' own"
        + " threads (which on real hardware run on the ESP32s). Allocation = ThreadMXBean.getThreadAllocatedBytes"
        + " over live threads / messages.%n%n", WINDOW, warm, measure));
    Table t = new Table("radios", "blocking-io threads", "msg/s", "host CPU µs/msg", "sim-radio CPU µs/msg", "host bytes alloc/msg",
        "sim-radio bytes alloc/msg", "not acked/failed", "target ≤ 5 host CPU-µs/msg");
    for (Level l : levels) {
      t.row(Integer.toString(l.radios()), l.pool(), String.format("%,.0f", l.messages() / l.seconds()),
          String.format("%.1f", l.hostCpuUs()), String.format("%.1f", l.simCpuUs()),
          String.format("%,.0f", l.hostAllocBytes()), String.format("%,.0f", l.simAllocBytes()),
          Long.toString(l.failed()), l.hostCpuUs() <= 5 ? "met" : "not met");
    }
    b.append(t.render()).append("\n\n");
    Level best = levels.stream().max((x, y) -> Double.compare(x.messages() / x.seconds(), y.messages() / y.seconds()))
        .orElseThrow();
    b.append(String.format("At %.1f host CPU-µs per message (the best row), one core sustains about %,.0f messages/s."
        + " 50 radios each saturating a 921,600-baud serial link (~340 frames/s, 17,000/s in all) would need %.2f"
        + " cores; at the ESP-NOW broadcast air rate (~3,800 frames/s each, 190,000/s, which a 921,600-baud link"
        + " cannot carry) %.1f cores.%n",
        best.hostCpuUs(), 1e6 / best.hostCpuUs(), 17_000 * best.hostCpuUs() / 1e6, 190_000 * best.hostCpuUs() / 1e6));
    return b.toString();
  }
}
