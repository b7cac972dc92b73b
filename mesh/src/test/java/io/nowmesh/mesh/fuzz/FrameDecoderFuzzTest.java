package io.nowmesh.mesh.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.nowmesh.actors.espnow.EspNowException;
import io.nowmesh.actors.link.Command;
import io.nowmesh.actors.link.Event;
import io.nowmesh.actors.link.Frame;
import io.nowmesh.actors.link.FrameDecoder;
import io.nowmesh.actors.link.Message;
import io.nowmesh.actors.link.MessageCodec;
import io.nowmesh.actors.link.Reply;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzzes the serial side (actors module): the byte stream through {@link FrameDecoder}, then each
 * frame through {@link MessageCodec#decode}. Lives in the mesh module so that all fuzz targets share
 * one Jazzer setup. Input: first byte picks the chunk size (1..64), the rest is the stream.
 *
 * <p>Properties: the decoder never throws and only delivers frames within protocol bounds; how the
 * stream is chunked changes nothing; every delimiter is accounted for by exactly one counter; each
 * frame re-encodes to wire bytes that decode to the same frame; message decoding throws nothing but
 * {@link EspNowException}, and a decoded message re-encodes and decodes to itself.
 */
class FrameDecoderFuzzTest {

  @FuzzTest(maxDuration = "10m")
  void decodesOrCountsEveryFrame(byte[] input) {
    if (input.length == 0) {
      return;
    }
    int chunk = (input[0] & 0x3F) + 1;
    byte[] stream = Arrays.copyOfRange(input, 1, input.length);

    FrameDecoder whole = new FrameDecoder();
    List<Frame> frames = new ArrayList<>();
    whole.feed(stream, frames::add);

    FrameDecoder chunked = new FrameDecoder();
    List<Frame> chunkedFrames = new ArrayList<>();
    for (int off = 0; off < stream.length; off += chunk) {
      chunked.feed(stream, off, Math.min(chunk, stream.length - off), chunkedFrames::add);
    }
    assertEquals(frames, chunkedFrames, "chunking changed the frames");
    assertEquals(whole.corrupt(), chunked.corrupt(), "chunking changed the corrupt count");
    assertEquals(whole.oversize(), chunked.oversize(), "chunking changed the oversize count");

    long delimiters = 0;
    for (byte b : stream) {
      delimiters += b == 0 ? 1 : 0;
    }
    long accounted = whole.frames() + whole.corrupt() + whole.empty();
    // An oversize run is closed by a delimiter, except possibly the last one still open at the end.
    assertTrue(delimiters - accounted == whole.oversize() || delimiters - accounted == whole.oversize() - 1,
        "delimiters " + delimiters + " vs frames/corrupt/empty " + accounted + " and oversize " + whole.oversize());
    assertEquals(frames.size(), whole.frames());

    for (Frame f : frames) {
      assertTrue(f.payload().length <= Frame.MAX_PAYLOAD, "payload over MAX_PAYLOAD");
      List<Frame> again = new ArrayList<>();
      new FrameDecoder().feed(f.toWire(), again::add);
      assertEquals(List.of(f), again, "frame does not round-trip through the wire");
      checkMessage(f);
    }
  }

  private static void checkMessage(Frame f) {
    Message m;
    try {
      m = MessageCodec.decode(f);
    } catch (EspNowException e) {
      assertTrue(e.getMessage() != null && !e.getMessage().isEmpty(), "typed error without a rule");
      return;
    }
    Frame reencoded;
    if (m instanceof Command c) {
      reencoded = MessageCodec.encode(f.seq(), c);
    } else if (m instanceof Reply r) {
      reencoded = MessageCodec.encode(r);
    } else {
      reencoded = MessageCodec.encode(f.seq(), (Event) m);
    }
    assertEquals(m, MessageCodec.decode(reencoded), "message does not round-trip: " + m);
  }
}
