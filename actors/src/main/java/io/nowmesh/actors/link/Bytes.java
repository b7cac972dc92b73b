package io.nowmesh.actors.link;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * An immutable byte string (a message payload). Exists so that records holding payloads get a
 * value-based {@code equals}/{@code hashCode} and a readable {@code toString}, which raw
 * {@code byte[]} fields would not have.
 */
public final class Bytes {
  public static final Bytes EMPTY = new Bytes(new byte[0]);

  private final byte[] bytes;

  private Bytes(byte[] bytes) {
    this.bytes = bytes;
  }

  /** A copy of {@code b}. */
  public static Bytes of(byte[] b) {
    return b.length == 0 ? EMPTY : new Bytes(b.clone());
  }

  public static Bytes of(byte[] b, int off, int len) {
    return len == 0 ? EMPTY : new Bytes(Arrays.copyOfRange(b, off, off + len));
  }

  public static Bytes ofHex(String hex) {
    return of(HexFormat.of().parseHex(hex));
  }

  public static Bytes ofUtf8(String s) {
    return new Bytes(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  public int length() {
    return bytes.length;
  }

  public byte get(int i) {
    return bytes[i];
  }

  /** A copy of the bytes. */
  public byte[] toArray() {
    return bytes.clone();
  }

  public void writeTo(byte[] buf, int off) {
    System.arraycopy(bytes, 0, buf, off, bytes.length);
  }

  public String toHex() {
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bytes b && Arrays.equals(b.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** Hex, cut after 32 bytes so log lines stay short. */
  @Override
  public String toString() {
    if (bytes.length <= 32) {
      return "0x" + toHex();
    }
    return "0x" + HexFormat.of().formatHex(bytes, 0, 32) + "…(" + bytes.length + " bytes)";
  }
}
