package io.nowmesh.actors.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The decoder rules of docs/protocol.md §1 against hostile streams. */
class FrameDecoderTest {

  @Provide
  Arbitrary<List<Frame>> frameLists() {
    return MessageArbitraries.commands().list().ofMinSize(1).ofMaxSize(8)
        .map(cs -> {
          List<Frame> fs = new ArrayList<>();
          int seq = 1;
          for (Command c : cs) {
            fs.add(MessageCodec.encode(seq++, c));
          }
          return fs;
        });
  }

  private static byte[] concat(List<Frame> frames) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Frame f : frames) {
      out.writeBytes(f.toWire());
    }
    return out.toByteArray();
  }

  @Property(tries = 200)
  void concatenatedFramesAllArriveInOrder(@ForAll("frameLists") List<Frame> frames) {
    List<Frame> out = new ArrayList<>();
    FrameDecoder d = new FrameDecoder();
    d.feed(concat(frames), out::add);
    assertEquals(frames, out);
    assertEquals(0, d.corrupt());
  }

  @Property(tries = 100)
  void framesSplitAtEveryByteBoundaryStillArrive(@ForAll("frameLists") List<Frame> frames) {
    byte[] wire = concat(frames);
    for (int cut = 0; cut <= wire.length; cut++) {
      List<Frame> out = new ArrayList<>();
      FrameDecoder d = new FrameDecoder();
      d.feed(wire, 0, cut, out::add);
      d.feed(wire, cut, wire.length - cut, out::add);
      assertEquals(frames, out, "split at " + cut);
    }
  }

  @Test
  void byteAtATimeFeedingWorks() {
    Frame f = MessageCodec.encode(9, Command.Send.to(io.nowmesh.actors.espnow.Mac.BROADCAST,
        Bytes.of(new byte[250]), true));
    byte[] wire = f.toWire();
    List<Frame> out = new ArrayList<>();
    FrameDecoder d = new FrameDecoder();
    for (byte b : wire) {
      d.feed(new byte[] {b}, out::add);
    }
    assertEquals(List.of(f), out);
  }

  @Property(tries = 300)
  void aFlippedBitIsNeverDelivered(@ForAll("frameLists") List<Frame> frames, @ForAll long seed) {
    byte[] wire = concat(frames);
    Random rnd = new Random(seed);
    int pos = rnd.nextInt(wire.length);
    wire[pos] ^= (byte) (1 << rnd.nextInt(8));
    List<Frame> out = new ArrayList<>();
    FrameDecoder d = new FrameDecoder();
    d.feed(wire, out::add);
    d.feed(new byte[] {0}, out::add); // flush: the flip may have hit the last delimiter
    // every delivered frame is one that was sent: corruption is dropped, never delivered
    for (Frame f : out) {
      assertTrue(frames.contains(f), "delivered a corrupt frame " + f);
    }
    assertTrue(out.size() >= frames.size() - 2, "at most the hit frame and its neighbour are lost");
    if (out.size() < frames.size()) {
      assertTrue(d.corrupt() + d.empty() > 0, "a lost frame is counted");
    }
  }

  @Property(tries = 300)
  void droppedBytesLoseOnlyTheDamagedFrames(@ForAll("frameLists") List<Frame> frames, @ForAll long seed) {
    byte[] wire = concat(frames);
    Random rnd = new Random(seed);
    int pos = rnd.nextInt(wire.length);
    int n = 1 + rnd.nextInt(Math.min(5, wire.length - pos));
    ByteArrayOutputStream damaged = new ByteArrayOutputStream();
    damaged.write(wire, 0, pos);
    damaged.write(wire, pos + n, wire.length - pos - n);
    List<Frame> out = new ArrayList<>();
    FrameDecoder d = new FrameDecoder();
    d.feed(damaged.toByteArray(), out::add);
    for (Frame f : out) {
      assertTrue(frames.contains(f), "delivered a corrupt frame " + f);
    }
  }

  @Property(tries = 200)
  void garbageBeforeAFrameIsDroppedAndTheFrameArrives(@ForAll @Size(max = 3000) byte[] garbage,
      @ForAll("frameLists") List<Frame> frames) {
    List<Frame> out = new ArrayList<>();
    FrameDecoder d = new FrameDecoder();
    d.feed(garbage, out::add);
    d.feed(new byte[] {0}, out::add); // the sender's flush byte
    out.removeIf(f -> !frames.contains(f)); // garbage may by chance contain a valid frame: 2^-32
    out.clear();
    d.feed(concat(frames), out::add);
    assertEquals(frames, out);
  }

  @Test
  void aBoardRebootingMidFrameLosesOnlyTheTruncatedFrameAndTheOneGluedToIt() {
    Frame a = MessageCodec.encode(1, new Command.Stats());
    Frame b = MessageCodec.encode(2, new Command.PeerCount());
    Frame c = MessageCodec.encode(3, new Command.GetPeers());
    byte[] wa = a.toWire();
    ByteArrayOutputStream s = new ByteArrayOutputStream();
    s.write(wa, 0, wa.length / 2); // truncated, no delimiter
    s.writeBytes(b.toWire());
    s.writeBytes(c.toWire());
    List<Frame> out = new ArrayList<>();
    FrameDecoder d = new FrameDecoder();
    d.feed(s.toByteArray(), out::add);
    assertEquals(List.of(c), out);
    assertEquals(1, d.corrupt());
  }

  @Property(tries = 30)
  void oversizeRunsStayBoundedAndAreCounted(@ForAll @IntRange(min = 1031, max = 20000) int runLength) {
    byte[] run = new byte[runLength];
    java.util.Arrays.fill(run, (byte) 0x41);
    List<Frame> out = new ArrayList<>();
    FrameDecoder d = new FrameDecoder();
    d.feed(run, out::add);
    d.feed(new byte[] {0}, out::add);
    assertEquals(1, d.oversize());
    assertEquals(0, d.corrupt(), "the tail of an oversize run is discarded, not decoded");
    Frame f = MessageCodec.encode(5, new Command.Init());
    d.feed(f.toWire(), out::add);
    assertEquals(List.of(f), out);
  }

  @Test
  void theLongestLegalFrameIsNotOversize() {
    Frame f = Frame.of(0x43, 1, new byte[Frame.MAX_PAYLOAD]);
    byte[] wire = f.toWire();
    assertTrue(wire.length - 1 <= Frame.MAX_ENCODED);
    List<Frame> out = new ArrayList<>();
    FrameDecoder d = new FrameDecoder();
    d.feed(wire, out::add);
    assertEquals(List.of(f), out);
    assertEquals(0, d.oversize());
  }

  @Test
  void emptyFramesAreCountedButNotCorrupt() {
    FrameDecoder d = new FrameDecoder();
    d.feed(new byte[] {0, 0, 0}, f -> { throw new AssertionError("nothing to deliver"); });
    assertEquals(3, d.empty());
    assertEquals(0, d.corrupt());
  }

  @Property(tries = 300)
  void randomNoiseNeverThrows(@ForAll @Size(max = 5000) byte[] noise) {
    FrameDecoder d = new FrameDecoder();
    d.feed(noise, f -> { });
  }
}
