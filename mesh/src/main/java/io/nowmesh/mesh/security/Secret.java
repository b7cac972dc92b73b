package io.nowmesh.mesh.security;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;

/**
 * A password read from config, the environment or a file. Exists so that printing settings,
 * records or exceptions can never show the value: {@link #toString()} is fixed.
 */
final class Secret {
  static final Secret EMPTY = new Secret("");

  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  static Secret of(String value) {
    return value == null || value.isEmpty() ? EMPTY : new Secret(value);
  }

  boolean isEmpty() {
    return value.isEmpty();
  }

  /** The clear value, for handing to the keystore API or Akka's SSL config only. */
  String reveal() {
    return value;
  }

  char[] toChars() {
    return value.toCharArray();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret s && MessageDigest.isEqual(
        s.value.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return isEmpty() ? "(empty)" : "(redacted)";
  }
}
