package io.nowmesh.actors.link;

/**
 * Consistent Overhead Byte Stuffing (Cheshire &amp; Baker 1999): removes every {@code 0x00} from a
 * body so that {@code 0x00} can delimit frames. One code byte per run of up to 254 non-zero bytes;
 * code {@code 0xFF} means 254 data bytes with no implied zero. As docs/protocol.md §1 requires, a
 * body that ends exactly at a 254-byte block is followed by a final code byte {@code 0x01}; the
 * decoder also accepts the form without it.
 */
public final class Cobs {
  private Cobs() {}

  /** Worst-case encoded length of {@code n} bytes (without the delimiter). */
  public static int maxEncodedLength(int n) {
    return n + n / 254 + 1;
  }

  public static byte[] encode(byte[] src) {
    byte[] out = new byte[maxEncodedLength(src.length)];
    int n = encode(src, 0, src.length, out, 0);
    return java.util.Arrays.copyOf(out, n);
  }

  /**
   * Encodes {@code src[off, off+len)} into {@code dst} at {@code dstOff}, which must have room for
   * {@link #maxEncodedLength(int)} bytes. Returns the number of bytes written (no delimiter).
   */
  public static int encode(byte[] src, int off, int len, byte[] dst, int dstOff) {
    int codePos = dstOff;
    int w = dstOff + 1;
    int code = 1;
    int end = off + len;
    for (int i = off; i < end; i++) {
      byte b = src[i];
      if (b == 0) {
        dst[codePos] = (byte) code;
        codePos = w++;
        code = 1;
      } else {
        dst[w++] = b;
        code++;
        if (code == 0xFF) {
          dst[codePos] = (byte) code;
          codePos = w++;
          code = 1;
        }
      }
    }
    dst[codePos] = (byte) code;
    return w - dstOff;
  }

  /**
   * Decodes {@code src[off, off+len)} (no delimiter) into {@code dst} at {@code dstOff}. Returns the
   * decoded length, or -1 if the input is not valid COBS (a zero byte, or a code byte pointing past
   * the end) or the result would not fit in {@code dst}. Never throws for hostile input.
   */
  public static int decode(byte[] src, int off, int len, byte[] dst, int dstOff) {
    int i = off;
    int end = off + len;
    int w = dstOff;
    while (i < end) {
      int code = src[i++] & 0xFF;
      if (code == 0) {
        return -1;
      }
      int n = code - 1;
      if (n > end - i || w + n > dst.length) {
        return -1;
      }
      for (int k = 0; k < n; k++) {
        byte b = src[i + k];
        if (b == 0) {
          return -1;
        }
        dst[w++] = b;
      }
      i += n;
      if (code != 0xFF && i < end) {
        if (w >= dst.length) {
          return -1;
        }
        dst[w++] = 0;
      }
    }
    return w - dstOff;
  }

  /** Convenience: decodes a whole array, or returns null if it is not valid COBS. */
  public static byte[] decode(byte[] src) {
    byte[] out = new byte[src.length];
    int n = decode(src, 0, src.length, out, 0);
    return n < 0 ? null : java.util.Arrays.copyOf(out, n);
  }
}
