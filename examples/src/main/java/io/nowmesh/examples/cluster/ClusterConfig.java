package io.nowmesh.examples.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.util.List;

/**
 * Configuration for the ActorSystems the examples and the CLI start: a gateway or a client on a
 * given host and port, joining the given seeds. Everything else comes from the modules'
 * reference.conf files (and application.conf, if any).
 */
public final class ClusterConfig {
  /** Every NowMesh member's ActorSystem name; seeds are {@code akka://nowmesh@host:port}. */
  public static final String SYSTEM_NAME = "nowmesh";

  /** Cluster role of processes that own radios. */
  public static final String ROLE_GATEWAY = "gateway";
  /** Cluster role of processes that only talk to the mesh (send, listen, ping). */
  public static final String ROLE_CLIENT = "client";

  private ClusterConfig() {}

  /** {@code host:port} as a seed-node address. */
  public static String seedAddress(String hostPort) {
    return "akka://" + SYSTEM_NAME + "@" + hostPort;
  }

  /**
   * A member on {@code host:port} (0 = a free port) with {@code role}, joining {@code seeds}
   * (host:port each; empty means it is joined programmatically).
   */
  public static Config member(String host, int port, String role, List<String> seeds) {
    return ConfigFactory.empty()
        .withValue("akka.remote.artery.canonical.hostname", ConfigValueFactory.fromAnyRef(host))
        .withValue("akka.remote.artery.canonical.port", ConfigValueFactory.fromAnyRef(port))
        .withValue("akka.cluster.roles", ConfigValueFactory.fromIterable(List.of(role)))
        .withValue("akka.cluster.seed-nodes",
            ConfigValueFactory.fromIterable(seeds.stream().map(ClusterConfig::seedAddress).toList()));
  }

  /**
   * The akka settings a NowMesh member cannot run without. The mesh module's reference.conf sets
   * them too, but in a shaded jar all reference.conf files are concatenated and Akka's own defaults,
   * appended after, win (provider = local, java serialization on, no downing provider). Layered
   * above the merged defaults, these restore the mesh's choices.
   */
  public static Config essentials() {
    return ConfigFactory.parseString(String.join("\n",
        "akka.actor.provider = cluster",
        "akka.actor.allow-java-serialization = off",
        "akka.remote.artery.transport = tcp",
        "akka.cluster.downing-provider-class = \"akka.cluster.sbr.SplitBrainResolverProvider\"",
        "akka.cluster.split-brain-resolver.active-strategy = keep-majority"))
        .withFallback(dispatcherSizing());
  }

  /**
   * The mesh's default-dispatcher sizing (one thread per core, at least 2; see mesh reference.conf),
   * lost in a shaded jar like the essentials, but a tunable: an application.conf or -D setting wins.
   */
  private static Config dispatcherSizing() {
    String path = "akka.actor.default-dispatcher.fork-join-executor";
    Config user = ConfigFactory.defaultOverrides().withFallback(ConfigFactory.defaultApplication());
    if (user.hasPath(path)) {
      return ConfigFactory.empty();
    }
    return ConfigFactory.parseString(path + ".parallelism-min = 2\n" + path + ".parallelism-factor = 1.0");
  }

  /** {@code specific} over the essentials over every module's defaults (and application.conf). */
  public static Config load(Config specific) {
    return specific.withFallback(essentials()).withFallback(ConfigFactory.load()).resolve();
  }

  /**
   * Timings for several members in one process on loopback: quick gossip and failure detection,
   * so a demo or test mesh is ready in seconds rather than the production defaults' tens.
   */
  public static Config inProcess() {
    return ConfigFactory.parseString(String.join("\n",
        "akka.cluster.jmx.enabled = off",
        "akka.cluster.gossip-interval = 200ms",
        "akka.cluster.leader-actions-interval = 200ms",
        "akka.cluster.unreachable-nodes-reaper-interval = 250ms",
        "akka.cluster.failure-detector.heartbeat-interval = 250ms",
        "akka.cluster.failure-detector.acceptable-heartbeat-pause = 3s",
        "akka.cluster.failure-detector.expected-response-after = 500ms",
        "akka.cluster.split-brain-resolver.stable-after = 3s",
        "akka.cluster.distributed-data.gossip-interval = 200ms",
        "akka.cluster.distributed-data.notify-subscribers-interval = 50ms",
        "akka.cluster.typed.receptionist.distributed-data.gossip-interval = 200ms",
        "akka.cluster.typed.receptionist.distributed-data.notify-subscribers-interval = 50ms",
        // the process decides when to stop (summary first), not the JVM's shutdown hook
        "akka.coordinated-shutdown.run-by-jvm-shutdown-hook = off",
        "akka.coordinated-shutdown.exit-jvm = off",
        "akka.loglevel = WARNING",
        "akka.log-dead-letters = off",
        "akka.log-dead-letters-during-shutdown = off",
        "nowmesh.mesh.sighting-refresh = 1s"));
  }
}
