package io.nowmesh.examples.cli;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Behaviors;
import ch.qos.logback.classic.Level;
import com.typesafe.config.ConfigFactory;
import io.nowmesh.examples.cluster.MeshClient;
import io.nowmesh.mesh.Group;
import io.nowmesh.mesh.MeshMessage;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code nowmesh listen}: prints what nodes send to the mesh, each message once. */
@Command(name = "listen", mixinStandardHelpOptions = true,
    header = "Print what nodes send to the mesh, each message once.",
    description = {"Joins a running mesh as a client and prints every message nodes send: with --all,",
        "broadcasts, messages to the mesh and plain ESP-NOW frames; with --group, that group's traffic.",
        "Each message is printed once, however many gateways heard it. Stops on Ctrl-C, after --count",
        "messages or after --duration."},
    footer = {"", "Examples:", "  nowmesh listen --all", "  nowmesh listen --group sensors --group 12 --count 10"})
public final class ListenCommand implements Callable<Integer> {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin ClientOptions client;

  static final class What {
    @Option(names = "--all", description = "Everything except group traffic.")
    boolean all;

    @Option(names = "--group", paramLabel = "NAME|NUMBER", description = "A group to listen to (repeatable).")
    List<String> groups = new ArrayList<>();
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  What what;

  @Option(names = "--count", defaultValue = "0", description = "Stop after this many messages (0: no limit).")
  int count;

  @Option(names = "--duration", converter = DurationConverter.class,
      description = "Stop after this long (default: until Ctrl-C).")
  Duration duration;

  /** Completed to stop early; defaults to Ctrl-C (tests set their own). */
  CompletableFuture<?> stop;

  /** Completed once subscribed (tests wait for it before sending). */
  final CompletableFuture<Void> listening = new CompletableFuture<>();

  @Override
  public Integer call() throws Exception {
    if (count < 0) {
      throw new NowMeshCli.UsageError("--count must be 0 (no limit) or more, got " + count);
    }
    Groups names = new Groups(ConfigFactory.load());
    List<Group> groups = what.groups.stream().map(names::resolve).toList();
    client.checkedSeeds();
    Quiet.logsAtLeast(Level.ERROR);
    CompletableFuture<?> stopSignal = stop != null ? stop : Interrupts.onInterrupt();
    var out = spec.commandLine().getOut();
    CompletableFuture<Void> enough = new CompletableFuture<>();
    AtomicInteger seen = new AtomicInteger();
    try (MeshClient mesh = client.join()) {
      ActorRef<MeshMessage> printer = mesh.system().systemActorOf(Behaviors.<MeshMessage>receiveMessage(m -> {
        int n = seen.incrementAndGet();
        if (count > 0 && n > count) {
          return Behaviors.same(); // already enough; we are leaving the cluster
        }
        out.println(line(m));
        out.flush();
        if (count > 0 && n == count) {
          enough.complete(null);
        }
        return Behaviors.same();
      }), "listen", Props.empty());
      if (what.all) {
        mesh.mesh().subscribe(printer);
      }
      groups.forEach(g -> mesh.mesh().subscribe(g, printer));
      out.printf("listening to %s (Ctrl-C to stop)%n", what.all ? "everything nodes send"
          : "group " + String.join(", ", groups.stream().map(g -> g.number() + " (" + g.mac() + ")").toList()));
      out.flush();
      listening.complete(null);
      CompletableFuture<?> done = CompletableFuture.anyOf(stopSignal, enough);
      try {
        if (duration != null) {
          done.get(duration.toMillis(), TimeUnit.MILLISECONDS);
        } else {
          done.get();
        }
      } catch (TimeoutException e) {
        // --duration is up
      }
    }
    return 0;
  }

  static String line(MeshMessage m) {
    String t = LocalTime.now().format(TIME);
    if (m instanceof MeshMessage.FromNode n) {
      String to = n.destination().isBroadcast() ? "broadcast"
          : Group.ofMac(n.destination()) != null ? "group " + Group.ofMac(n.destination()).number() : "mesh";
      return String.format("%s %s -> %s  rssi %d via %s  #%d  %s", t, n.origin(), to, n.rssi(), n.heardBy(),
          n.messageId(), Payloads.show(n.payload()));
    }
    MeshMessage.Raw r = (MeshMessage.Raw) m;
    return String.format("%s %s (raw)  rssi %d via %s  %s", t, r.source(), r.rssi(), r.heardBy(),
        Payloads.show(r.payload()));
  }
}
