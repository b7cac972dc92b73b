package io.nowmesh.actors.device;

import static io.nowmesh.actors.device.DeviceFixture.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.actors.link.Bytes;
import io.nowmesh.actors.link.Command;
import io.nowmesh.actors.link.CommandType;
import io.nowmesh.actors.link.Frame;
import io.nowmesh.actors.link.FrameDecoder;
import io.nowmesh.actors.link.InMemoryTransport;
import io.nowmesh.actors.link.MessageCodec;
import io.nowmesh.actors.link.Reply;
import io.nowmesh.actors.link.ReplyBody;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The sender on its own, against the radio end of an in-memory pipe: frames written through the
 * coalescing writer keep their order and each request still gets its one outcome; the single
 * timeout timer (armed for the earliest deadline only) still times out every request exactly once,
 * including one whose deadline is sooner than the one the timer was armed for.
 */
class SenderActorTest {
  static final ActorTestKit testKit = ActorTestKit.create(DeviceFixture.config(
      "nowmesh.device.command-timeout = 300ms\nnowmesh.device.sync-send-timeout = 4s\n"));
  static final Mac NODE = Mac.parse("02:00:00:00:00:01");

  @AfterAll
  static void cleanup() {
    testKit.shutdownTestKit();
  }

  private record Wired(ActorRef<SenderActor.Command> sender, InMemoryTransport radio, TestProbe<DeviceActor.Command> parent) {}

  private static Wired start(String name, int capacity) throws Exception {
    InMemoryTransport.Pair pair = InMemoryTransport.pair(name);
    TestProbe<DeviceActor.Command> parent = testKit.createTestProbe();
    ActorRef<SenderActor.Command> sender = testKit.spawn(SenderActor.create(parent.ref(), DeviceFixture.settings(testKit)));
    parent.expectMessageClass(DeviceActor.ChildStarted.class, WAIT);
    sender.tell(new SenderActor.Attach(pair.host(), 1, capacity, false));
    return new Wired(sender, pair.radio(), parent);
  }

  private static Command send(int i, boolean sync) {
    return Command.Send.to(NODE, Bytes.of(new byte[] {(byte) i, (byte) (i >> 8)}), sync);
  }

  /** Reads frames from the radio end until at least {@code n} have arrived. */
  private static List<Frame> readFrames(InMemoryTransport radio, FrameDecoder decoder, int n) throws Exception {
    List<Frame> out = new ArrayList<>();
    byte[] buf = new byte[4096];
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (out.size() < n) {
      assertTrue(System.nanoTime() < deadline, "only " + out.size() + " of " + n + " frames arrived");
      int k = radio.read(buf, 0, buf.length); // blocks at most ~100 ms
      decoder.feed(buf, 0, k, out::add);
    }
    return out;
  }

