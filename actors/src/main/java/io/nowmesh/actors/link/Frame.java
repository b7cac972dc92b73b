package io.nowmesh.actors.link;

import java.util.Arrays;

/**
 * One protocol frame before message decoding: {@code ver type seq payload} (docs/protocol.md §1).
 * {@link #toWire()} produces {@code COBS(body) 0x00} with the CRC-32C appended to the body.
 *
 * @param version protocol version byte (1 for protocol v1)
 * @param type    frame type code (command, reply or event)
 * @param seq     16-bit sequence number
 * @param payload the type-specific payload; not copied, callers must not mutate it after construction
 */
public record Frame(int version, int type, int seq, byte[] payload) {
  public static final int VERSION = 1;
  /** Largest decoded body: header + payload + crc. */
  public static final int MAX_BODY = 1024;
  /** ver, type, seq. */
  public static final int HEADER_LEN = 4;
  public static final int CRC_LEN = 4;
  public static final int MIN_BODY = HEADER_LEN + CRC_LEN;
  public static final int MAX_PAYLOAD = MAX_BODY - MIN_BODY;
  /** Longest run of bytes without a delimiter that a decoder accepts (rule 2 of §1). */
  public static final int MAX_ENCODED = MAX_BODY + MAX_BODY / 254 + 2;

  /** Where {@link #toWire()} puts the body in its scratch buffer: room for in-place COBS (see Cobs#encode). */
  private static final int SCRATCH_BODY_AT = 1 + MAX_BODY / 254;
  /** Per-thread buffer for {@link #toWire()}; any thread may encode. */
  private static final ThreadLocal<byte[]> SCRATCH =
      ThreadLocal.withInitial(() -> new byte[SCRATCH_BODY_AT + MAX_BODY]);

  public Frame {
    if (version < 0 || version > 0xFF || type < 0 || type > 0xFF || seq < 0 || seq > 0xFFFF) {
      throw new IllegalArgumentException("version/type must be u8 and seq u16: " + version + "/" + type + "/" + seq);
    }
    if (payload == null || payload.length > MAX_PAYLOAD) {
      throw new IllegalArgumentException("payload must be 0.." + MAX_PAYLOAD + " bytes, got "
          + (payload == null ? "null" : payload.length));
    }
  }

  public static Frame of(int type, int seq, byte[] payload) {
    return new Frame(VERSION, type, seq, payload);
  }

  /** The body without COBS: header, payload, CRC-32C little-endian. */
  public byte[] body() {
    byte[] body = new byte[HEADER_LEN + payload.length + CRC_LEN];
    writeBody(body, 0);
    return body;
  }

  /** Writes the body into {@code buf} from index {@code at} and returns its length. */
  private int writeBody(byte[] buf, int at) {
    buf[at] = (byte) version;
    buf[at + 1] = (byte) type;
    buf[at + 2] = (byte) seq;
    buf[at + 3] = (byte) (seq >>> 8);
    System.arraycopy(payload, 0, buf, at + HEADER_LEN, payload.length);
    int crcAt = at + HEADER_LEN + payload.length;
    int crc = Crc32c.compute(buf, at, crcAt - at);
    buf[crcAt] = (byte) crc;
    buf[crcAt + 1] = (byte) (crc >>> 8);
    buf[crcAt + 2] = (byte) (crc >>> 16);
    buf[crcAt + 3] = (byte) (crc >>> 24);
    return crcAt + CRC_LEN - at;
  }

  /**
   * The bytes to write to the serial line: {@code COBS(body) 0x00}, in an array of exactly that
   * length. The body is assembled in a per-thread scratch buffer and COBS-encoded in place there, so
   * the wire array is the only allocation and the body is scanned for zeros once.
   */
  public byte[] toWire() {
    byte[] buf = SCRATCH.get();
    int n = writeBody(buf, SCRATCH_BODY_AT);
    int m = Cobs.encode(buf, SCRATCH_BODY_AT, n, buf, 0);
    byte[] out = Arrays.copyOf(buf, m + 1);
    out[m] = 0;
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Frame f && f.version == version && f.type == type && f.seq == seq
        && Arrays.equals(f.payload, payload);
  }

  @Override
  public int hashCode() {
    return ((version * 31 + type) * 31 + seq) * 31 + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return String.format("Frame[ver=%d, type=0x%02X, seq=%d, payload=%d bytes]", version, type, seq, payload.length);
  }
}
