package io.nowmesh.actors.link;

import io.nowmesh.actors.espnow.Key;
import io.nowmesh.actors.espnow.Mac;
import java.util.Arrays;

/** Appends little-endian fields to a growing payload buffer. */
final class WireWriter {
  private byte[] buf;
  private int len;

  WireWriter(int capacity) {
    buf = new byte[Math.max(capacity, 8)];
  }

  private void room(int n) {
    if (len + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
    }
  }

  WireWriter u8(int v) {
    room(1);
    buf[len++] = (byte) v;
    return this;
  }

  WireWriter u16(int v) {
    room(2);
    buf[len++] = (byte) v;
    buf[len++] = (byte) (v >>> 8);
    return this;
  }

  WireWriter i32(int v) {
    room(4);
    buf[len++] = (byte) v;
    buf[len++] = (byte) (v >>> 8);
    buf[len++] = (byte) (v >>> 16);
    buf[len++] = (byte) (v >>> 24);
    return this;
  }

  WireWriter u32(long v) {
    return i32((int) v);
  }

  WireWriter mac(Mac m) {
    room(6);
    m.writeTo(buf, len);
    len += 6;
    return this;
  }

  WireWriter key(Key k) {
    room(16);
    k.writeTo(buf, len);
    len += 16;
    return this;
  }

  WireWriter bytes(Bytes b) {
    room(b.length());
    b.writeTo(buf, len);
    len += b.length();
    return this;
  }

  WireWriter bytes(byte[] b) {
    room(b.length);
    System.arraycopy(b, 0, buf, len, b.length);
    len += b.length;
    return this;
  }

  byte[] toArray() {
    return len == buf.length ? buf : Arrays.copyOf(buf, len);
  }
}
