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
  public final String name;
  public final String radioMac;

  private GatewayHandle(String name, List<String> args, Path log) throws IOException, InterruptedException {
    this.name = name;
    List<String> cmd = new ArrayList<>(List.of(javaBinary(), "-Xms128m", "-Xmx384m", "-XX:+UseG1GC",
        "-Dlogback.configurationFile=bench-logback.xml", "-cp", System.getProperty("java.class.path"), BenchMain.class.getName(), "gateway"));
    cmd.addAll(args);
    process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
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
    return new GatewayHandle(name, List.of("--mode", mode, "--port", Integer.toString(port), "--seed",
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

  /** SIGKILL: no leave, no goodbye to the cluster, like a host losing power. */
  public void kill() {
    process.destroyForcibly();
  }

  @Override
  public void close() {
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

  /**
   * Starts several gateways at once: JVM start-up dominates the short runs, and the JVMs boot in
   * parallel. If one fails, the ones that did start are stopped and the first failure is thrown.
   */
  public static List<GatewayHandle> startAll(List<java.util.concurrent.Callable<GatewayHandle>> starts)
      throws Exception {
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(starts.size());
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
        g.send("QUIT");
      }
    }
    gateways.forEach(GatewayHandle::close);
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
