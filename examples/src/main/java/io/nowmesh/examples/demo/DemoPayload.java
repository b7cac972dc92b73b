package io.nowmesh.examples.demo;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The demo's message body (17 bytes): magic "NM", flow, sender, sequence number and the send time
 * (System.nanoTime: every party is in this one process, so one clock measures latency).
 */
public record DemoPayload(Flow flow, int sender, int seq, long sentNanos) {
  private static final short MAGIC = 0x4E4D;
  public static final int LENGTH = 17;

  public byte[] encode() {
    return ByteBuffer.allocate(LENGTH).putShort(MAGIC).put((byte) flow.ordinal()).putShort((short) sender)
        .putInt(seq).putLong(sentNanos).array();
  }

  /** Identifies the message across receivers. */
  public String key() {
    return flow.ordinal() + ":" + sender + ":" + seq;
  }

  /** The payload, or empty for anything else on the air (beacons, other applications). */
  public static Optional<DemoPayload> decode(byte[] b) {
    if (b.length != LENGTH) {
      return Optional.empty();
    }
    ByteBuffer in = ByteBuffer.wrap(b);
    if (in.getShort() != MAGIC) {
      return Optional.empty();
    }
    int flow = in.get();
    if (flow < 0 || flow >= Flow.values().length) {
      return Optional.empty();
    }
    return Optional.of(new DemoPayload(Flow.values()[flow], in.getShort() & 0xFFFF, in.getInt(), in.getLong()));
  }
}
