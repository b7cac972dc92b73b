package io.nowmesh.actors.espnow;

/**
 * A 6-byte IEEE 802 MAC address. Immutable; parses and prints the {@code aa:bb:cc:dd:ee:ff} form.
 * Stored as a long so it is cheap to hash and compare on the hot path.
 */
public final class Mac implements Comparable<Mac> {
  public static final Mac BROADCAST = new Mac(0xFFFF_FFFF_FFFFL);
  /** All zeroes: the "to all registered peers" placeholder of the SEND command. */
  public static final Mac ZERO = new Mac(0L);

  private final long value;

  private Mac(long value) {
    this.value = value;
  }

  /** From exactly {@link Limits#ADDR_LEN} bytes. */
  public static Mac of(byte[] bytes) {
    if (bytes == null || bytes.length != Limits.ADDR_LEN) {
      throw EspNowException.arg(
          "a MAC address is exactly 6 bytes, got " + (bytes == null ? "null" : bytes.length));
    }
    return of(bytes, 0);
  }

  /** From 6 bytes of {@code buf} starting at {@code offset}. */
  public static Mac of(byte[] buf, int offset) {
    long v = 0;
    for (int i = 0; i < Limits.ADDR_LEN; i++) {
      v = (v << 8) | (buf[offset + i] & 0xFF);
    }
    return new Mac(v);
  }

  /** From the low 48 bits of {@code value}. */
  public static Mac ofLong(long value) {
    if ((value & ~0xFFFF_FFFF_FFFFL) != 0) {
      throw EspNowException.arg("a MAC address has 48 bits, got 0x" + Long.toHexString(value));
    }
    return new Mac(value);
  }

  /** Parses {@code aa:bb:cc:dd:ee:ff} (also accepts {@code -} as separator, any case). */
  public static Mac parse(String text) {
    if (text == null) {
      throw EspNowException.arg("a MAC address is required, got null");
    }
    String t = text.trim();
    String[] parts = t.split("[:-]", -1);
    if (parts.length != Limits.ADDR_LEN) {
      throw EspNowException.arg("a MAC address has the form aa:bb:cc:dd:ee:ff, got '" + text + "'");
    }
    long v = 0;
    for (String p : parts) {
      if (p.length() != 2 || Character.digit(p.charAt(0), 16) < 0 || Character.digit(p.charAt(1), 16) < 0) {
        throw EspNowException.arg("a MAC address has the form aa:bb:cc:dd:ee:ff, got '" + text + "'");
      }
      v = (v << 8) | Integer.parseInt(p, 16);
    }
    return new Mac(v);
  }

  public byte[] toBytes() {
    byte[] b = new byte[Limits.ADDR_LEN];
    writeTo(b, 0);
    return b;
  }

  /** Writes the 6 bytes into {@code buf} at {@code offset}. */
  public void writeTo(byte[] buf, int offset) {
    for (int i = Limits.ADDR_LEN - 1; i >= 0; i--) {
      buf[offset + i] = (byte) (value >>> (8 * (Limits.ADDR_LEN - 1 - i)));
    }
  }

  public long toLong() {
    return value;
  }

  public boolean isBroadcast() {
    return value == BROADCAST.value;
  }

  /** Group address: the least significant bit of the first byte is set (includes broadcast). */
  public boolean isMulticast() {
    return ((value >>> 40) & 0x01) != 0;
  }

  /** Broadcast or multicast: ESP-NOW cannot encrypt traffic to these. */
  public boolean isGroup() {
    return isMulticast();
  }

  public boolean isZero() {
    return value == 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Mac m && m.value == value;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(value);
  }

  @Override
  public int compareTo(Mac o) {
    return Long.compare(value, o.value);
  }

  @Override
  public String toString() {
    char[] out = new char[17];
    final char[] hex = "0123456789abcdef".toCharArray();
    for (int i = 0; i < Limits.ADDR_LEN; i++) {
      int b = (int) (value >>> (8 * (Limits.ADDR_LEN - 1 - i))) & 0xFF;
      out[i * 3] = hex[b >>> 4];
      out[i * 3 + 1] = hex[b & 0xF];
      if (i < Limits.ADDR_LEN - 1) {
        out[i * 3 + 2] = ':';
      }
    }
    return new String(out);
  }

  /** Hex of the raw bytes, for tests and logs that want no separators. */
  public String toHex() {
    StringBuilder sb = new StringBuilder(12);
    for (byte b : toBytes()) {
      sb.append(String.format("%02x", b));
    }
    return sb.toString();
  }

}
