package io.nowmesh.actors.link;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An immutable byte string (a message payload). Exists so that records holding payloads get a
 * value-based {@code equals}/{@code hashCode} and a readable {@code toString}, which raw
 * {@code byte[]} fields would not have.
 *
 * <p>It may be a window on a larger array: the message decoder hands out the data of a received
 * frame without copying it a second time. The array is never written after construction and never
 * leaves this class, so a window is as immutable as a copy.
 */
public final class Bytes {
  public static final Bytes EMPTY = new Bytes(new byte[0], 0, 0);

  private final byte[] bytes;
  private final int off;
  private final int len;

  private Bytes(byte[] bytes, int off, int len) {
    this.bytes = bytes;
    this.off = off;
    this.len = len;
  }

  /** A copy of {@code b}. */
  public static Bytes of(byte[] b) {
    return b.length == 0 ? EMPTY : new Bytes(b.clone(), 0, b.length);
  }

  public static Bytes of(byte[] b, int off, int len) {
    return len == 0 ? EMPTY : new Bytes(Arrays.copyOfRange(b, off, off + len), 0, len);
  }

  /**
   * {@code b[off, off+len)} without a copy: the caller hands the array over and must never write
   * it again (the codec does this with the payload of a freshly decoded frame).
   */
  static Bytes wrap(byte[] b, int off, int len) {
    Objects.checkFromIndexSize(off, len, b.length);
    return len == 0 ? EMPTY : new Bytes(b, off, len);
  }

  public static Bytes ofHex(String hex) {
    byte[] b = HexFormat.of().parseHex(hex);
    return b.length == 0 ? EMPTY : new Bytes(b, 0, b.length);
  }

  public static Bytes ofUtf8(String s) {
    byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return new Bytes(b, 0, b.length);
  }

  public int length() {
    return len;
  }

  public byte get(int i) {
    Objects.checkIndex(i, len);
    return bytes[off + i];
  }

  /** A copy of the bytes. */
  public byte[] toArray() {
    return Arrays.copyOfRange(bytes, off, off + len);
  }

  public void writeTo(byte[] buf, int at) {
    System.arraycopy(bytes, off, buf, at, len);
  }

  public String toHex() {
    return HexFormat.of().formatHex(bytes, off, off + len);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bytes b && Arrays.equals(b.bytes, b.off, b.off + b.len, bytes, off, off + len);
  }

  /** Same value as {@link Arrays#hashCode(byte[])} of the content, window or not. */
  @Override
  public int hashCode() {
    int h = 1;
    for (int i = off, end = off + len; i < end; i++) {
      h = 31 * h + bytes[i];
    }
    return h;
  }

  /** Hex, cut after 32 bytes so log lines stay short. */
  @Override
  public String toString() {
    if (len <= 32) {
      return "0x" + toHex();
    }
    return "0x" + HexFormat.of().formatHex(bytes, off, off + 32) + "…(" + len + " bytes)";
  }
}
