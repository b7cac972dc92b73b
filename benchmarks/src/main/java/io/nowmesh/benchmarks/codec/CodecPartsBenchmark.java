package io.nowmesh.benchmarks.codec;

import io.nowmesh.actors.link.Cobs;
import io.nowmesh.actors.link.Crc32c;
import io.nowmesh.actors.link.MessageCodec;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The stages of {@link CodecBenchmark} on their own (a 265-byte SEND body), so a slow total can be
 * pinned on COBS, the CRC or the message layer.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CodecPartsBenchmark {
  private byte[] body;
  private byte[] cobs;
  private byte[] wire;
  private io.nowmesh.actors.link.Frame frame;
  private io.nowmesh.actors.link.Command.Send send;
  private final io.nowmesh.actors.link.FrameDecoder decoder = new io.nowmesh.actors.link.FrameDecoder();
  private final byte[] out = new byte[2048];

  @Setup
  public void setup() {
    body = MessageCodec.encode(1, CodecBenchmark.sendMessage()).body();
    cobs = Cobs.encode(body);
    send = CodecBenchmark.sendMessage();
    frame = MessageCodec.encode(1, send);
    wire = frame.toWire();
  }

  /** Wire bytes → Frame (delimiting, COBS, CRC), no message decoding. */
  @Benchmark
  public void partFrameDecoder(org.openjdk.jmh.infra.Blackhole bh) {
    decoder.feed(wire, bh::consume);
  }

  /** Frame → message record only. */
  @Benchmark
  public Object partMessageDecode() {
    return MessageCodec.decode(frame);
  }

  /** Message record → Frame only (no COBS, no CRC). */
  @Benchmark
  public Object partMessageEncode() {
    return MessageCodec.encode(1, send);
  }

  /** Frame → wire bytes only (body assembly, CRC-32C, COBS, the exact-size wire array). */
  @Benchmark
  public byte[] partToWire() {
    return frame.toWire();
  }

  @Benchmark
  public int partCobsEncode() {
    return Cobs.encode(body, 0, body.length, out, 0);
  }

  @Benchmark
  public int partCobsDecode() {
    return Cobs.decode(cobs, 0, cobs.length, out, 0);
  }

  @Benchmark
  public int partCrc32c() {
    return Crc32c.compute(body, 0, body.length - 4);
  }
}
