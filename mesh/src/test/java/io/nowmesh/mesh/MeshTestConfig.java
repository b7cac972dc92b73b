package io.nowmesh.mesh;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/** Cluster settings tuned for fast, reliable multi-gateway tests on a loaded 2-core machine. */
final class MeshTestConfig {
  private MeshTestConfig() {}

  /** Loopback, a free port, short gossip and failure detection; {@code crashOnTerminate}: no graceful leave. */
  static Config gateway(boolean crashOnTerminate) {
    return ConfigFactory.parseString(String.join("\n",
            "akka.remote.artery.canonical.port = 0",
            "akka.cluster.jmx.enabled = off",
            "akka.cluster.gossip-interval = 200ms",
            "akka.cluster.leader-actions-interval = 200ms",
            "akka.cluster.unreachable-nodes-reaper-interval = 250ms",
            "akka.cluster.failure-detector.heartbeat-interval = 250ms",
            // heartbeats were seen 1.5 s late on a loaded 2-core box: 3 s keeps healthy gateways reachable
            "akka.cluster.failure-detector.acceptable-heartbeat-pause = 3s",
            "akka.cluster.failure-detector.expected-response-after = 500ms",
            "akka.cluster.split-brain-resolver.stable-after = 3s",
            // a loaded CI core makes heartbeats flap; "down all when unstable" would then down the whole test cluster
            "akka.cluster.split-brain-resolver.down-all-when-unstable = off",
            "akka.cluster.distributed-data.gossip-interval = 200ms",
            "akka.cluster.distributed-data.notify-subscribers-interval = 50ms",
            "akka.cluster.typed.receptionist.distributed-data.gossip-interval = 200ms",
            "akka.cluster.typed.receptionist.distributed-data.notify-subscribers-interval = 50ms",
            "akka.coordinated-shutdown.run-by-actor-system-terminate = " + (crashOnTerminate ? "off" : "on"),
            "akka.coordinated-shutdown.terminate-actor-system = on",
            "akka.loglevel = WARNING",
            "nowmesh.mesh.attempt-timeout = 1500ms",
            "nowmesh.mesh.e2e-ack-timeout = 400ms",
            "nowmesh.mesh.e2e-ack-retries = 1",
            "nowmesh.mesh.sighting-refresh = 1s"))
        .withFallback(ConfigFactory.load());
  }
}
