package io.nowmesh.actors.link;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Consistent Overhead Byte Stuffing (Cheshire &amp; Baker 1999): removes every {@code 0x00} from a
 * body so that {@code 0x00} can delimit frames. One code byte per run of up to 254 non-zero bytes;
 * code {@code 0xFF} means 254 data bytes with no implied zero. As docs/protocol.md §1 requires, a
 * body that ends exactly at a 254-byte block is followed by a final code byte {@code 0x01}; the
 * decoder also accepts the form without it.
 *
 * <p>Hot path: runs are found eight bytes at a time ({@link #indexOfZero}) and moved with
 * {@link System#arraycopy}, so the cost is per block, not per byte.
 */
public final class Cobs {
  /** Longest run of data bytes one code byte can announce. */
  static final int MAX_RUN = 254;
  /** Blocks shorter than this are copied byte by byte: cheaper than an arraycopy call. */
  private static final int SHORT_BLOCK = 16;

  private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101_0101_0101_0101L;
  private static final long HIGHS = 0x8080_8080_8080_8080L;

  private Cobs() {}

  /** Worst-case encoded length of {@code n} bytes (without the delimiter). */
  public static int maxEncodedLength(int n) {
    return n + n / MAX_RUN + 1;
  }

  public static byte[] encode(byte[] src) {
    byte[] out = new byte[encodedLength(src, 0, src.length)];
    encode(src, 0, src.length, out, 0);
    return out;
  }

  /**
   * The exact encoded length of {@code src[off, off+len)} (without the delimiter): the length plus
   * one code byte, plus one for every full block of 254 non-zero bytes. Lets callers allocate the
   * output exactly once.
   */
  public static int encodedLength(byte[] src, int off, int len) {
    if (len < MAX_RUN) {
      return len + 1; // no run can fill a block
    }
    int extra = 0;
    int end = off + len;
    int i = off;
    while (true) {
      int z = indexOfZero(src, i, end);
      extra += (z - i) / MAX_RUN;
      if (z == end) {
        return len + 1 + extra;
      }
      i = z + 1;
    }
  }

  /**
   * Encodes {@code src[off, off+len)} into {@code dst} at {@code dstOff}, which must have room for
   * {@link #encodedLength} (at most {@link #maxEncodedLength(int)}) bytes. Returns the number of
   * bytes written (no delimiter).
   *
   * <p>May encode in place: with {@code dst == src} and {@code off - dstOff >= 1 + len / 254}, every
   * write lands before the next byte still to be read (the output runs ahead of the input by one
   * code byte, plus one per full 254-byte block).
   */
  public static int encode(byte[] src, int off, int len, byte[] dst, int dstOff) {
    int end = off + len;
    int i = off;
    int w = dstOff;
    while (true) {
      int z = indexOfZero(src, i, end);
      while (z - i >= MAX_RUN) {
        dst[w] = (byte) 0xFF;
        System.arraycopy(src, i, dst, w + 1, MAX_RUN);
        w += MAX_RUN + 1;
        i += MAX_RUN;
      }
      int n = z - i; // 0..253 bytes, then the zero at z (or the end)
      dst[w] = (byte) (n + 1);
      copy(src, i, dst, w + 1, n);
      w += n + 1;
      if (z == end) {
        return w - dstOff;
      }
      i = z + 1;
    }
  }

  /**
   * Decodes {@code src[off, off+len)} (no delimiter) into {@code dst} at {@code dstOff}. Returns the
   * decoded length, or -1 if the input is not valid COBS (a zero byte, or a code byte pointing past
   * the end) or the result would not fit in {@code dst}. Never throws for hostile input.
   */
  public static int decode(byte[] src, int off, int len, byte[] dst, int dstOff) {
    if (indexOfZero(src, off, off + len) != off + len) {
      return -1;
    }
    return decodeNonZero(src, off, len, dst, dstOff);
  }

  /**
   * {@link #decode(byte[], int, int, byte[], int)} for input already known to hold no zero byte
   * (the frame decoder cuts frames at the first zero, so it never has to look again).
   */
  static int decodeNonZero(byte[] src, int off, int len, byte[] dst, int dstOff) {
    int i = off;
    int end = off + len;
    int w = dstOff;
    while (i < end) {
      int code = src[i++] & 0xFF;
      int n = code - 1;
      if (n > end - i || n > dst.length - w) {
        return -1;
      }
      copy(src, i, dst, w, n);
      w += n;
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

  /**
   * Index of the first {@code 0x00} in {@code a[from, to)}, or {@code to} if there is none. Reads
   * eight bytes at a time: {@code (v - 0x01..01) & ~v & 0x80..80} is non-zero iff {@code v} holds a
   * zero byte, and its lowest set bit marks the first one (a borrow only spreads upwards, so false
   * hits lie above a true zero; little-endian puts the lowest index in the lowest bits).
   */
  static int indexOfZero(byte[] a, int from, int to) {
    int i = from;
    // one word per step: measured faster than two per step with a combined branch (JDK 17, x86-64)
    for (int last = to - Long.BYTES; i <= last; i += Long.BYTES) {
      long v = (long) LONG_LE.get(a, i);
      long hit = (v - ONES) & ~v & HIGHS;
      if (hit != 0) {
        return i + (Long.numberOfTrailingZeros(hit) >>> 3);
      }
    }
    for (; i < to; i++) {
      if (a[i] == 0) {
        return i;
      }
    }
    return to;
  }

  private static void copy(byte[] src, int from, byte[] dst, int to, int n) {
    if (n < SHORT_BLOCK) {
      for (int k = 0; k < n; k++) {
        dst[to + k] = src[from + k];
      }
    } else {
      System.arraycopy(src, from, dst, to, n);
    }
  }
}
