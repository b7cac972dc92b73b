package io.nowmesh.actors.device;

import static io.nowmesh.actors.device.DeviceFixture.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import io.nowmesh.actors.device.DeviceActor.Received;
import io.nowmesh.actors.device.DeviceActor.SendResult;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.actors.espnow.PeerOptions;
import io.nowmesh.actors.link.SerialTransport;
import java.io.File;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The same device actor driving the MicroPython firmware on a virtual board (node-firmware's
 * {@code virtual_board/board.py}, CPython) through a pseudo-terminal opened with jSerialComm, with a
 * second virtual board running the plain-espnow echo leaf on the same UDP air (127.0.0.1 only).
 * Needs python3 and node-firmware/virtual_board (override the directory with
 * {@code -Dnowmesh.firmware.dir=...}); without them the test is reported as skipped, with the reason.
 */
class VirtualBoardTest {
  static final ActorTestKit testKit = ActorTestKit.create(DeviceFixture.config(""));
  final List<Process> processes = new ArrayList<>();

  @AfterAll
  static void cleanup() {
    testKit.shutdownTestKit();
  }

  @AfterEach
  void stopBoards() throws InterruptedException {
    for (Process p : processes) {
      p.destroy();
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  static Path firmwareDir() {
    String override = System.getProperty("nowmesh.firmware.dir");
    return (override != null ? Path.of(override) : Path.of("..", "node-firmware")).toAbsolutePath().normalize();
  }

  static boolean python3Available() {
    try {
      Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  Path startBoard(Path board, Mac mac, int airPort, String... extra) throws Exception {
    Path ptyFile = Files.createTempFile("nowmesh-board-", ".pty");
    Files.delete(ptyFile);
    List<String> cmd = new ArrayList<>(List.of("python3", board.toString(), "--mac", mac.toString(),
        "--air-port", String.valueOf(airPort), "--pty-file", ptyFile.toString()));
    cmd.addAll(List.of(extra));
    File log = Files.createTempFile("nowmesh-board-", ".log").toFile();
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
    processes.add(p);
    TestProbe<Object> until = testKit.createTestProbe();
    until.awaitAssert(WAIT, () -> {
      assertTrue(p.isAlive(), () -> "board exited: " + readQuietly(log.toPath()));
      assertTrue(Files.exists(ptyFile) && !Files.readString(ptyFile).isBlank(), "waiting for the pty");
      return null;
    });
    return Path.of(Files.readString(ptyFile).trim());
  }

  static String readQuietly(Path p) {
    try {
      return Files.readString(p);
    } catch (Exception e) {
      return "(no log: " + e + ")";
    }
  }

  @Test
  void deviceActorDrivesTheFirmwareOnAVirtualBoardOverJSerialComm() throws Exception {
    Path board = firmwareDir().resolve("virtual_board").resolve("board.py");
    assumeTrue(python3Available(), "python3 is not installed");
    assumeTrue(Files.exists(board), "no virtual board at " + board + " (node-firmware not on this branch?)");
    int airPort;
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      airPort = s.getLocalPort();
    }
    Mac bridgeMac = Mac.parse("24:0a:c4:00:00:51");
    Mac leafMac = Mac.parse("24:0a:c4:00:00:61");
    Path pty = startBoard(board, bridgeMac, airPort, "--host-air");
    startBoard(board, leafMac, airPort, "--script",
        firmwareDir().resolve("virtual_board").resolve("examples").resolve("echo_leaf.py").toString());

    ActorRef<DeviceActor.Command> device = testKit.spawn(
        DeviceActor.create(new SerialTransport(pty.toString()), DeviceFixture.settings(testKit)), "board");
    DeviceFixture.awaitConnected(testKit, device);
    DeviceActor.Status status = DeviceFixture.ok(testKit, device, DeviceActor.GetStatus::new);
    assertEquals(bridgeMac, status.mac().orElseThrow());

    TestProbe<Received> inbox = testKit.createTestProbe();
    device.tell(new DeviceActor.Subscribe(inbox.ref()));
    DeviceFixture.ok(testKit, device, Done.class, r -> new DeviceActor.AddPeer(leafMac, PeerOptions.DEFAULT, r));
    // The leaf joins the air asynchronously: ping until it answers, then check the echo.
    inbox.awaitAssert(Duration.ofSeconds(20), () -> {
      SendResult sent = DeviceFixture.ok(testKit, device, SendResult.class,
          r -> new DeviceActor.Send(leafMac, "ping".getBytes(), true, r));
      assertTrue(sent.allAcked(), "leaf not acking yet");
      Received echo = inbox.expectMessageClass(Received.class, Duration.ofSeconds(3));
      assertEquals(leafMac, echo.src());
      assertEquals("ping", new String(echo.data()));
      return null;
    });
    testKit.stop(device, WAIT);
  }
}
