package io.nowmesh.actors.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * SerialTransport against a real pseudo-terminal (what the virtual board uses): a frame written
 * through jSerialComm comes back through the echoing pty and decodes. Needs python3 and a POSIX pty;
 * skipped with a visible reason where either is missing.
 */
class SerialTransportPtyTest {

  @Test
  void framesTravelThroughAPseudoTerminal() throws Exception {
    assumeTrue(!System.getProperty("os.name").toLowerCase().contains("win"), "needs a POSIX pty");
    Path script = Path.of("src", "test", "resources", "pty_echo.py").toAbsolutePath();
    Process p;
    try {
      p = new ProcessBuilder("python3", script.toString()).redirectErrorStream(false).start();
    } catch (java.io.IOException e) {
      assumeTrue(false, "python3 not available: " + e.getMessage());
      return;
    }
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String pty = out.readLine();
      assumeTrue(pty != null && Files.exists(Path.of(pty)), "no pty from python3");
      SerialTransport t = new SerialTransport(pty, 115_200);
      t.open();
      try {
        assertTrue(t.isOpen());
        Frame f = MessageCodec.encode(42, new Command.Ping(Bytes.ofUtf8("through a pty")));
        t.write(f.toWire());
        FrameDecoder d = new FrameDecoder();
        List<Frame> got = new ArrayList<>();
        byte[] buf = new byte[256];
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (got.isEmpty() && System.nanoTime() < deadline) {
          int n = t.read(buf, 0, buf.length);
          d.feed(buf, 0, n, got::add);
        }
        assertEquals(List.of(f), got);
      } finally {
        t.close();
      }
      assertFalse(t.isOpen());
      t.open(); // reopen after close works
      assertTrue(t.isOpen());
      t.close();
    } finally {
      p.getOutputStream().close();
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroy();
        p.waitFor(5, TimeUnit.SECONDS);
      }
    }
  }
}
