package io.nowmesh.mesh.multiprocess;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The test's side of one {@link GatewayProcessMain} JVM: starts it, sends command lines, matches
 * answers to questions by token, and feeds unicast outcomes and subscriber receipts to the
 * {@link Ledger}. Every process started is also registered with a JVM shutdown hook, so none is left
 * behind even if the test JVM is stopped between a start and the test's cleanup.
 */
final class GatewayProc implements AutoCloseable {
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "kill-gateways"));
  }

  private static final AtomicLong TOKENS = new AtomicLong();

  final String name;
  final int index;
  final int port;
  final Path log;
  private final Process process;
  private final PrintWriter stdin;
  private final Ledger ledger;
  private final Map<String, CompletableFuture<String>> questions = new ConcurrentHashMap<>();
  private final CompletableFuture<String> started = new CompletableFuture<>();
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();
  private final List<String> events = new CopyOnWriteArrayList<>();

  private GatewayProc(String name, int index, int port, int seedPort, boolean testMode, Path log, Ledger ledger)
      throws IOException {
    this.name = name;
    this.index = index;
    this.port = port;
    this.log = log;
    this.ledger = ledger;
    Files.createDirectories(log.getParent());
    List<String> cmd = new ArrayList<>(List.of(javaBinary(), "-Xms64m", "-Xmx256m", "-XX:+UseSerialGC",
        // C1 only: these JVMs live a minute; full JIT would compete for the 2 cores while they start
        "-XX:TieredStopAtLevel=1", "-Dlogback.configurationFile=gateway-process-logback.xml",
        "-cp", System.getProperty("java.class.path"), GatewayProcessMain.class.getName(),
        Integer.toString(index), Integer.toString(port), Integer.toString(seedPort), Boolean.toString(testMode)));
    process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.to(log.toFile())).start();
    LIVE.add(process);
    stdin = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    Thread reader = new Thread(this::readLines, "lines-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts gateway {@code index} (radio aa:00:00:00:00:0N) and waits until its ActorSystem runs. */
  static GatewayProc start(String name, int index, int port, int seedPort, boolean testMode, Path log, Ledger ledger)
      throws Exception {
    GatewayProc p = new GatewayProc(name, index, port, seedPort, testMode, log, ledger);
    try {
      p.started.get(90, TimeUnit.SECONDS);
      return p;
    } catch (Exception e) {
      p.kill();
      throw new IllegalStateException(name + " did not start; see " + log, e);
    }
  }

  private void readLines() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("@")) {
          onLine(line.substring(1).split(" "));
        }
      }
    } catch (IOException e) {
      // the process died (maybe killed on purpose); waiting callers see it through isAlive()
    } finally {
      terminated.complete(null);
    }
  }

  private void onLine(String[] a) {
    switch (a[0]) {
      case "OUT" -> ledger.outcome(Long.parseLong(a[1]), a[2], a[3], Long.parseLong(a[4]));
      case "RX" -> ledger.received(name, a[1] + "#" + a[2]);
      case "RAW" -> ledger.received(name, "raw:" + a[1]);
      case "EVENT" -> events.add(a[1] + " " + a[2]);
      case "STARTED" -> started.complete(a[1]);
      case "TERMINATED" -> events.add("TERMINATED");
      default -> {
        CompletableFuture<String> q = questions.remove(a[0]);
        String rest = String.join(" ", java.util.Arrays.copyOfRange(a, 1, a.length));
        if (q != null) {
          q.complete(rest);
        } else if (a[0].equals("ERROR")) {
          started.completeExceptionally(new IllegalStateException(name + ": " + rest));
        }
      }
    }
  }

  /** Fire and forget (load commands); silently dropped once the process is gone. */
  void send(String line) {
    stdin.println(line);
  }

  /** Sends {@code verb tok args} and returns the answer; an ERROR answer or silence is an exception. */
  String ask(String verb, String args, Duration timeout) throws Exception {
    String tok = "#" + TOKENS.incrementAndGet();
    CompletableFuture<String> answer = new CompletableFuture<>();
    questions.put(tok, answer);
    send(verb + " " + tok + (args.isEmpty() ? "" : " " + args));
    try {
      String s = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (s.startsWith("ERROR")) {
        throw new IllegalStateException(name + ": " + verb + " " + args + ": " + s);
      }
      return s;
    } catch (TimeoutException e) {
      questions.remove(tok);
      throw new IllegalStateException(name + ": no answer to " + verb + " " + args + " within " + timeout
          + (process.isAlive() ? "" : " (process exited)"), e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(name + ": " + verb, e.getCause());
    }
  }

  /** Membership events seen so far, as "KIND port" (e.g. "DOWNED 41234"), and "TERMINATED". */
  List<String> events() {
    return List.copyOf(events);
  }

  boolean alive() {
    return process.isAlive();
  }

  /** Waits up to {@code timeout} for the process to exit; its exit code, or -1 if it still runs. */
  int awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
  }

  /** SIGKILL: no leave, no goodbye to the cluster, like a host losing power. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
    LIVE.remove(process);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      send("QUIT");
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
    LIVE.remove(process);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  private static String javaBinary() {
    return ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }
}
