package io.nowmesh.actors.link;

import java.util.function.Consumer;

/**
 * Turns a serial byte stream into {@link Frame}s following the decoder rules of docs/protocol.md §1.
 * Streaming: feed it any chunks, frames split across chunks or several frames in one chunk are fine.
 * Bounded: it holds at most {@link Frame#MAX_ENCODED} bytes, whatever arrives. It never throws on
 * hostile input: bad frames are dropped and counted ({@link #corrupt()}, {@link #oversize()}),
 * empty frames are counted in {@link #empty()} and otherwise ignored. Frames whose version is not
 * 1 are still delivered: answering them is the protocol layer's job.
 *
 * <p>Not thread-safe: one reader thread feeds it. The counters may be read from any thread.
 */
public final class FrameDecoder {
  private final byte[] encoded = new byte[Frame.MAX_ENCODED];
  private final byte[] body = new byte[Frame.MAX_ENCODED];
  private int len;
  /** True after an oversize run, until the next delimiter. */
  private boolean discarding;

  private volatile long frames;
  private volatile long corrupt;
  private volatile long oversize;
  private volatile long empty;

  /** Feeds {@code buf[off, off+n)}, calling {@code sink} for each good frame, in order. */
  public void feed(byte[] buf, int off, int n, Consumer<Frame> sink) {
    int end = off + n;
    for (int i = off; i < end; i++) {
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

  public void feed(byte[] buf, Consumer<Frame> sink) {
    feed(buf, 0, buf.length, sink);
  }

  /** Forgets any partial frame (e.g. after the transport was reopened). */
  public void reset() {
    len = 0;
    discarding = false;
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
    int n = Cobs.decode(encoded, 0, len, body, 0);
    len = 0;
    if (n < Frame.MIN_BODY || n > Frame.MAX_BODY) {
      corrupt++;
      return;
    }
    int crcAt = n - Frame.CRC_LEN;
    int expected = (body[crcAt] & 0xFF) | (body[crcAt + 1] & 0xFF) << 8 | (body[crcAt + 2] & 0xFF) << 16
        | (body[crcAt + 3] & 0xFF) << 24;
    if (Crc32c.compute(body, 0, crcAt) != expected) {
      corrupt++;
      return;
    }
    byte[] payload = java.util.Arrays.copyOfRange(body, Frame.HEADER_LEN, crcAt);
    Frame f = new Frame(body[0] & 0xFF, body[1] & 0xFF, (body[2] & 0xFF) | (body[3] & 0xFF) << 8, payload);
    frames++;
    sink.accept(f);
  }

  /** Good frames delivered. */
  public long frames() {
    return frames;
  }

  /** Frames dropped for bad COBS, a body shorter than 8 or longer than MAX_BODY bytes, or a bad CRC. */
  public long corrupt() {
    return corrupt;
  }

  /** Runs longer than {@link Frame#MAX_ENCODED} bytes without a delimiter. */
  public long oversize() {
    return oversize;
  }

  /** Empty frames (two delimiters in a row); harmless, counted for diagnostics only. */
  public long empty() {
    return empty;
  }
}
