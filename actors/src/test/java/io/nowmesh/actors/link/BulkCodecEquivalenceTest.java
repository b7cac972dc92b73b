package io.nowmesh.actors.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The bulk COBS coder and chunk-scanning frame decoder against the byte-at-a-time originals
 * ({@link ByteAtATimeReference}): same bytes, same frames, same counters, however the stream is cut.
 * Generators lean on what the bulk code treats specially: zeros, runs of 254 non-zero bytes and
 * their neighbours, frames at the size limits, and chunk edges.
 */
class BulkCodecEquivalenceTest {

  /** Bytes from a small alphabet (zero-heavy) or runs of non-zero bytes sized around 254 and 508. */
  @Provide
  Arbitrary<byte[]> cobsData() {
    Arbitrary<byte[]> zeroHeavy = Arbitraries.of((byte) 0, (byte) 1, (byte) 0x7F, (byte) 0x80, (byte) 0xFF)
        .array(byte[].class).ofMaxSize(1100);
    Arbitrary<byte[]> runs = Arbitraries.integers().between(0, 520).list().ofMaxSize(4).map(lens -> {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (int n : lens) {
        for (int k = 0; k < n; k++) {
          out.write(1 + (k % 255));
        }
        out.write(0);
      }
      byte[] b = out.toByteArray();
      return b.length > 0 && lens.size() % 2 == 0 ? Arrays.copyOf(b, b.length - 1) : b; // end with or without 0
    });
    Arbitrary<byte[]> any = Arbitraries.bytes().array(byte[].class).ofMaxSize(1100);
    return Arbitraries.oneOf(zeroHeavy, runs, any);
  }

  @Property(tries = 1000)
  void cobsEncodeIsByteForByteTheReference(@ForAll("cobsData") byte[] data) {
    byte[] expected = ByteAtATimeReference.cobsEncode(data);
    assertArrayEquals(expected, Cobs.encode(data));
    assertEquals(expected.length, Cobs.encodedLength(data, 0, data.length));
    byte[] dst = new byte[3 + Cobs.maxEncodedLength(data.length)];
    assertEquals(expected.length, Cobs.encode(data, 0, data.length, dst, 3));
    assertArrayEquals(expected, Arrays.copyOfRange(dst, 3, 3 + expected.length));
  }

  @Property(tries = 1000)
  void cobsEncodesInPlaceWithTheDocumentedHeadroom(@ForAll("cobsData") byte[] data, @ForAll @IntRange(max = 3) int base) {
    int at = base + 1 + data.length / 254; // the least headroom Cobs.encode documents
    byte[] buf = new byte[at + data.length];
    System.arraycopy(data, 0, buf, at, data.length);
    int n = Cobs.encode(buf, at, data.length, buf, base);
    assertArrayEquals(ByteAtATimeReference.cobsEncode(data), Arrays.copyOfRange(buf, base, base + n));
  }

  @Property(tries = 1000)
  void cobsDecodeAgreesWithTheReferenceOnAnyInput(@ForAll("cobsData") byte[] data,
      @ForAll @IntRange(max = 1200) int dstSize, @ForAll boolean encodeFirst) {
    byte[] src = encodeFirst ? Cobs.encode(data) : data;
    byte[] want = new byte[dstSize + 2];
    byte[] got = new byte[dstSize + 2];
    int n = ByteAtATimeReference.cobsDecode(src, 0, src.length, want, 2);
    assertEquals(n, Cobs.decode(src, 0, src.length, got, 2));
    if (n >= 0) {
      assertArrayEquals(Arrays.copyOfRange(want, 2, 2 + n), Arrays.copyOfRange(got, 2, 2 + n));
    }
  }

  @Property(tries = 1000)
  void indexOfZeroFindsTheFirstZero(@ForAll("cobsData") byte[] data, @ForAll @IntRange(max = 1200) int a,
      @ForAll @IntRange(max = 1200) int b) {
    int from = Math.min(Math.min(a, b), data.length);
    int to = Math.min(Math.max(a, b), data.length);
    int expected = to;
    for (int i = from; i < to; i++) {
      if (data[i] == 0) {
        expected = i;
        break;
      }
    }
    assertEquals(expected, Cobs.indexOfZero(data, from, to));
  }

