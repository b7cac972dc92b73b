package io.nowmesh.actors.link;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The first, byte-at-a-time COBS coder and frame decoder, kept as test oracles: the bulk versions in
 * {@link Cobs} and {@link FrameDecoder} must produce exactly what these produce, byte for byte and
 * counter for counter. Written straight from docs/protocol.md §1, with no speed tricks to get wrong.
 */
final class ByteAtATimeReference {
  private ByteAtATimeReference() {}

  static byte[] cobsEncode(byte[] src) {
    byte[] dst = new byte[src.length + src.length / 254 + 1];
    int codePos = 0;
    int w = 1;
    int code = 1;
    for (byte b : src) {
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
    return Arrays.copyOf(dst, w);
  }

  /** Decoded length, or -1 for invalid COBS or a result that does not fit {@code dst}. */
  static int cobsDecode(byte[] src, int off, int len, byte[] dst, int dstOff) {
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

  /** The per-byte state machine of the decoder rules, with the same four counters. */
  static final class Decoder {
    private final byte[] encoded = new byte[Frame.MAX_ENCODED];
    private final byte[] body = new byte[Frame.MAX_ENCODED];
    private int len;
    private boolean discarding;
    long frames;
    long corrupt;
    long oversize;
    long empty;

    void feed(byte[] buf, int off, int n, Consumer<Frame> sink) {
      for (int i = off; i < off + n; i++) {
        byte b = buf[i];
        if (b == 0) {
          endOfFrame(sink);
        } else if (!discarding) {
          if (len == encoded.length) {
            oversize++;
            discarding = true;
            len = 0;
          } else {
            encoded[len++] = b;
          }
        }
      }
    }

    private void endOfFrame(Consumer<Frame> sink) {
      if (discarding) {
        discarding = false;
        len = 0;
        return;
      }
      if (len == 0) {
        empty++;
        return;
      }
      int n = cobsDecode(encoded, 0, len, body, 0);
      len = 0;
      if (n < Frame.MIN_BODY || n > Frame.MAX_BODY) {
        corrupt++;
        return;
      }
      int crcAt = n - Frame.CRC_LEN;
      int expected = (body[crcAt] & 0xFF) | (body[crcAt + 1] & 0xFF) << 8 | (body[crcAt + 2] & 0xFF) << 16
          | (body[crcAt + 3] & 0xFF) << 24;
      java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
      crc.update(body, 0, crcAt);
      if ((int) crc.getValue() != expected) {
        corrupt++;
        return;
      }
      frames++;
      sink.accept(new Frame(body[0] & 0xFF, body[1] & 0xFF, (body[2] & 0xFF) | (body[3] & 0xFF) << 8,
          Arrays.copyOfRange(body, Frame.HEADER_LEN, crcAt)));
    }
  }
}
