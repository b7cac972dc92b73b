package io.nowmesh.examples.gateway;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import io.nowmesh.actors.device.DeviceActor;
import io.nowmesh.actors.device.DeviceSettings;
import io.nowmesh.actors.device.Outcome;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.actors.link.BootInfo;
import io.nowmesh.actors.link.SerialTransport;
import io.nowmesh.examples.ports.PortsCommand;
import io.nowmesh.examples.ports.RadioProbe;
import io.nowmesh.mesh.Mesh;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * The gateway's radios: opens the configured ports, looks for radios on candidate USB ports (HELLO
 * confirms them; other devices are left alone), watches each radio's link, attaches connected
 * radios to the mesh and detaches lost ones, and logs one clear line for every radio found, lost
 * and re-found. A radio is known by its MAC, so a replug under another port name is a re-find.
 */
public final class RadioWatcher extends AbstractBehavior<RadioWatcher.Command> {
  // a named logger (not the actor context's): operators filter on it, e.g. in journalctl
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RadioWatcher.class);

  public sealed interface Command {}

  /** Watch a device actor someone else started (e.g. on a simulated radio). */
  public record Watch(String label, ActorRef<DeviceActor.Command> device) implements Command {}

  private record Tick() implements Command {}

  private record Scan() implements Command {}

  private record NoRadioCheck() implements Command {}

  private record StatusOf(String label, Outcome<DeviceActor.Status> outcome) implements Command {}

  private record Probed(String path, RadioProbe.Result result) implements Command {}

  private static final class Radio {
    final String label;
    final ActorRef<DeviceActor.Command> device;
    Mac mac;
    boolean connected;
    long lostAtNanos;

    Radio(String label, ActorRef<DeviceActor.Command> device) {
      this.label = label;
      this.device = device;
    }
  }

  /** What to look at, from the gateway's configuration. */
  public record Plan(List<String> ports, boolean autoDetect, int baud, Duration rescan, Duration noRadioAfter) {}

  private final Plan plan;
  private final DeviceSettings deviceSettings;
  private final Mesh mesh;
  private final Map<String, Radio> radios = new HashMap<>();
  private final Set<Mac> everSeen = new HashSet<>();
  private final Set<String> notRadios = new HashSet<>();
  private final Set<String> probing = new HashSet<>();
  private final Executor probes = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "nowmesh-port-probe");
    t.setDaemon(true);
    return t;
  });
  private int spawned;

  public static Behavior<Command> create(Plan plan) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new RadioWatcher(ctx, timers, plan)));
  }

  private RadioWatcher(ActorContext<Command> ctx, TimerScheduler<Command> timers, Plan plan) {
    super(ctx);
    this.plan = plan;
    this.deviceSettings = DeviceSettings.from(ctx.getSystem().settings().config());
    this.mesh = Mesh.get(ctx.getSystem());
    for (String path : plan.ports()) {
      spawn(path);
    }
    timers.startTimerWithFixedDelay(new Tick(), Duration.ofSeconds(1));
    if (plan.autoDetect()) {
      ctx.getSelf().tell(new Scan());
      timers.startTimerWithFixedDelay(new Scan(), plan.rescan());
    }
    timers.startSingleTimer(new NoRadioCheck(), plan.noRadioAfter());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Watch.class, w -> {
          radios.put(w.label(), new Radio(w.label(), w.device()));
          return this;
        })
        .onMessage(Tick.class, t -> {
          radios.values().forEach(r -> getContext().ask(Outcome.class, r.device, Duration.ofSeconds(3),
              (ActorRef<Outcome> reply) -> new DeviceActor.GetStatus(reply.unsafeUpcast().narrow()),
              (res, err) -> new StatusOf(r.label, err != null ? new Outcome.TimedOut<>(err.toString()) : cast(res))));
          return this;
        })
        .onMessage(StatusOf.class, this::onStatus)
        .onMessage(Scan.class, s -> scan())
        .onMessage(Probed.class, this::onProbed)
        .onMessage(NoRadioCheck.class, c -> {
          if (radios.values().stream().noneMatch(r -> r.connected)) {
            log.warn("No radio found (configured ports: {}; auto-detect: {}). This gateway is in "
                    + "the mesh without radios and keeps looking: plug a radio in (see `nowmesh ports`), or start "
                    + "it with --simulated-radio to try it without hardware.",
                plan.ports().isEmpty() ? "none" : String.join(", ", plan.ports()), plan.autoDetect() ? "on" : "off");
          }
          return this;
        })
        .build();
  }

  @SuppressWarnings("unchecked")
  private static Outcome<DeviceActor.Status> cast(Outcome<?> o) {
    return (Outcome<DeviceActor.Status>) o;
  }

  private Behavior<Command> onStatus(StatusOf s) {
    Radio r = radios.get(s.label());
    if (r == null) {
      return this;
    }
    boolean up = s.outcome() instanceof Outcome.Ok<DeviceActor.Status> ok && ok.value().connected();
    if (up && !r.connected) {
      DeviceActor.Status st = ((Outcome.Ok<DeviceActor.Status>) s.outcome()).value();
      r.mac = st.mac().orElse(r.mac);
      String fw = st.boot().map(b -> "firmware " + b.fwVersion() + ", channel " + b.channel()).orElse("");
      if (everSeen.add(r.mac)) {
        log.info("Radio found: {} on {} ({})", r.mac, r.label, fw);
      } else {
        log.info("Radio re-found: {} on {} after {} s ({})", r.mac, r.label,
            (System.nanoTime() - r.lostAtNanos) / 1_000_000_000L, fw);
      }
      r.connected = true;
      mesh.attach(new DeviceRadioPort(getContext().getSystem(), r.device, r.mac));
    } else if (!up && r.connected) {
      r.connected = false;
      r.lostAtNanos = System.nanoTime();
      log.warn("Radio lost: {} on {} ({}); reopening with backoff", r.mac, r.label,
          s.outcome() instanceof Outcome.Ok ? "link down" : s.outcome());
      mesh.detach(r.mac);
    }
    return this;
  }

  private Behavior<Command> scan() {
    for (SerialTransport.PortCandidate c : SerialTransport.candidates()) {
      String path = c.path();
      if (radios.containsKey(path) || notRadios.contains(path) || probing.contains(path)) {
        continue;
      }
      probing.add(path);
      CompletableFuture<RadioProbe.Result> f = CompletableFuture.supplyAsync(
          () -> RadioProbe.probe(new SerialTransport(path, plan.baud()), Duration.ofMillis(1500)), probes);
      getContext().pipeToSelf(f, (res, err) -> new Probed(path,
          err != null ? new RadioProbe.Result(java.util.Optional.empty(), err.toString()) : res));
    }
    return this;
  }

  private Behavior<Command> onProbed(Probed p) {
    probing.remove(p.path());
    if (!p.result().isRadio()) {
      notRadios.add(p.path()); // asked once; a non-radio is not bothered again until it is replugged
      log.info("Port {} is not a NowMesh radio, leaving it alone: {}", p.path(),
          PortsCommand.describe(p.result()));
      return this;
    }
    BootInfo boot = p.result().boot().get();
    // the same radio, lost on its old port name and back under a new one: move it
    radios.values().stream().filter(r -> !r.connected && boot.staMac().equals(r.mac)).toList().forEach(old -> {
      getContext().stop(old.device);
      radios.remove(old.label);
    });
    spawn(p.path());
    return this;
  }

  private void spawn(String path) {
    int baud = plan.baud();
    ActorRef<DeviceActor.Command> device = getContext().spawn(DeviceActor.create(() -> {
      SerialTransport t = new SerialTransport(path, baud);
      t.open();
      return t;
    }, deviceSettings, path), "radio-" + (++spawned));
    radios.put(path, new Radio(path, device));
  }
}