  @Test
  void framesGoOutInSubmitOrderAndEveryRequestGetsItsOneOutcome() throws Exception {
    Wired w = start("sender-order", 16);
    TestProbe<SenderActor.Result> results = testKit.createTestProbe();
    int n = 40;
    for (int i = 0; i < n; i++) {
      w.sender().tell(new SenderActor.Submit(send(i, true), false, i, results.ref()));
    }
    FrameDecoder decoder = new FrameDecoder();
    List<Integer> payloads = new ArrayList<>();
    while (payloads.size() < n) {
      // a window's worth at most is on the wire: answering it lets the next ones out
      for (Frame f : readFrames(w.radio(), decoder, 1)) {
        Command.Send c = (Command.Send) MessageCodec.decode(f);
        payloads.add((c.data().get(0) & 0xFF) | (c.data().get(1) & 0xFF) << 8);
        w.sender().tell(new SenderActor.ReplyArrived(Reply.ok(f.seq(), CommandType.SEND,
            ReplyBody.SendResult.of(List.of(new ReplyBody.PeerAck(NODE, true))))));
      }
    }
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      expected.add(i);
    }
    assertEquals(expected, payloads, "frames in submit order");
    Set<Long> tags = new HashSet<>();
    for (int i = 0; i < n; i++) {
      SenderActor.Result r = results.expectMessageClass(SenderActor.Result.class, WAIT);
      assertInstanceOf(Outcome.Ok.class, r.outcome());
      assertTrue(tags.add(r.tag()), "answered twice: " + r.tag());
    }
    results.expectNoMessage(Duration.ofMillis(300));
    testKit.stop(w.sender(), WAIT);
  }

  @Test
  void everyRequestTimesOutExactlyOnceAndASoonerDeadlineIsNotMissed() throws Exception {
    Wired w = start("sender-timeouts", 4);
    TestProbe<SenderActor.Result> results = testKit.createTestProbe();
    // A sync send (4 s) arms the timer first; the async sends behind it (300 ms, never resent) have sooner
    // deadlines, so the timer must be moved forward for them.
    w.sender().tell(new SenderActor.Submit(send(0, true), false, 0, results.ref()));
    int n = 13;
    for (int i = 1; i < n; i++) {
      w.sender().tell(new SenderActor.Submit(send(i, false), false, i, results.ref()));
    }
    // The radio never answers. The async sends time out in rounds of three (the sync one holds a slot).
    Set<Long> tags = new HashSet<>();
    for (int i = 1; i < n; i++) {
      SenderActor.Result r = results.expectMessageClass(SenderActor.Result.class, Duration.ofSeconds(3));
      assertInstanceOf(Outcome.TimedOut.class, r.outcome(), r.toString());
      assertTrue(r.tag() != 0, "the 4 s sync send timed out before the 300 ms ones: " + r);
      assertTrue(tags.add(r.tag()), "timed out twice: " + r.tag());
    }
    SenderActor.Result last = results.expectMessageClass(SenderActor.Result.class, Duration.ofSeconds(8));
    assertEquals(0, last.tag());
    assertInstanceOf(Outcome.TimedOut.class, last.outcome());
    results.expectNoMessage(Duration.ofMillis(500));
    // Every command reached the wire once: SENDs are never resent after a timeout.
    assertEquals(n, readFrames(w.radio(), new FrameDecoder(), n).size());
    assertEquals(0, w.radio().available());
    testKit.stop(w.sender(), WAIT);
  }

  @Test
  void aRepeatedAttachOfTheSameLinkKeepsTheFramesQueuedForIt() throws Exception {
    // The sender's start-up notice can reach the parent after the link opened, so the same link is
    // attached twice; frames queued behind a write in progress must survive that (the HELLO did not).
    LinkWriterTest.GatedTransport line = new LinkWriterTest.GatedTransport();
    TestProbe<DeviceActor.Command> parent = testKit.createTestProbe();
    ActorRef<SenderActor.Command> sender = testKit.spawn(SenderActor.create(parent.ref(), DeviceFixture.settings(testKit)));
    parent.expectMessageClass(DeviceActor.ChildStarted.class, WAIT);
    sender.tell(new SenderActor.Attach(line, 1, 4, false));
    TestProbe<SenderActor.Result> results = testKit.createTestProbe();
    sender.tell(new SenderActor.Submit(send(1, true), false, 1, results.ref()));
    line.started.poll(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS); // frame 1 is on the line
    sender.tell(new SenderActor.Submit(send(2, true), false, 2, results.ref()));
    sender.tell(new SenderActor.Submit(send(3, true), false, 3, results.ref()));
    sender.tell(new SenderActor.Attach(line, 1, 4, false)); // the late repeat
    // The actor handles messages in order, so frames 2 and 3 were queued before the repeat.
    TestProbe<SenderActor.Result> barrier = testKit.createTestProbe();
    sender.tell(new SenderActor.Submit(send(4, true), false, 4, barrier.ref()));
    for (int i = 0; i < 4; i++) {
      line.permits.add(true);
    }
    FrameDecoder decoder = new FrameDecoder();
    List<Integer> payloads = new ArrayList<>();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (payloads.size() < 4) {
      byte[] w = line.written.poll(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
      assertTrue(w != null && System.nanoTime() < deadline, "frames lost: only " + payloads + " were written");
      decoder.feed(w, 0, w.length, f -> {
        Command.Send c = (Command.Send) MessageCodec.decode(f);
        payloads.add(c.data().get(0) & 0xFF);
      });
    }
    assertEquals(List.of(1, 2, 3, 4), payloads);
    parent.expectNoMessage(Duration.ofMillis(200)); // no write failure reported
    testKit.stop(sender, WAIT);
  }
}
