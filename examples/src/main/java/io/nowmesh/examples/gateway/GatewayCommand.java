package io.nowmesh.examples.gateway;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import io.nowmesh.actors.device.DeviceManager;
import io.nowmesh.actors.device.DeviceSettings;
import io.nowmesh.examples.cli.NowMeshCli;
import io.nowmesh.examples.cluster.ClusterConfig;
import io.nowmesh.mesh.Mesh;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code nowmesh gateway}: the production process of one gateway host. */
@Command(name = "gateway", mixinStandardHelpOptions = true,
    header = "Run this host's gateway: join the mesh, drive its radios.",
    description = {"Runs this host's gateway: joins the mesh (an Akka cluster) through the configured seeds,",
        "opens the configured radios and finds others on USB (only ports that answer HELLO are used),",
        "and logs a line for every radio found, lost and re-found. Stops on Ctrl-C or SIGTERM, leaving",
        "the cluster gracefully. See examples/config/gateway.conf and docs/deploy.md."},
    footer = {"", "Examples:", "  nowmesh gateway --config /etc/nowmesh/gateway.conf",
        "  nowmesh gateway --config examples/config/gateway.conf --simulated-radio"})
public final class GatewayCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(GatewayCommand.class);

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "The gateway's HOCON configuration.")
  Path config;

  @Option(names = "--simulated-radio", description = "Run on a simulated radio (with three simulated nodes) "
      + "in addition to any real one: to try a gateway without hardware.")
  boolean simulatedRadio;

  /** Completed to stop; defaults to Ctrl-C/SIGTERM (tests set their own). */
  CompletableFuture<?> stop;

  /** The simulated radio and nodes, with --simulated-radio (tests unplug it). */
  SimulatedSite site;

  /** Completed with the ActorSystem once started (tests). */
  final CompletableFuture<ActorSystem<Void>> started = new CompletableFuture<>();

  @Override
  public Integer call() throws Exception {
    GatewaySettings settings = GatewaySettings.load(config);
    CompletableFuture<?> stopSignal = stop != null ? stop : io.nowmesh.examples.cli.NowMeshCli.interrupts();
    log.info("NowMesh gateway: cluster member {}:{}, seeds {}, radios {}{}, {} baud", settings.host(), settings.port(),
        settings.seeds().isEmpty() ? "none (joining itself: a new mesh)" : settings.seeds(),
        settings.ports().isEmpty() ? "" : settings.ports() + " ",
        settings.autoDetect() ? "auto-detect on" : "auto-detect off", settings.baud());
    SimulatedSite site = simulatedRadio ? new SimulatedSite(settings.port()) : null;
    this.site = site;
    String lookedAt = "configured ports: " + (settings.ports().isEmpty() ? "none" : String.join(", ", settings.ports()))
        + "; auto-detect " + (settings.autoDetect() ? "on" : "off");
    ActorSystem<Void> system = ActorSystem.create(Behaviors.setup(ctx -> {
      Mesh.get(ctx.getSystem()); // attaches every radio the managers register, detaches those that go
      DeviceSettings devices = DeviceSettings.from(ctx.getSystem().settings().config());
      List<ActorRef<DeviceManager.Command>> managers = new ArrayList<>();
      if (!settings.ports().isEmpty() || settings.autoDetect()) {
        managers.add(ctx.spawn(DeviceManager.create(devices), "radios"));
      }
      if (site != null) {
        managers.add(ctx.spawn(DeviceManager.create(devices, site::scan), "simulated-radios"));
        log.info("Simulated radio {} with nodes {} (as asked by --simulated-radio)", site.radioMac(), site.nodeMacs());
      }
      ctx.spawn(NoRadioNotice.create(managers, Duration.ofSeconds(5), lookedAt), "no-radio-notice");
      return Behaviors.empty();
    }), ClusterConfig.SYSTEM_NAME, settings.full());
    akka.cluster.Cluster.get(system.classicSystem()).registerOnMemberUp(() -> log.info(
        "Joined the mesh as {} ({} members up)", akka.cluster.Cluster.get(system.classicSystem()).selfAddress(),
        akka.cluster.Cluster.get(system.classicSystem()).state().members().size()));
    if (settings.seeds().isEmpty()) {
      akka.cluster.typed.Cluster c = akka.cluster.typed.Cluster.get(system);
      c.manager().tell(akka.cluster.typed.Join.create(c.selfMember().address()));
    }
    started.complete(system);
    try {
      CompletableFuture.anyOf(stopSignal, system.getWhenTerminated().toCompletableFuture()).get();
    } finally {
      log.info("Gateway stopping: leaving the cluster");
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
      if (site != null) {
        site.close();
      }
    }
    return 0;
  }
}
