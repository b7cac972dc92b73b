package io.nowmesh.mesh;

import com.typesafe.config.Config;
import java.time.Duration;

/** The {@code nowmesh.mesh} section of the configuration, read once (see reference.conf). */
public record MeshSettings(
    int defaultHops,
    Duration attemptTimeout,
    Duration e2eAckTimeout,
    int e2eAckRetries,
    Duration requestTimeout,
    Duration routeTtl,
    Duration sightingRefresh,
    int sightingRssiDelta,
    double recencyPenaltyDbPerSecond,
    Duration dedupWindow,
    int dedupCapacity,
    Duration rawDedupWindow,
    boolean attachLocalDevices,
    Duration deviceSendTimeout) {

  public static MeshSettings from(Config root) {
    Config c = root.getConfig("nowmesh.mesh");
    return new MeshSettings(
        c.getInt("default-hops"),
        c.getDuration("attempt-timeout"),
        c.getDuration("e2e-ack-timeout"),
        c.getInt("e2e-ack-retries"),
        c.getDuration("request-timeout"),
        c.getDuration("route-ttl"),
        c.getDuration("sighting-refresh"),
        c.getInt("sighting-rssi-delta"),
        c.getDouble("recency-penalty-db-per-second"),
        c.getDuration("dedup-window"),
        c.getInt("dedup-capacity"),
        c.getDuration("raw-dedup-window"),
        c.getBoolean("attach-local-devices"),
        c.getDuration("device-send-timeout"));
  }
}
