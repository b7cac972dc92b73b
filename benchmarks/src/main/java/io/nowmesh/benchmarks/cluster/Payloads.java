package io.nowmesh.benchmarks.cluster;

import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.mesh.envelope.Envelope;
import io.nowmesh.mesh.envelope.EnvelopeCodec;
import io.nowmesh.mesh.envelope.MessageType;
import java.nio.ByteBuffer;

/**
 * The benchmark's traffic: a node's broadcast DATA envelope filling the whole 250-byte ESP-NOW
 * payload, whose application bytes start with the intended send time (System.nanoTime, which on
 * Linux is CLOCK_MONOTONIC and so comparable between processes of one machine) and a sequence number.
 */
final class Payloads {
  static final int ROOM = EnvelopeCodec.room(MessageType.DATA);
  static final int HOPS = 2;

  private Payloads() {}

  static Mac node(int i) {
    return Mac.ofLong(0x02_4E_42_00_00_00L | i); // locally administered unicast
  }

  static byte[] broadcast(Mac node, long id, long sentNanos, long seq) {
    byte[] app = new byte[ROOM];
    ByteBuffer.wrap(app).putLong(sentNanos).putLong(seq);
    return EnvelopeCodec.encode(Envelope.data(node, id & 0xFFFF_FFFFL, Mac.BROADCAST, HOPS, false, app));
  }

  /** The send time inside an application payload (the envelope's payload, or the whole frame for MQTT). */
  static long sentNanos(byte[] app, int offset) {
    return ByteBuffer.wrap(app, offset, 8).getLong();
  }
}
