package io.nowmesh.actors.reliability;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.OptionalInt;
import java.util.Random;

/**
 * Self-checking test payloads: {@code tag:u8 id:u32 body}, where the length and the body are a
 * function of (tag, id). A receiver can tell, without any shared state, whether a payload is exactly
 * one that was sent, and which one: any corruption (of the id, the length or the body) makes the
 * regenerated payload differ.
 */
final class Payloads {
  static final byte HOST_TO_NODE = 'H';
  static final byte NODE_TO_HOST = 'N';
  static final byte CLEAN = 'C';

  private Payloads() {}

  /** 5..250 bytes, different lengths for different ids. */
  static byte[] make(byte tag, int id) {
    int len = 5 + (int) ((id * 7919L) % 246);
    byte[] b = new byte[len];
    b[0] = tag;
    ByteBuffer.wrap(b, 1, 4).putInt(id);
    byte[] body = new byte[len - 5];
    new Random(((long) tag << 40) ^ (id * 0x9E3779B97F4A7C15L)).nextBytes(body);
    System.arraycopy(body, 0, b, 5, body.length);
    return b;
  }

  /** The id of a payload that is exactly {@code make(tag, id)}, or empty if it is not one. */
  static OptionalInt check(byte tag, byte[] data) {
    if (data.length < 5 || data[0] != tag) {
      return OptionalInt.empty();
    }
    int id = ByteBuffer.wrap(data, 1, 4).getInt();
    return id >= 0 && Arrays.equals(make(tag, id), data) ? OptionalInt.of(id) : OptionalInt.empty();
  }
}
