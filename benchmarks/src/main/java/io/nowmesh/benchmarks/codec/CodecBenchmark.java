package io.nowmesh.benchmarks.codec;

import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.actors.link.Bytes;
import io.nowmesh.actors.link.Command;
import io.nowmesh.actors.link.Event;
import io.nowmesh.actors.link.Frame;
import io.nowmesh.actors.link.FrameDecoder;
import io.nowmesh.actors.link.Message;
import io.nowmesh.actors.link.MessageCodec;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The host's whole serial codec path for a full-size ESP-NOW message, one thread (= one core):
 * message record to wire bytes (encode) and wire bytes through the streaming decoder back to a
 * message record (decode). 250 non-zero payload bytes: the COBS worst case (no zero to reuse).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CodecBenchmark {
  static final int PAYLOAD = 250;

  private Command.Send send;
  private Event.Recv recv;
  private byte[] sendWire;
  private byte[] recvWire;
  private final FrameDecoder decoder = new FrameDecoder();
  private int seq;

  /** A payload without zero bytes, so COBS cannot shorten anything. */
  public static byte[] payload() {
    byte[] p = new byte[PAYLOAD];
    for (int i = 0; i < p.length; i++) {
      p[i] = (byte) (1 + i % 255);
    }
    return p;
  }

  public static Command.Send sendMessage() {
    return Command.Send.to(Mac.parse("24:6f:28:aa:bb:cc"), Bytes.of(payload()), true);
  }

  public static Event.Recv recvMessage() {
    return new Event.Recv(Mac.parse("24:6f:28:aa:bb:cc"), Mac.parse("30:ae:a4:11:22:33"), -61, 123_456L,
        Bytes.of(payload()));
  }

  @Setup
  public void setup() {
    send = sendMessage();
    recv = recvMessage();
    sendWire = MessageCodec.encode(1, send).toWire();
    recvWire = MessageCodec.encode(1, recv).toWire();
  }

  private int nextSeq() {
    seq = seq == 0xFFFF ? 1 : seq + 1;
    return seq;
  }

  @Benchmark
  public byte[] encodeSend() {
    return MessageCodec.encode(nextSeq(), send).toWire();
  }

  @Benchmark
  public byte[] encodeRecv() {
    return MessageCodec.encode(nextSeq(), recv).toWire();
  }

  @Benchmark
  public void decodeSend(Blackhole bh) {
    decoder.feed(sendWire, f -> bh.consume(MessageCodec.decode(f)));
  }

  @Benchmark
  public void decodeRecv(Blackhole bh) {
    decoder.feed(recvWire, f -> bh.consume(MessageCodec.decode(f)));
  }

  /** Wire bytes (COBS + delimiter included) for a message, for the overhead table. */
  public static int wireLength(Message m) {
    Frame f = m instanceof Command c ? MessageCodec.encode(1, c) : MessageCodec.encode(1, (Event) m);
    return f.toWire().length;
  }
}
