package io.nowmesh.actors.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The places where the bulk decoder and encoder take a different road from a per-byte loop: a
 * delimiter alone in the next chunk, runs at exactly the size limit (decoded from the chunk or from
 * the decoder's buffer), zeros at COBS block edges, many frames in one chunk, the shared scratch
 * buffer of {@link Frame#toWire()} and the payload window of {@link Bytes}.
 */
class FrameDecoderEdgeTest {

  private static Frame recv(int seq, byte[] data) {
    return MessageCodec.encode(seq, new Event.Recv(io.nowmesh.actors.espnow.Mac.BROADCAST,
        io.nowmesh.actors.espnow.Mac.ZERO, -40, 7, Bytes.of(data)));
  }

  @Test
  void aDelimiterArrivingAloneInTheNextChunkEndsTheFrame() {
    Frame f = recv(3, BulkCodecEquivalenceTest.filled(250, 9));
    byte[] wire = f.toWire();
    List<Frame> out = new ArrayList<>();
    FrameDecoder d = new FrameDecoder();
    d.feed(wire, 0, wire.length - 1, out::add);
    assertEquals(List.of(), out, "no delimiter yet");
    d.feed(wire, wire.length - 1, 1, out::add);
    assertEquals(List.of(f), out);
    assertEquals(0, d.empty());
  }

  @Test
  void aRunOfExactlyTheLimitIsDecodedAndOneMoreIsOversizeWholeOrSplit() {
    for (int cut : new int[] {0, 1, 500, Frame.MAX_ENCODED - 1, Frame.MAX_ENCODED, Frame.MAX_ENCODED + 1}) {
      for (int extra = 0; extra <= 1; extra++) {
        byte[] run = BulkCodecEquivalenceTest.filled(Frame.MAX_ENCODED + extra + 1, 0x41);
        run[run.length - 1] = 0;
        FrameDecoder d = new FrameDecoder();
        int at = Math.min(cut, run.length);
        d.feed(run, 0, at, f -> { });
        d.feed(run, at, run.length - at, f -> { });
        String how = "run " + (run.length - 1) + " cut at " + cut;
        assertEquals(extra, d.oversize(), how);
        assertEquals(1 - extra, d.corrupt(), how + ": a full-limit run is decoded (and fails: bad COBS)");
      }
    }
  }

  @Test
  void theLongestLegalBodyWithNoZeroDecodesWholeAndSplit() {
    Frame f = Frame.of(0x43, 0x0101, BulkCodecEquivalenceTest.filled(Frame.MAX_PAYLOAD, 0x7E));
    byte[] wire = f.toWire();
    assertEquals(Frame.MAX_BODY + Frame.MAX_BODY / 254 + 1 + 1, wire.length, "4 extra code bytes + delimiter");
    for (int cut = 0; cut <= wire.length; cut += 127) {
      List<Frame> out = new ArrayList<>();
      FrameDecoder d = new FrameDecoder();
      d.feed(wire, 0, cut, out::add);
      d.feed(wire, cut, wire.length - cut, out::add);
      assertEquals(List.of(f), out, "cut at " + cut);
    }
  }

  @Test
  void zerosAtEveryPositionAroundTheCobsBlockEdgesRoundTrip() {
    FrameDecoder d = new FrameDecoder();
    for (int zeroAt = 240; zeroAt < 520; zeroAt++) {
      byte[] data = BulkCodecEquivalenceTest.filled(600, 0x11);
      data[zeroAt] = 0;
      data[Math.min(599, zeroAt + 254)] = 0;
      Frame f = Frame.of(0x44, zeroAt, data);
      byte[] wire = f.toWire();
      byte[] body = f.body();
      assertArrayEquals(ByteAtATimeReference.cobsEncode(body), Arrays.copyOf(wire, wire.length - 1), "zero at " + zeroAt);
      List<Frame> out = new ArrayList<>();
      d.feed(wire, out::add);
      assertEquals(List.of(f), out, "zero at " + zeroAt);
    }
    assertEquals(0, d.corrupt());
  }

  @Test
  void aThousandFramesInOneChunkAllArriveInOrder() {
    ByteArrayOutputStream s = new ByteArrayOutputStream();
    List<Frame> sent = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      byte[] data = new byte[i % 251];
      Arrays.fill(data, (byte) i);
      Frame f = recv(i + 1, data);
      sent.add(f);
      s.writeBytes(f.toWire());
      if (i % 100 == 0) {
        s.write(0); // a flush byte now and then
      }
    }
    List<Frame> out = new ArrayList<>();
    FrameDecoder d = new FrameDecoder();
    d.feed(s.toByteArray(), out::add);
    assertEquals(sent, out);
    assertEquals(10, d.empty());
    assertEquals(0, d.corrupt());
  }

  @Test
  void aSinkThatThrowsLeavesTheDecoderReadyForTheNextFrame() {
    Frame a = recv(1, new byte[] {1, 2, 3});
    Frame b = recv(2, new byte[] {4, 5, 6});
    byte[] wa = a.toWire();
    FrameDecoder d = new FrameDecoder();
    d.feed(wa, 0, 5, f -> { });
    assertThrows(IllegalStateException.class,
        () -> d.feed(wa, 5, wa.length - 5, f -> { throw new IllegalStateException("sink failed"); }));
    List<Frame> out = new ArrayList<>();
    d.feed(b.toWire(), out::add);
    assertEquals(List.of(b), out, "the buffered frame was cleared before the sink ran");
  }

  @Test
  void toWireFromManyThreadsAtOnceGivesEachItsOwnBytes() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int fill = t + 1;
        results.add(pool.submit(() -> {
          for (int i = 0; i < 2000; i++) {
            Frame f = recv(i + 1, BulkCodecEquivalenceTest.filled(50 + fill * 50, fill));
            byte[] expected = ByteAtATimeReference.cobsEncode(f.body());
            if (!Arrays.equals(expected, Arrays.copyOf(f.toWire(), expected.length))) {
              return false;
            }
          }
          return true;
        }));
      }
      for (Future<Boolean> r : results) {
        assertEquals(true, r.get(60, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aPayloadWindowBehavesLikeACopy() {
    byte[] frame = {9, 9, 1, 2, 3, 4, 9};
    Bytes window = Bytes.wrap(frame, 2, 4);
    Bytes copy = Bytes.of(new byte[] {1, 2, 3, 4});
    assertEquals(copy, window);
    assertEquals(window, copy);
    assertEquals(copy.hashCode(), window.hashCode());
    assertEquals(Arrays.hashCode(new byte[] {1, 2, 3, 4}), window.hashCode());
    assertEquals("0x01020304", window.toString());
    assertArrayEquals(new byte[] {1, 2, 3, 4}, window.toArray());
    assertEquals(4, window.length());
    assertEquals(4, window.get(3));
    assertThrows(IndexOutOfBoundsException.class, () -> window.get(4), "no peeking past the window");
    assertThrows(IndexOutOfBoundsException.class, () -> window.get(-1));
    byte[] into = new byte[6];
    window.writeTo(into, 1);
    assertArrayEquals(new byte[] {0, 1, 2, 3, 4, 0}, into);
    assertNotEquals(Bytes.wrap(frame, 1, 4), copy);
    assertEquals(Bytes.EMPTY, Bytes.wrap(frame, 7, 0));
  }

  @Test
  void aDecodedRecvCarriesExactlyItsDataAndNothingAround() {
    byte[] data = BulkCodecEquivalenceTest.filled(250, 0x5C);
    Frame f = recv(4, data);
    List<Frame> out = new ArrayList<>();
    new FrameDecoder().feed(f.toWire(), out::add);
    Event.Recv r = (Event.Recv) MessageCodec.decode(out.get(0));
    assertArrayEquals(data, r.data().toArray());
    assertEquals(Bytes.of(data), r.data());
    assertEquals(f, MessageCodec.encode(4, r), "re-encodes to the same frame");
  }
}
