package io.nowmesh.actors.link;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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

  /** Bumped with a release store: one writer thread, readers anywhere, no full fence per frame. */
  private static final VarHandle FRAMES;

  static {
    try {
      FRAMES = MethodHandles.lookup().findVarHandle(FrameDecoder.class, "frames", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private volatile long frames;
  private volatile long corrupt;
  private volatile long oversize;
  private volatile long empty;

  /**
   * Feeds {@code buf[off, off+n)}, calling {@code sink} for each good frame, in order. Frames that
   * lie wholly inside the chunk are decoded straight from it; only a frame cut by the end of the
   * chunk is copied into the decoder's own buffer until its delimiter arrives.
   */
  public void feed(byte[] buf, int off, int n, Consumer<Frame> sink) {
    int end = off + n;
    int i = off;
    while (i < end) {
      int z = Cobs.indexOfZero(buf, i, end);
      if (z == end) {
        append(buf, i, end - i);
        return;
      }
      int from = i;
      i = z + 1; // state is settled before the sink runs, as if the sink could throw
      if (discarding) {
        discarding = false; // rule 5: the oversize run ends at this delimiter
        len = 0;
      } else if (len == 0) {
        frame(buf, from, z - from, sink);
      } else {
        append(buf, from, z - from);
        int k = len;
        len = 0;
        if (discarding) {
          discarding = false;
        } else {
          frame(encoded, 0, k, sink);
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

  /** Keeps {@code n} delimiter-free bytes of a frame whose end has not arrived (rule 2 bounds it). */
  private void append(byte[] buf, int from, int n) {
    if (discarding) {
      return;
    }
    if (n > encoded.length - len) {
      oversize++;
      discarding = true;
      len = 0;
      return;
    }
    System.arraycopy(buf, from, encoded, len, n);
    len += n;
  }

  /** One delimited run {@code src[from, from+n)}, which holds no zero byte. */
  private void frame(byte[] src, int from, int n, Consumer<Frame> sink) {
    if (n == 0) {
      empty++;
      return;
    }
    if (n > Frame.MAX_ENCODED) {
      oversize++; // a run that never touched the buffer still obeys rule 2
      return;
    }
    int bodyLen = Cobs.decodeNonZero(src, from, n, body, 0);
    if (bodyLen < Frame.MIN_BODY || bodyLen > Frame.MAX_BODY) {
      corrupt++;
      return;
    }
    int crcAt = bodyLen - Frame.CRC_LEN;
    int expected = (body[crcAt] & 0xFF) | (body[crcAt + 1] & 0xFF) << 8 | (body[crcAt + 2] & 0xFF) << 16
        | (body[crcAt + 3] & 0xFF) << 24;
    if (Crc32c.compute(body, 0, crcAt) != expected) {
      corrupt++;
      return;
    }
    byte[] payload = java.util.Arrays.copyOfRange(body, Frame.HEADER_LEN, crcAt);
    Frame f = new Frame(body[0] & 0xFF, body[1] & 0xFF, (body[2] & 0xFF) | (body[3] & 0xFF) << 8, payload);
    FRAMES.setRelease(this, frames + 1);
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
