package io.nowmesh.examples.ports;

import io.nowmesh.actors.link.BootInfo;
import io.nowmesh.actors.link.Command;
import io.nowmesh.actors.link.CommandType;
import io.nowmesh.actors.link.Frame;
import io.nowmesh.actors.link.FrameDecoder;
import io.nowmesh.actors.link.Message;
import io.nowmesh.actors.link.MessageCodec;
import io.nowmesh.actors.link.Reply;
import io.nowmesh.actors.link.Transport;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Asks whatever is behind a transport whether it is a NowMesh radio: a flush byte and HELLO
 * (protocol.md §7), then waits a short time for the matching reply. Reads nothing else and sends
 * nothing else, so a device that is not a radio only ever sees those few bytes.
 */
public final class RadioProbe {
  private static final int SEQ = 1;

  private RadioProbe() {}

  /** What the probe learned: the radio's BOOT body, or why it is not (known to be) a radio. */
  public record Result(Optional<BootInfo> boot, String problem) {
    public boolean isRadio() {
      return boot.isPresent();
    }
  }

  /** Opens the transport, says HELLO, closes it again. */
  public static Result probe(Transport transport, Duration timeout) {
    try {
      transport.open();
    } catch (IOException e) {
      return new Result(Optional.empty(), "cannot open: " + e.getMessage());
    }
    try {
      return hello(transport, timeout);
    } finally {
      transport.close();
    }
  }

  /** HELLO on an open transport; the transport stays open. */
  public static Result hello(Transport transport, Duration timeout) {
    try {
      byte[] hello = MessageCodec.encode(SEQ, Command.Hello.v1()).toWire();
      byte[] out = new byte[hello.length + 1]; // a leading 0x00 ends any half-sent frame first
      System.arraycopy(hello, 0, out, 1, hello.length);
      transport.write(out);
      FrameDecoder decoder = new FrameDecoder();
      List<Frame> frames = new ArrayList<>();
      byte[] buf = new byte[512];
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        int n = transport.read(buf, 0, buf.length); // returns within ~100 ms
        if (n <= 0) {
          continue;
        }
        decoder.feed(buf, 0, n, frames::add);
        for (Frame f : frames) {
          Optional<Result> r = answer(f);
          if (r.isPresent()) {
            return r.get();
          }
        }
        frames.clear();
      }
      return new Result(Optional.empty(), "no answer to HELLO within " + timeout.toMillis()
          + " ms (not a NowMesh radio, firmware not running, or another baud rate)");
    } catch (IOException e) {
      return new Result(Optional.empty(), "I/O error: " + e.getMessage());
    }
  }

  private static Optional<Result> answer(Frame f) {
    Message m;
    try {
      m = MessageCodec.decode(f);
    } catch (RuntimeException e) {
      return Optional.empty(); // a frame we cannot read (another version?): keep listening
    }
    if (m instanceof Reply r && r.seq() == SEQ && r.command().orElse(null) == CommandType.HELLO) {
      if (!r.isOk()) {
        return Optional.of(new Result(Optional.empty(), "answered HELLO with " + r.status().label() + " "
            + r.detail()));
      }
      return Optional.of(new Result(Optional.of(r.bodyAs(BootInfo.class)), ""));
    }
    return Optional.empty(); // a BOOT event or log line before the reply
  }
}
