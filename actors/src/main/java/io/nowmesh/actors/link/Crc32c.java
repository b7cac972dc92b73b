package io.nowmesh.actors.link;

import java.util.zip.CRC32C;

/**
 * CRC-32C (Castagnoli, reflected polynomial 0x82F63B78, init and final xor 0xFFFFFFFF), the check
 * of every frame body. {@link CRC32C} is exactly this CRC and uses hardware instructions where the
 * CPU has them.
 */
public final class Crc32c {
  private Crc32c() {}

  /** The CRC of {@code buf[off, off+len)} as an unsigned 32-bit value in an int. */
  public static int compute(byte[] buf, int off, int len) {
    CRC32C crc = new CRC32C();
    crc.update(buf, off, len);
    return (int) crc.getValue();
  }

  public static int compute(byte[] buf) {
    return compute(buf, 0, buf.length);
  }
}
