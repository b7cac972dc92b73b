package io.nowmesh.benchmarks.cluster;

import io.nowmesh.benchmarks.BenchMain;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The driver's side of one {@link GatewayProcess}: starts the JVM, sends command lines, and hands
 * back its '@' answers by their first word (so asynchronous OUT lines never mix with replies).
 */
public final class GatewayHandle implements AutoCloseable {
  private final Process process;
  private final PrintWriter stdin;
  private final Map<String, BlockingQueue<String>> answers = new ConcurrentHashMap<>();
  /** Every gateway process this JVM started: killed on exit so that none outlives a failed run. */
  private static final java.util.Set<Process> STARTED = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> STARTED.forEach(Process::destroyForcibly),
        "kill-gateways"));
  }
  public final String name;
  public final String radioMac;

  /** JVM options of a measured gateway (throughput and latency: the JDK's default G1 and C2). */
  public static final List<String> MEASURED_JVM = List.of("-Xms128m", "-Xmx384m", "-XX:+UseG1GC");
  /**
   * JVM options of a gateway whose speed is not what is measured (failover: time to re-route, made of
   * failure-detector and retry timeouts): C1 only and the serial GC boot with ~40 % less CPU.
   */
  public static final List<String> LIGHT_JVM = List.of("-Xms64m", "-Xmx256m", "-XX:+UseSerialGC",
      "-XX:TieredStopAtLevel=1");

  private GatewayHandle(String name, List<String> jvm, List<String> args, Path log)
      throws IOException, InterruptedException {
    this.name = name;
    List<String> cmd = new ArrayList<>(List.of(javaBinary()));
    cmd.addAll(jvm);
    String cds = System.getProperty("bench.cds"); // bench/run's class-data sharing archive: faster start-up
    if (cds != null) {
      cmd.addAll(List.of("-XX:SharedArchiveFile=" + cds, "-Xshare:auto"));
    }
    cmd.addAll(List.of("-Dlogback.configurationFile=bench-logback.xml", "-cp", System.getProperty("java.class.path"),
        BenchMain.class.getName(), "gateway"));
    cmd.addAll(args);
    process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    STARTED.add(process);
    stdin = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    Thread reader = new Thread(this::readAnswers, "answers-" + name);
    reader.setDaemon(true);
    reader.start();
    try {
      radioMac = expect("STARTED", Duration.ofSeconds(90)).split(" ")[1];
    } catch (IllegalStateException | InterruptedException e) {
      process.destroyForcibly(); // never leave a half-started gateway behind
      throw e;
    }
  }

  /** Starts a gateway process; {@code mode} is mesh or mqtt. */
  public static GatewayHandle start(String name, String mode, int port, int seedPort, int radio, int mqttPort,
      Path logDir) throws IOException, InterruptedException {
    return start(name, MEASURED_JVM, mode, port, seedPort, radio, mqttPort, logDir);
  }

  /** As above, with the given JVM options ({@link #MEASURED_JVM} or {@link #LIGHT_JVM}). */
  public static GatewayHandle start(String name, List<String> jvm, String mode, int port, int seedPort, int radio,
      int mqttPort, Path logDir) throws IOException, InterruptedException {
    return new GatewayHandle(name, jvm, List.of("--mode", mode, "--port", Integer.toString(port), "--seed",
        Integer.toString(seedPort), "--radio", Integer.toString(radio), "--mqtt-port", Integer.toString(mqttPort)),
        logDir.resolve(name + "-" + mode + ".log"));
  }

  private void readAnswers() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("@")) {
          String body = line.substring(1);
          String key = body.split(" ", 2)[0];
          queue(key).add(body);
        }
      }
    } catch (IOException e) {
      // the process died (possibly killed on purpose); waiting callers time out
    }
  }

  private BlockingQueue<String> queue(String key) {
    return answers.computeIfAbsent(key, k -> new LinkedBlockingQueue<>());
  }

  public void send(String command) {
    stdin.println(command);
  }

  /** The next answer starting with {@code key}; an ERROR answer or a timeout is an exception. */
  public String expect(String key, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String s = queue(key).poll(100, TimeUnit.MILLISECONDS);
      if (s != null) {
        return s;
      }
      String err = queue("ERROR").poll();
      if (err != null) {
        throw new IllegalStateException(name + ": " + err);
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with " + process.exitValue() + " while waiting for " + key);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(name + ": no " + key + " within " + timeout);
      }
    }
  }

  public String ask(String command, String key, Duration timeout) throws InterruptedException {
    send(command);
    return expect(key, timeout);
  }

  /** The next asynchronous line with this key, or null after the timeout. */
  public String poll(String key, long timeoutMs) throws InterruptedException {
    return queue(key).poll(timeoutMs, TimeUnit.MILLISECONDS);
  }

  private static final java.util.concurrent.atomic.DoubleAdder CPU = new java.util.concurrent.atomic.DoubleAdder();
  private boolean cpuCounted;

  /** CPU seconds used by the gateway processes closed so far (as last seen alive: killed ones count up to the kill). */
  public static double reapedCpuSeconds() {
    return CPU.sum();
  }

  private synchronized void countCpu() {
    if (!cpuCounted) {
      process.info().totalCpuDuration().ifPresent(d -> {
        CPU.add(d.toNanos() / 1e9);
        cpuCounted = true;
        System.err.printf("%s: %.1f CPU-s when closed or killed%n", name, d.toNanos() / 1e9);
      });
    }
  }

  /** SIGKILL: no leave, no goodbye to the cluster, like a host losing power. */
  public void kill() {
    countCpu();
    process.destroyForcibly();
  }

  @Override
  public void close() {
    countCpu();
    if (process.isAlive()) {
      send("QUIT");
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  /** At most this many gateway JVMs boot at once: more only adds contention (and start-up timeouts) on 2 cores. */
  private static final java.util.concurrent.Semaphore BOOTING = new java.util.concurrent.Semaphore(4);

  /**
   * Starts several gateways at once: JVM start-up dominates the short runs, and the JVMs boot in
   * parallel (at most 4 at a time, across all callers). If one fails, the ones that did start are
   * stopped and the first failure is thrown.
   */
  public static List<GatewayHandle> startAll(List<java.util.concurrent.Callable<GatewayHandle>> starts)
      throws Exception {
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(starts.size());
    List<java.util.concurrent.Callable<GatewayHandle>> limited = new ArrayList<>();
    for (var s : starts) {
      limited.add(() -> {
        BOOTING.acquire();
        try {
          return s.call();
        } finally {
          BOOTING.release();
        }
      });
    }
    starts = limited;
    try {
      List<java.util.concurrent.Future<GatewayHandle>> futures = pool.invokeAll(starts);
      List<GatewayHandle> started = new ArrayList<>();
      Exception failure = null;
      for (java.util.concurrent.Future<GatewayHandle> f : futures) {
        try {
          started.add(f.get());
        } catch (java.util.concurrent.ExecutionException e) {
          if (failure == null) {
            failure = e.getCause() instanceof Exception ex ? ex : e;
          }
        }
      }
      if (failure != null) {
        closeAll(started);
        throw failure;
      }
      return started;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Asks every gateway to quit first, then waits for each: the 5 s grace periods overlap. */
  public static void closeAll(List<GatewayHandle> gateways) {
    for (GatewayHandle g : gateways) {
      if (g.process.isAlive()) {
        g.countCpu();
        g.send("QUIT");
      }
    }
    gateways.forEach(GatewayHandle::close);
  }

  /**
   * A loopback port that is free now, below the kernel's ephemeral range: a port from that range can be
   * taken by any outgoing connection (MQTT clients, Artery) between this check and the gateway's bind.
   * Never the same port twice from this JVM.
   */
  public static synchronized int freePort() throws IOException {
    int below = ephemeralLow();
    java.util.Random rnd = new java.util.Random();
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = 10_000 + rnd.nextInt(below - 10_000);
      if (!HANDED_OUT.add(port)) {
        continue;
      }
      try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
        return s.getLocalPort();
      } catch (IOException taken) {
        // try another
      }
    }
    throw new IOException("no free loopback port found between 10000 and " + below);
  }

  private static final java.util.Set<Integer> HANDED_OUT = new java.util.HashSet<>();

  private static int ephemeralLow() {
    try {
      int low = Integer.parseInt(java.nio.file.Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
          .trim().split("\\s+")[0]);
      return low > 12_000 ? low : 32_768;
    } catch (IOException | RuntimeException e) {
      return 32_768;
    }
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
