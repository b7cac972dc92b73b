package io.nowmesh.actors.device;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.actor.typed.receptionist.Receptionist;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.actors.link.BootInfo;
import io.nowmesh.actors.link.Transport;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Finds the radios on this host and runs one {@link DeviceActor} per radio. Ports come from a
 * {@link Discovery} (serial by default: configured paths and VID/PID candidates; simulated radios
 * in tests and the demo), rescanned periodically to notice hot-plug. A port is only a candidate
 * until {@link HelloProbe} gets a HELLO answer; ports that do not answer are left alone until they
 * disappear. A radio is identified by its MAC, not its port: when it comes back under another name,
 * the same DeviceActor (with its peer table) picks it up. Every radio is registered with the
 * Receptionist under {@link DeviceActor#SERVICE_KEY}.
 */
public final class DeviceManager {

  /** The current set of ports that may be radios, by name. Called on the blocking dispatcher. */
  @FunctionalInterface
  public interface Discovery {
    Map<String, Transport> scan() throws Exception;
  }

  public sealed interface Command {}

  public record GetRadios(ActorRef<Radios> replyTo) implements Command {}

  /** Scan now rather than at the next {@code rescan-interval}. */
  public record Rescan() implements Command {}

  public record Radios(Map<Mac, Radio> byMac) {
    public Radios {
      byMac = Map.copyOf(byMac);
    }
  }

  /** @param port where the radio is now, empty while it is unplugged */
  public record Radio(Mac mac, ActorRef<DeviceActor.Command> device, Optional<String> port, int channel) {}

  private record Scanned(Map<String, Transport> ports) implements Command {}

  private record ScanFailed(String reason) implements Command {}

  private record Probed(String port, Transport transport, BootInfo info) implements Command {}

  private record ProbeFailed(String port, String reason) implements Command {}

  private record DeviceStopped(Mac mac) implements Command {}

  private DeviceManager() {}

  /** Serial radios as configured under {@code nowmesh.device.manager}. */
  public static Behavior<Command> create(DeviceSettings settings) {
    return create(settings, new SerialDiscovery(settings));
  }

  public static Behavior<Command> create(DeviceSettings settings, Discovery discovery) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new State(ctx, timers, settings, discovery).start()));
  }

  private enum PortKind { PROBING, RADIO, REJECTED }

  private record PortState(PortKind kind, Optional<Mac> mac) {}

  private record Entry(ActorRef<DeviceActor.Command> device, AtomicReference<Transport> current, String port,
      int channel) {}

  private static final class State {
    private final ActorContext<Command> ctx;
    private final TimerScheduler<Command> timers;
    private final DeviceSettings settings;
    private final Discovery discovery;
    private final Executor blocking;
    private final Map<String, PortState> ports = new HashMap<>();
    private final Map<Mac, Entry> radios = new LinkedHashMap<>();
    private boolean scanning;

    State(ActorContext<Command> ctx, TimerScheduler<Command> timers, DeviceSettings settings, Discovery discovery) {
      this.ctx = ctx;
      this.timers = timers;
      this.settings = settings;
      this.discovery = discovery;
      this.blocking = ctx.getSystem().dispatchers().lookup(DispatcherSelector.fromConfig(settings.blockingDispatcher()));
    }

    Behavior<Command> start() {
      timers.startTimerWithFixedDelay(new Rescan(), settings.managerRescanInterval());
      scan();
      return Behaviors.receive(Command.class)
          .onMessage(Rescan.class, r -> {
            scan();
            return Behaviors.same();
          })
          .onMessage(Scanned.class, this::onScanned)
          .onMessage(ScanFailed.class, f -> {
            scanning = false;
            ctx.getLog().warn("port scan failed: {}", f.reason());
            return Behaviors.same();
          })
          .onMessage(Probed.class, this::onProbed)
          .onMessage(ProbeFailed.class, f -> {
            if (ports.containsKey(f.port())) {
              ports.put(f.port(), new PortState(PortKind.REJECTED, Optional.empty()));
              ctx.getLog().info("{} is not a NowMesh radio ({}); leaving it alone", f.port(), f.reason());
            }
            return Behaviors.same();
          })
          .onMessage(GetRadios.class, g -> {
            Map<Mac, Radio> out = new LinkedHashMap<>();
            radios.forEach((mac, e) -> out.put(mac, new Radio(mac, e.device(),
                Optional.ofNullable(e.current().get()).map(t -> e.port()), e.channel())));
            g.replyTo().tell(new Radios(out));
            return Behaviors.same();
          })
          .onMessage(DeviceStopped.class, s -> {
            radios.remove(s.mac());
            return Behaviors.same();
          })
          .build();
    }

    private void scan() {
      if (scanning) {
        return; // one scan at a time; enumeration can be slow
      }
      scanning = true;
      ctx.pipeToSelf(CompletableFuture.supplyAsync(() -> {
        try {
          return discovery.scan();
        } catch (Exception e) {
          throw new CompletionException(e);
        }
      }, blocking), (found, err) -> found != null ? new Scanned(found) : new ScanFailed(String.valueOf(err)));
    }

    private Behavior<Command> onScanned(Scanned s) {
      scanning = false;
      for (var it = ports.entrySet().iterator(); it.hasNext(); ) {
        var known = it.next();
        if (!s.ports().containsKey(known.getKey())) {
          it.remove();
          known.getValue().mac().ifPresent(mac -> unplugged(mac, known.getKey()));
        }
      }
      s.ports().forEach((name, transport) -> {
        if (!ports.containsKey(name)) {
          ports.put(name, new PortState(PortKind.PROBING, Optional.empty()));
          probe(name, transport);
        }
      });
      return Behaviors.same();
    }

    private void probe(String port, Transport transport) {
      ctx.pipeToSelf(CompletableFuture.supplyAsync(() -> {
        try {
          return HelloProbe.probe(transport, settings.helloTimeout());
        } catch (IOException e) {
          throw new CompletionException(e);
        }
      }, blocking), (info, err) -> info != null ? new Probed(port, transport, info)
          : new ProbeFailed(port, err.getCause() != null ? err.getCause().getMessage() : err.toString()));
    }

    private void unplugged(Mac mac, String port) {
      Entry e = radios.get(mac);
      if (e != null && port.equals(e.port())) {
        e.current().set(null);
        ctx.getLog().warn("radio {} disappeared from {}; its device actor waits for it to come back", mac, port);
      }
    }

    private Behavior<Command> onProbed(Probed p) {
      if (!ports.containsKey(p.port())) {
        return Behaviors.same(); // gone again while we probed
      }
      Mac mac = p.info().staMac();
      ports.put(p.port(), new PortState(PortKind.RADIO, Optional.of(mac)));
      Entry existing = radios.get(mac);
      if (existing != null) {
        existing.current().set(p.transport());
        radios.put(mac, new Entry(existing.device(), existing.current(), p.port(), p.info().channel()));
        ctx.getLog().info("radio {} is back, now on {}", mac, p.port());
        return Behaviors.same();
      }
      AtomicReference<Transport> current = new AtomicReference<>(p.transport());
      DeviceActor.TransportFactory factory = () -> {
        Transport t = current.get();
        if (t == null) {
          throw new IOException("radio " + mac + " is not plugged in");
        }
        t.open();
        return t;
      };
      // No supervision beyond the device's own: it never throws on link trouble (it reconnects),
      // so a failure here is a bug, and the default (stop) plus DeviceStopped makes it visible.
      ActorRef<DeviceActor.Command> device = ctx.spawn(
          DeviceActor.create(factory, settings, mac + " on " + p.port()), "radio-" + mac.toHex());
      ctx.watchWith(device, new DeviceStopped(mac));
      ctx.getSystem().receptionist().tell(Receptionist.register(DeviceActor.SERVICE_KEY, device));
      radios.put(mac, new Entry(device, current, p.port(), p.info().channel()));
      ctx.getLog().info("radio {} found on {} (channel {}, fw '{}')", mac, p.port(), p.info().channel(),
          p.info().fwVersion());
      warnOnChannelMismatch();
      return Behaviors.same();
    }

    private void warnOnChannelMismatch() {
      Map<Integer, java.util.List<Mac>> byChannel = new java.util.TreeMap<>();
      radios.forEach((mac, e) -> byChannel.computeIfAbsent(e.channel(), c -> new java.util.ArrayList<>()).add(mac));
      if (byChannel.size() > 1) {
        ctx.getLog().warn("this gateway's radios are on different Wi-Fi channels {}: ESP-NOW only works between "
            + "radios on the same channel, so they cannot reach the same nodes", byChannel);
      }
    }
  }
}
