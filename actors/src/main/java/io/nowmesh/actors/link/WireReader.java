package io.nowmesh.actors.link;

import io.nowmesh.actors.espnow.EspNowError;
import io.nowmesh.actors.espnow.EspNowException;
import io.nowmesh.actors.espnow.Mac;
import java.nio.charset.StandardCharsets;

/** Reads little-endian fields from a payload; running short is a {@code BAD_LENGTH} error. */
final class WireReader {
  private final byte[] buf;
  private int pos;
  private final String what;

  WireReader(byte[] buf, String what) {
    this.buf = buf;
    this.what = what;
  }

  int remaining() {
    return buf.length - pos;
  }

  private void need(int n) {
    if (buf.length - pos < n) {
      throw new EspNowException(EspNowError.BAD_LENGTH,
          what + ": payload too short (" + buf.length + " bytes)");
    }
  }

  int u8() {
    need(1);
    return buf[pos++] & 0xFF;
  }

  int i8() {
    need(1);
    return buf[pos++];
  }

  int u16() {
    need(2);
    int v = (buf[pos] & 0xFF) | (buf[pos + 1] & 0xFF) << 8;
    pos += 2;
    return v;
  }

  int i32() {
    need(4);
    int v = (buf[pos] & 0xFF) | (buf[pos + 1] & 0xFF) << 8 | (buf[pos + 2] & 0xFF) << 16 | (buf[pos + 3] & 0xFF) << 24;
    pos += 4;
    return v;
  }

  long u32() {
    return i32() & 0xFFFF_FFFFL;
  }

  Mac mac() {
    need(6);
    Mac m = Mac.of(buf, pos);
    pos += 6;
    return m;
  }

  byte[] bytes(int n) {
    need(n);
    byte[] b = java.util.Arrays.copyOfRange(buf, pos, pos + n);
    pos += n;
    return b;
  }

  /** The remaining bytes as a window on the payload: a frame's payload is never written again. */
  Bytes rest() {
    Bytes b = Bytes.wrap(buf, pos, buf.length - pos);
    pos = buf.length;
    return b;
  }

  String restUtf8() {
    String s = new String(buf, pos, buf.length - pos, StandardCharsets.UTF_8);
    pos = buf.length;
    return s;
  }

  String utf8(int n) {
    need(n);
    String s = new String(buf, pos, n, StandardCharsets.UTF_8);
    pos += n;
    return s;
  }

  /** Fixed-layout payloads must not carry extra bytes. */
  void end() {
    if (pos != buf.length) {
      throw new EspNowException(EspNowError.BAD_LENGTH,
          what + ": " + (buf.length - pos) + " unexpected trailing bytes");
    }
  }
}
