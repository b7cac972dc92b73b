package io.nowmesh.mesh.gateway;

import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.mesh.GatewayCounter;
import io.nowmesh.mesh.MeshSettings;
import io.nowmesh.mesh.auth.MeshAuth;
import io.nowmesh.mesh.auth.ReplayWindow;
import io.nowmesh.mesh.envelope.Envelope;

/**
 * The gateway's defences against hostile air (docs/mesh.md sections 1a and 4a): per-source rate
 * limit, AUTH tag and replay checks, hop-limit accounting, sealing of what the gateway originates.
 * Each refusal is counted. Not thread-safe: owned by the gateway actor.
 */
final class AirGuard {
  private final MeshSettings settings;
  private final Counters counters;
  private final SourceRateLimiter limiter;
  /** Null without a mesh key. */
  private final MeshAuth auth;
  private final ReplayWindow replays;
  private long authCounter = 1;

  AirGuard(MeshSettings settings, Counters counters) {
    this.settings = settings;
    this.counters = counters;
    this.limiter = new SourceRateLimiter(settings.rateLimitPerSecond(), settings.rateLimitBurst(),
        settings.rateLimitMaxSources());
    this.auth = settings.authKey().map(MeshAuth::new).orElse(null);
    this.replays = new ReplayWindow(settings.authMaxOrigins());
  }

  /** Counts the frame; false (counted RATE_LIMITED, not logged: a flood would flood the log too) over the source's rate. */
  boolean admit(Mac source) {
    counters.inc(GatewayCounter.FRAMES_HEARD);
    if (limiter.tryAcquire(source, System.nanoTime())) {
      return true;
    }
    counters.inc(GatewayCounter.RATE_LIMITED);
    return false;
  }

  /** False (counted) for a forged/altered tag, or a broadcast/group envelope missing a required tag. */
  boolean authentic(Envelope e) {
    if (auth != null && e.authenticated() && !auth.verify(e)) {
      counters.inc(GatewayCounter.AUTH_FORGED);
      return false;
    }
    if (auth != null && !e.authenticated() && settings.authRequire() && (e.isBroadcast() || e.isGroup())) {
      counters.inc(GatewayCounter.AUTH_MISSING);
      return false;
    }
    if (e.hops() > settings.maxHops()) {
      counters.inc(GatewayCounter.HOPS_CLAMPED); // accepted; re-aired with max-hops at most
    }
    return true;
  }

  /** For a message new to the dedup window: false (counted) if its AUTH counter was seen before. */
  boolean fresh(Envelope e) {
    if (auth != null && e.authenticated() && !replays.accept(e.origin(), e.authCounter())) {
      counters.inc(GatewayCounter.AUTH_REPLAYED);
      return false;
    }
    return true;
  }

  /** {@code e} with this gateway's AUTH trailer, or unchanged without a mesh key. */
  Envelope seal(Envelope e) {
    if (auth == null) {
      return e;
    }
    Envelope sealed = auth.seal(e, authCounter);
    authCounter = (authCounter + 1) & 0xFFFF_FFFFL;
    return sealed;
  }
}
