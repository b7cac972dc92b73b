package io.nowmesh.mesh;

/**
 * What a gateway counts about the air it hears (see {@link Mesh#counters()}): diagnostics for hostile
 * or broken traffic, and for the re-airing rule. Counts are per gateway, since it started.
 */
public enum GatewayCounter {
  /** Frames a radio of this gateway heard from other stations (before any check). */
  FRAMES_HEARD,
  /** Frames dropped because their radio-level source exceeded its token bucket (rate-limit). */
  RATE_LIMITED,
  /** Frames that start with the envelope magic but break a rule (truncated, bad version/type/flags); delivered as raw. */
  MALFORMED,
  /** Plain (non-envelope) frames, delivered as raw. */
  RAW,
  /** Envelopes whose hop limit exceeded {@code max-hops}; re-aired as if they carried {@code max-hops}. */
  HOPS_CLAMPED,
  /**
   * Frames this gateway's radios heard that it published to the cluster's subscribers (a broadcast or
   * group envelope once per gateway whose radio heard the node itself; inboxes drop the extra copies).
   */
  PUBLISHED,
  /** Node broadcast/group envelopes this gateway re-aired. */
  REAIRED,
  /** Node envelopes learned second-hand and held for {@code reair-grace} before re-airing. */
  REAIRS_HELD,
  /** Re-airs cancelled because this gateway's radio heard the node's original within {@code reair-grace}. */
  REAIRS_CANCELLED,
  /** With a mesh key: broadcast/group envelopes without the AUTH trailer, dropped. */
  AUTH_MISSING,
  /** With a mesh key: envelopes whose tag does not verify (forged, or altered in flight), dropped. */
  AUTH_FORGED,
  /** With a mesh key: envelopes whose counter was seen before or fell behind the replay window, dropped. */
  AUTH_REPLAYED,
  /** Frames whose handling failed unexpectedly (a bug, logged); the gateway carries on. */
  FRAME_ERRORS
}
