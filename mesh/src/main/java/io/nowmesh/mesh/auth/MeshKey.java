package io.nowmesh.mesh.auth;

import io.nowmesh.actors.espnow.EspNowException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The mesh key that authenticates broadcast and group envelopes (16 or 32 bytes). The bytes never
 * appear in {@link #toString()}; {@link #fingerprint()} tells two keys apart in logs.
 */
public final class MeshKey {
  private final byte[] bytes;

  private MeshKey(byte[] bytes) {
    this.bytes = bytes;
  }

  public static MeshKey of(byte[] bytes) {
    if (bytes == null || (bytes.length != 16 && bytes.length != 32)) {
      throw EspNowException.arg("the mesh key (nowmesh.mesh.auth) must be 16 or 32 bytes, got "
          + (bytes == null ? "null" : bytes.length));
    }
    return new MeshKey(bytes.clone());
  }

  /** From 32 or 64 hex digits (configuration, environment or a key file; surrounding blanks ignored). */
  public static MeshKey fromHex(String hex) {
    String h = hex == null ? "" : hex.strip();
    if (h.length() != 32 && h.length() != 64) {
      throw EspNowException.arg("the mesh key (nowmesh.mesh.auth) must be 32 or 64 hex digits, got "
          + h.length() + " characters");
    }
    try {
      return of(HexFormat.of().parseHex(h));
    } catch (IllegalArgumentException e) {
      throw EspNowException.arg("the mesh key (nowmesh.mesh.auth) must be hex digits only");
    }
  }

  /** A copy of the key bytes; callers must not log them. */
  byte[] toBytes() {
    return bytes.clone();
  }

  public int length() {
    return bytes.length;
  }

  /** First 4 bytes of SHA-256 of the key, in hex. */
  public String fingerprint() {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MeshKey k && MessageDigest.isEqual(k.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return fingerprint().hashCode();
  }

  @Override
  public String toString() {
    return "MeshKey[" + bytes.length + " bytes, redacted, fingerprint " + fingerprint() + "]";
  }
}
