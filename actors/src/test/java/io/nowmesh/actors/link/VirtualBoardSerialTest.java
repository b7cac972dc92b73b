package io.nowmesh.actors.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowmesh.actors.espnow.EspNowError;
import io.nowmesh.actors.espnow.Mac;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * End to end over the real serial path: two virtual boards (node-firmware/virtual_board/board.py,
 * running the MicroPython bridge firmware unmodified under CPython) joined by their UDP air, each
 * driven through its pseudo-terminal by {@link SerialTransport} (jSerialComm) and the Java codec.
 */
class VirtualBoardSerialTest {
  private static final Mac MAC1 = Mac.parse("24:0a:c4:00:00:10");
  private static final Mac MAC2 = Mac.parse("24:0a:c4:00:00:20");
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private final List<Process> boards = new ArrayList<>();
  private final List<Link> links = new ArrayList<>();

  @AfterEach
  void stopBoards() throws InterruptedException {
    links.forEach(Link::close);
    for (Process p : boards) {
      p.destroy();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void helloAddPeerSyncSendReceiveAndResetThroughJSerialComm() throws Exception {
    Assumptions.assumeTrue(pythonAvailable(),
        "python3 is not on PATH: the virtual-board end-to-end test needs it to run the firmware");
    int airPort = freeUdpPort();
    Link one = link(startBoard(MAC1, airPort, true));
    Link two = link(startBoard(MAC2, airPort, false));

    for (var pair : List.of(new Object[] {one, MAC1}, new Object[] {two, MAC2})) {
      Link l = (Link) pair[0];
      Reply hello = l.call(new Command.Hello(1));
      assertEquals(EspNowError.OK, hello.status(), hello.detail());
      BootInfo boot = (BootInfo) hello.body();
      assertEquals(pair[1], boot.staMac());
      assertEquals(2, boot.apiGen());
      assertTrue(boot.queueDepth() >= 1);
      assertEquals(EspNowError.OK, l.call(new Command.Init()).status());
    }

    assertEquals(EspNowError.OK, one.call(new Command.AddPeer(PeerRecord.of(MAC2))).status());
    Bytes data = Bytes.of(new byte[] {0x00, 0x03, 'h', 'i', 0x00});
    Reply sent = one.call(Command.Send.to(MAC2, data, true));
    assertEquals(EspNowError.OK, sent.status(), sent.detail());
    ReplyBody.SendResult result = (ReplyBody.SendResult) sent.body();
    assertTrue(result.allAcked(), "board 2 has its Wi-Fi up, so the unicast is acked: " + result);
    assertEquals(List.of(new ReplyBody.PeerAck(MAC2, true)), result.acks());

    Event.Recv recv = (Event.Recv) two.await(m -> m instanceof Event.Recv);
    assertEquals(MAC1, recv.src());
    assertEquals(MAC2, recv.dst());
    assertEquals(data, recv.data());
    assertTrue(recv.rssi() < 0 && recv.rssi() >= -127, "RSSI in dBm: " + recv.rssi());

    assertEquals(EspNowError.OK, two.call(new Command.Reset()).status());
    Event.Boot boot = (Event.Boot) two.await(m -> m instanceof Event.Boot);
    assertEquals(MAC2, boot.info().staMac());
    assertEquals(EspNowError.ESP_ERR_ESPNOW_NOT_INIT, two.call(new Command.PeerCount()).status(),
        "after a reset ESP-NOW is off and the peers are gone");
  }

  // ------------------------------------------------------------------ helpers

  private static boolean pythonAvailable() {
    try {
      Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static int freeUdpPort() throws IOException {
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static Path boardScript() {
    Path dir = Paths.get("").toAbsolutePath();
    while (dir != null) {
      Path script = dir.resolve("node-firmware/virtual_board/board.py");
      if (Files.isRegularFile(script)) {
        return script;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("node-firmware/virtual_board/board.py not found above "
        + Paths.get("").toAbsolutePath());
  }

  /** Starts a board and returns its pseudo-terminal path (the first stdout line, "PTY /dev/pts/N"). */
  private String startBoard(Mac mac, int airPort, boolean hostAir) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("python3", boardScript().toString(), "--mac", mac.toString(),
        "--air-port", Integer.toString(airPort)));
    if (hostAir) {
      cmd.add("--host-air");
    }
    Path log = Files.createDirectories(Paths.get("target")).resolve("virtual-board-" + mac.toString().replace(':', '-') + ".log");
    Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
    boards.add(p);
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = CompletableFuture.supplyAsync(() -> {
      try {
        return out.readLine();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    if (line == null || !line.startsWith("PTY ")) {
      throw new IllegalStateException("virtual board did not announce its pty (got " + line + "); see " + log);
    }
    return line.substring(4).trim();
  }

  private Link link(String ptyPath) throws IOException {
    Link l = new Link(new SerialTransport(ptyPath));
    links.add(l);
    return l;
  }

  /** The host side of one board: a reader thread decodes frames into a queue of messages. */
  private static final class Link {
    private final SerialTransport transport;
    private final BlockingQueue<Message> inbox = new LinkedBlockingQueue<>();
    private final Thread reader;
    private volatile boolean closed;
    private int seq;

    Link(SerialTransport transport) throws IOException {
      this.transport = transport;
      transport.open();
      reader = new Thread(this::readLoop, "vb-reader " + transport.path());
      reader.setDaemon(true);
      reader.start();
      transport.write(new byte[] {0}); // flush anything half-received on the board side
    }

    private void readLoop() {
      FrameDecoder decoder = new FrameDecoder();
      byte[] buf = new byte[4096];
      while (!closed) {
        try {
          int n = transport.read(buf, 0, buf.length);
          decoder.feed(buf, 0, n, f -> inbox.add(MessageCodec.decode(f)));
        } catch (IOException | RuntimeException e) {
          if (!closed) {
            inbox.add(new Event.Log(40, "reader failed: " + e));
          }
          return;
        }
      }
    }

    Reply call(Command c) throws Exception {
      seq = seq % 0xFFFF + 1;
      int s = seq;
      transport.write(MessageCodec.encode(s, c).toWire());
      return (Reply) await(m -> m instanceof Reply r && r.seq() == s);
    }

    Message await(Predicate<Message> match) throws InterruptedException {
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      List<Message> seen = new ArrayList<>();
      while (true) {
        long left = deadline - System.nanoTime();
        Message m = left > 0 ? inbox.poll(left, TimeUnit.NANOSECONDS) : null;
        if (m == null) {
          throw new AssertionError("no matching message from " + transport.describe() + " within "
              + TIMEOUT + "; saw " + seen);
        }
        if (match.test(m)) {
          return m;
        }
        seen.add(m);
      }
    }

    void close() {
      closed = true;
      transport.close();
    }
  }
}
