package io.nowmesh.mesh.envelope;

import io.nowmesh.actors.espnow.Limits;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.mesh.envelope.DecodeResult.DecodeFailure;
import io.nowmesh.mesh.envelope.DecodeResult.Reason;

/**
 * Encodes and decodes the version-1 mesh envelope (docs/mesh.md). Stateless and thread-safe.
 * {@link #decode} never throws: any byte array yields a {@link DecodeResult}.
 */
public final class EnvelopeCodec {
  public static final int MAGIC = 0xA7;
  public static final int VERSION = 1;
  public static final int HEADER_LEN = 20;
  public static final int REF_LEN = 4;
  /** Reserved for issue 8: a u32 counter and an 8-byte truncated HMAC at the end of the frame. */
  public static final int AUTH_TRAILER_LEN = 12;
  public static final int FLAG_ACK_REQ = 0x01;
  public static final int FLAG_AUTH = 0x02;
  private static final int RESERVED_FLAGS = 0xFC;

  private EnvelopeCodec() {}

  /** Payload bytes left for an envelope of this type (230 for DATA/REQUEST, 226 for ACK/RESPONSE). */
  public static int room(MessageType type) {
    return Limits.MAX_DATA_LEN - HEADER_LEN - (type.hasRef() ? REF_LEN : 0);
  }

  public static byte[] encode(Envelope e) {
    int refLen = e.type().hasRef() ? REF_LEN : 0;
    byte[] out = new byte[HEADER_LEN + refLen + e.payloadLength()];
    out[0] = (byte) MAGIC;
    out[1] = (byte) ((VERSION << 4) | e.type().code());
    out[2] = (byte) (e.ackRequested() ? FLAG_ACK_REQ : 0);
    out[3] = (byte) e.hops();
    e.origin().writeTo(out, 4);
    putU32(out, 10, e.messageId());
    e.destination().writeTo(out, 14);
    if (refLen > 0) {
      putU32(out, HEADER_LEN, e.ref());
    }
    byte[] payload = e.payload();
    System.arraycopy(payload, 0, out, HEADER_LEN + refLen, payload.length);
    return out;
  }

  /** True if the frame claims to be an envelope (magic byte), whether or not it is a valid one. */
  public static boolean looksLikeEnvelope(byte[] frame) {
    return frame != null && frame.length > 0 && (frame[0] & 0xFF) == MAGIC;
  }

  public static DecodeResult decode(byte[] frame) {
    if (frame == null || frame.length == 0) {
      return fail(Reason.TOO_SHORT, "empty frame");
    }
    if ((frame[0] & 0xFF) != MAGIC) {
      return fail(Reason.NOT_AN_ENVELOPE, String.format("first byte 0x%02x is not the magic 0xa7", frame[0] & 0xFF));
    }
    if (frame.length > Limits.MAX_DATA_LEN) {
      return fail(Reason.TOO_LONG, "an ESP-NOW payload is at most " + Limits.MAX_DATA_LEN + " bytes, got " + frame.length);
    }
    if (frame.length < 2) {
      return fail(Reason.TOO_SHORT, "no version/type byte");
    }
    int version = (frame[1] & 0xF0) >>> 4;
    if (version != VERSION) {
      return fail(Reason.UNSUPPORTED_VERSION, "envelope version " + version + ", this codec speaks " + VERSION);
    }
    MessageType type = MessageType.fromCode(frame[1] & 0x0F);
    if (type == null) {
      return fail(Reason.UNKNOWN_TYPE, "message type " + (frame[1] & 0x0F) + " is not defined in version 1");
    }
    int refLen = type.hasRef() ? REF_LEN : 0;
    if (frame.length < HEADER_LEN + refLen) {
      return fail(Reason.TOO_SHORT, "a " + type + " envelope needs " + (HEADER_LEN + refLen) + " bytes, got " + frame.length);
    }
    int flags = frame[2] & 0xFF;
    if ((flags & RESERVED_FLAGS) != 0) {
      return fail(Reason.RESERVED_FLAGS, String.format("flags 0x%02x set reserved bits 2..7", flags));
    }
    if ((flags & FLAG_AUTH) != 0) {
      return fail(Reason.AUTH_UNSUPPORTED, "the AUTH trailer is reserved and not accepted by version 1");
    }
    int hops = frame[3] & 0xFF;
    Mac origin = Mac.of(frame, 4);
    long id = getU32(frame, 10);
    Mac dest = Mac.of(frame, 14);
    long ref = refLen > 0 ? getU32(frame, HEADER_LEN) : 0;
    int start = HEADER_LEN + refLen;
    byte[] payload = new byte[frame.length - start];
    System.arraycopy(frame, start, payload, 0, payload.length);
    return new DecodeResult.Decoded(
        new Envelope(type, (flags & FLAG_ACK_REQ) != 0, hops, origin, id, dest, ref, payload));
  }

  private static DecodeFailure fail(Reason reason, String detail) {
    return new DecodeFailure(reason, reason + ": " + detail);
  }

  private static void putU32(byte[] b, int off, long v) {
    b[off] = (byte) (v >>> 24);
    b[off + 1] = (byte) (v >>> 16);
    b[off + 2] = (byte) (v >>> 8);
    b[off + 3] = (byte) v;
  }

  private static long getU32(byte[] b, int off) {
    return ((long) (b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
  }
}
