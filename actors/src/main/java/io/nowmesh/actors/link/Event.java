package io.nowmesh.actors.link;

import io.nowmesh.actors.espnow.Limits;
import io.nowmesh.actors.espnow.Mac;
import java.util.Objects;

/** The radio → host events of docs/protocol.md §5. The event counter is the frame's seq. */
public sealed interface Event extends Message {
  int type();

  int BOOT = 0x40;
  int RECV = 0x41;
  int SEND_DONE = 0x42;
  int LOG = 0x43;
  int OVERFLOW = 0x44;

  /** The firmware (re)started and lost its peers; the same body answers HELLO. */
  record Boot(BootInfo info) implements Event {
    public Boot {
      Objects.requireNonNull(info, "info");
    }

    public int type() {
      return BOOT;
    }
  }

  /**
   * One received ESP-NOW message. {@code dst} is the radio's own MAC for unicast, broadcast or a
   * multicast MAC otherwise; {@code rssi} in dBm; {@code timeMs} the radio's ticks_ms (wraps at 2^32).
   */
  record Recv(Mac src, Mac dst, int rssi, long timeMs, Bytes data) implements Event {
    public Recv {
      Objects.requireNonNull(src, "src");
      Objects.requireNonNull(dst, "dst");
      Objects.requireNonNull(data, "data");
      if (rssi < -128 || rssi > 127) {
        throw new IllegalArgumentException("rssi is an i8, got " + rssi);
      }
      if (timeMs < 0 || timeMs > 0xFFFF_FFFFL) {
        throw new IllegalArgumentException("time_ms is a u32, got " + timeMs);
      }
      if (data.length() > Limits.MAX_DATA_LEN) {
        throw new IllegalArgumentException("an ESP-NOW message is at most 250 bytes, got " + data.length());
      }
    }

    public int type() {
      return RECV;
    }
  }

  /** The MAC-level outcome of one destination of an async SEND whose seq was {@code cmdSeq}. */
  record SendDone(int cmdSeq, Mac mac, boolean acked) implements Event {
    public SendDone {
      Objects.requireNonNull(mac, "mac");
      if (cmdSeq < 0 || cmdSeq > 0xFFFF) {
        throw new IllegalArgumentException("cmd_seq is a u16, got " + cmdSeq);
      }
    }

    public int type() {
      return SEND_DONE;
    }
  }

  /** A log line from the firmware; level 10 debug, 20 info, 30 warning, 40 error. */
  record Log(int level, String text) implements Event {
    public static final int DEBUG = 10;
    public static final int INFO = 20;
    public static final int WARNING = 30;
    public static final int ERROR = 40;

    public Log {
      if (level < 0 || level > 255) {
        throw new IllegalArgumentException("level is a u8, got " + level);
      }
      text = fit(text == null ? "" : text);
    }

    /** Cuts text that would not fit one frame (at a character boundary). */
    private static String fit(String text) {
      byte[] b = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      int max = Frame.MAX_PAYLOAD - 1;
      if (b.length <= max) {
        return text;
      }
      int end = max;
      while (end > 0 && (b[end] & 0xC0) == 0x80) {
        end--;
      }
      return new String(b, 0, end, java.nio.charset.StandardCharsets.UTF_8);
    }

    public int type() {
      return LOG;
    }
  }

  /** Cumulative counters since boot, sent when one changes (at most once a second). */
  record Overflow(long rxDropped, long serialCorrupt, long serialOversize, long busyRefused) implements Event {
    public Overflow {
      for (long v : new long[] {rxDropped, serialCorrupt, serialOversize, busyRefused}) {
        if (v < 0 || v > 0xFFFF_FFFFL) {
          throw new IllegalArgumentException("OVERFLOW counters are u32, got " + v);
        }
      }
    }

    public int type() {
      return OVERFLOW;
    }
  }
}
