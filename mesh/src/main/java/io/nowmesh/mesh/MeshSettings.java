package io.nowmesh.mesh;

import com.typesafe.config.Config;
import io.nowmesh.mesh.auth.MeshKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

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
    Duration deviceSendTimeout,
    Optional<MeshKey> authKey,
    boolean authRequire,
    int authMaxOrigins) {

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
        c.getDuration("device-send-timeout"),
        authKey(c.getConfig("auth")),
        c.getBoolean("auth.require"),
        c.getInt("auth.max-origins"));
  }

  /** key-file wins over key (each may come from the environment, see reference.conf); empty: auth off. */
  private static Optional<MeshKey> authKey(Config auth) {
    String file = auth.getString("key-file");
    if (!file.isBlank()) {
      try {
        return Optional.of(MeshKey.fromHex(Files.readString(Path.of(file), StandardCharsets.US_ASCII)));
      } catch (IOException e) {
        throw new IllegalArgumentException("nowmesh.mesh.auth.key-file: cannot read " + file + ": " + e.getMessage(), e);
      }
    }
    String hex = auth.getString("key");
    return hex.isBlank() ? Optional.empty() : Optional.of(MeshKey.fromHex(hex));
  }
}
