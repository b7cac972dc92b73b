package io.nowmesh.actors.espnow;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A 16-byte ESP-NOW key: the Primary Master Key (PMK) or a peer's Local Master Key (LMK).
 * The bytes never appear in {@link #toString()}; {@link #fingerprint()} gives a short, non-reversible
 * tag for logs that need to tell two keys apart.
 */
public final class Key {
  /** Which role a key plays; only used to word errors and redacted output. */
  public enum Kind { PMK, LMK, MESH }

  private final Kind kind;
  private final byte[] bytes;

  private Key(Kind kind, byte[] bytes) {
    this.kind = kind;
    this.bytes = bytes;
  }

  public static Key pmk(byte[] bytes) {
    return of(Kind.PMK, bytes);
  }

  public static Key lmk(byte[] bytes) {
    return of(Kind.LMK, bytes);
  }

  /** From 32 hex digits, for keys read from configuration or the environment. */
  public static Key fromHex(Kind kind, String hex) {
    if (hex == null || hex.length() != 2 * Limits.KEY_LEN) {
      throw EspNowException.arg(kind + " must be " + Limits.KEY_LEN + " bytes (32 hex digits), got "
          + (hex == null ? "null" : hex.length() + " characters"));
    }
    try {
      return of(kind, HexFormat.of().parseHex(hex));
    } catch (IllegalArgumentException e) {
      throw EspNowException.arg(kind + " must be hex digits only");
    }
  }

  public static Key of(Kind kind, byte[] bytes) {
    if (bytes == null || bytes.length != Limits.KEY_LEN) {
      throw EspNowException.arg(kind + " must be exactly " + Limits.KEY_LEN + " bytes (KEY_LEN), got "
          + (bytes == null ? "null" : bytes.length));
    }
    return new Key(kind, bytes.clone());
  }

  public Kind kind() {
    return kind;
  }

  /** A copy of the key bytes; callers must not log them. */
  public byte[] toBytes() {
    return bytes.clone();
  }

  /** Writes the 16 bytes into {@code buf} at {@code offset}. */
  public void writeTo(byte[] buf, int offset) {
    System.arraycopy(bytes, 0, buf, offset, Limits.KEY_LEN);
  }

  /** First 4 bytes of SHA-256 of the key, in hex: enough to compare keys in logs, useless to an attacker. */
  public String fingerprint() {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(bytes);
      return HexFormat.of().formatHex(d, 0, 4);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Key k && k.kind == kind && MessageDigest.isEqual(k.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return kind + "(redacted)";
  }
}
