package io.nowmesh.mesh;

import com.typesafe.config.Config;
import java.time.Duration;

/** The {@code nowmesh.mesh} section of the configuration, read once (see reference.conf). */
public record MeshSettings(
    int defaultHops,
    int maxHops,
    double rateLimitPerSecond,
    int rateLimitBurst,
    int rateLimitMaxSources,
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
    Duration reairGrace,
    boolean attachLocalDevices,
    Duration deviceSendTimeout) {

  public static MeshSettings from(Config root) {
    Config c = root.getConfig("nowmesh.mesh");
    int defaultHops = c.getInt("default-hops");
    int maxHops = c.getInt("max-hops");
    if (maxHops < 0 || maxHops > 255 || defaultHops < 0 || defaultHops > maxHops) {
      throw new IllegalArgumentException("nowmesh.mesh: need 0 <= default-hops <= max-hops <= 255, got default-hops = "
          + defaultHops + ", max-hops = " + maxHops);
    }
    return new MeshSettings(
        defaultHops,
        maxHops,
        c.getDouble("rate-limit.per-second"),
        c.getInt("rate-limit.burst"),
        c.getInt("rate-limit.max-sources"),
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
        c.getDuration("reair-grace"),
        c.getBoolean("attach-local-devices"),
        c.getDuration("device-send-timeout"));
  }
}