  /** A stream piece: a good frame, a damaged one, noise, a delimiter, or a run near the size limit. */
  @Provide
  Arbitrary<byte[]> streams() {
    Arbitrary<byte[]> payloads = Arbitraries.oneOf(cobsData(),
        Arbitraries.integers().between(Frame.MAX_PAYLOAD - 10, Frame.MAX_PAYLOAD).map(n -> filled(n, 0x5A)))
        .filter(p -> p.length <= Frame.MAX_PAYLOAD);
    Arbitrary<byte[]> good = payloads.map(p -> Frame.of(0x41, p.length & 0xFFFF, p).toWire());
    Arbitrary<byte[]> damaged = good.flatMap(w -> Arbitraries.integers().between(0, w.length - 1).map(i -> {
      byte[] d = w.clone();
      d[i] ^= 0x10;
      return d;
    }));
    Arbitrary<byte[]> truncated = good.map(w -> Arrays.copyOf(w, w.length / 2));
    Arbitrary<byte[]> nearLimit = Arbitraries.integers().between(Frame.MAX_ENCODED - 3, Frame.MAX_ENCODED + 3)
        .flatMap(n -> Arbitraries.of(true, false).map(delimited -> {
          byte[] run = filled(n + (delimited ? 1 : 0), 0x41);
          if (delimited) {
            run[n] = 0;
          }
          return run;
        }));
    Arbitrary<byte[]> longRun = Arbitraries.integers().between(1, 4000).map(n -> filled(n, 0x33));
    Arbitrary<byte[]> zeros = Arbitraries.integers().between(1, 3).map(byte[]::new);
    Arbitrary<byte[]> noise = Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, good), net.jqwik.api.Tuple.of(2, damaged), net.jqwik.api.Tuple.of(1, truncated),
        net.jqwik.api.Tuple.of(2, nearLimit), net.jqwik.api.Tuple.of(1, longRun), net.jqwik.api.Tuple.of(2, zeros),
        net.jqwik.api.Tuple.of(1, noise))
        .list().ofMaxSize(12).map(BulkCodecEquivalenceTest::concat);
  }

  @Property(tries = 400)
  void anyChunkingDecodesLikeTheByteAtATimeDecoder(@ForAll("streams") byte[] stream,
      @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 1, max = 1500) Integer> chunkSizes) {
    ByteAtATimeReference.Decoder ref = new ByteAtATimeReference.Decoder();
    List<Frame> expected = new ArrayList<>();
    ref.feed(stream, 0, stream.length, expected::add);

    FrameDecoder whole = new FrameDecoder();
    List<Frame> wholeOut = new ArrayList<>();
    whole.feed(stream, wholeOut::add);
    assertSame(ref, expected, whole, wholeOut, "one chunk");

    FrameDecoder chunked = new FrameDecoder();
    List<Frame> chunkedOut = new ArrayList<>();
    int off = 0;
    for (int k = 0; off < stream.length; k++) {
      int n = Math.min(chunkSizes.get(k % chunkSizes.size()), stream.length - off);
      chunked.feed(stream, off, n, chunkedOut::add);
      off += n;
    }
    assertSame(ref, expected, chunked, chunkedOut, "chunks " + chunkSizes);
  }

  @Property(tries = 100)
  void byteAtATimeFeedingDecodesLikeTheReference(@ForAll("streams") byte[] stream) {
    ByteAtATimeReference.Decoder ref = new ByteAtATimeReference.Decoder();
    List<Frame> expected = new ArrayList<>();
    ref.feed(stream, 0, stream.length, expected::add);
    FrameDecoder d = new FrameDecoder();
    List<Frame> out = new ArrayList<>();
    for (int i = 0; i < stream.length; i++) {
      d.feed(stream, i, 1, out::add);
    }
    assertSame(ref, expected, d, out, "byte at a time");
  }

  private static void assertSame(ByteAtATimeReference.Decoder ref, List<Frame> expected, FrameDecoder d,
      List<Frame> got, String how) {
    assertEquals(expected, got, how + ": frames");
    assertEquals(ref.frames, d.frames(), how + ": frames counter");
    assertEquals(ref.corrupt, d.corrupt(), how + ": corrupt counter");
    assertEquals(ref.oversize, d.oversize(), how + ": oversize counter");
    assertEquals(ref.empty, d.empty(), how + ": empty counter");
  }

  static byte[] filled(int n, int value) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) value);
    return b;
  }

  private static byte[] concat(List<byte[]> parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    parts.forEach(out::writeBytes);
    return out.toByteArray();
  }
}
