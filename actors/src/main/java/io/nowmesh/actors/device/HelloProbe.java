package io.nowmesh.actors.device;

import io.nowmesh.actors.espnow.EspNowException;
import io.nowmesh.actors.link.BootInfo;
import io.nowmesh.actors.link.Command;
import io.nowmesh.actors.link.CommandType;
import io.nowmesh.actors.link.Event;
import io.nowmesh.actors.link.Frame;
import io.nowmesh.actors.link.FrameDecoder;
import io.nowmesh.actors.link.Message;
import io.nowmesh.actors.link.MessageCodec;
import io.nowmesh.actors.link.Reply;
import io.nowmesh.actors.link.Transport;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Decides whether a serial port is a NowMesh radio: opens it (without resetting the board), sends
 * the protocol's flush byte and HELLO, and waits for the answer. A USB VID/PID match is only a
 * candidate; this is the proof. Blocking: run it on the blocking dispatcher. The port is closed
 * again whatever the result, so a device that is not a radio sees one short HELLO and nothing else.
 */
final class HelloProbe {
  private static final int PROBE_SEQ = 1;

  private HelloProbe() {}

  /** The radio's BOOT body, or an IOException saying why this port is not (or not yet) a radio. */
  static BootInfo probe(Transport transport, Duration timeout) throws IOException {
    transport.open();
    try {
      transport.write(new byte[] {0});
      transport.write(MessageCodec.encode(PROBE_SEQ, Command.Hello.v1()).toWire());
      FrameDecoder decoder = new FrameDecoder();
      AtomicReference<Object> answer = new AtomicReference<>();
      byte[] buf = new byte[2048];
      long deadline = System.nanoTime() + timeout.toNanos();
      while (answer.get() == null && System.nanoTime() < deadline) {
        int n = transport.read(buf, 0, buf.length);
        if (n > 0) {
          decoder.feed(buf, 0, n, f -> {
            if (answer.get() == null) {
              answer.set(interpret(f));
            }
          });
        }
      }
      Object a = answer.get();
      if (a instanceof BootInfo info) {
        return info;
      }
      throw new IOException(a instanceof String why ? why
          : "no HELLO answer within " + timeout.toMillis() + " ms: not a NowMesh radio");
    } finally {
      transport.close();
    }
  }

  /** A BootInfo, a String (a definite "no"), or null (not an answer: keep reading). */
  private static Object interpret(Frame f) {
    Message m;
    try {
      m = MessageCodec.decode(f);
    } catch (EspNowException e) {
      return e.error().name().equals("VERSION_MISMATCH") ? "the radio speaks another protocol version: "
          + e.getMessage() : null;
    }
    if (m instanceof Reply r && r.seq() == PROBE_SEQ && r.commandCode() == CommandType.HELLO.code()) {
      return r.isOk() ? r.body() : "HELLO refused: " + r.status().label() + " " + r.detail();
    }
    if (m instanceof Event.Boot b) {
      return b.info(); // the board booted while we were asking: just as good
    }
    return null;
  }
}
