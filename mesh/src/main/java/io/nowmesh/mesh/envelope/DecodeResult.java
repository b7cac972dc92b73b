package io.nowmesh.mesh.envelope;

/** What {@link EnvelopeCodec#decode} makes of a payload: an envelope, or the rule it broke. */
public sealed interface DecodeResult {

  record Decoded(Envelope envelope) implements DecodeResult {}

  record DecodeFailure(Reason reason, String detail) implements DecodeResult {}

  /** Why a payload is not a version-1 envelope. Any of these means "deliver it as raw". */
  enum Reason {
    /** Shorter than the fixed header (or the header plus ref / auth trailer). */
    TOO_SHORT,
    /** First byte is not the envelope magic 0xA7: plain ESP-NOW traffic. */
    NOT_AN_ENVELOPE,
    UNSUPPORTED_VERSION,
    UNKNOWN_TYPE,
    /** A flag bit version 1 reserves (2..7) is set. */
    RESERVED_FLAGS,
    /** The AUTH flag is set; the HMAC trailer is reserved for a later version. */
    AUTH_UNSUPPORTED,
    /** Longer than an ESP-NOW payload (250 bytes). */
    TOO_LONG
  }
}
