package io.nowmesh.benchmarks.codec;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.function.IntSupplier;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A cross-check of {@link CodecBenchmark} for a machine shared with other work: times the same four
 * operations by this thread's CPU time rather than wall time, so minutes spent waiting for a core
 * do not count. Prints the median and best ns/frame of 15 rounds after a warm-up. Not a JMH
 * replacement (no fork, no dead-code guard beyond a checksum); a sanity figure only.
 *
 * <p>{@code java -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)
 * io.nowmesh.benchmarks.codec.CodecCpuTime}
 */
public final class CodecCpuTime {
  private static final int ROUNDS = 15;
  private static final int OPS = 200_000;

  private CodecCpuTime() {}

  public static void main(String[] args) {
    CodecBenchmark b = new CodecBenchmark();
    b.setup();
    Blackhole bh = new Blackhole(
        "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
    run("encodeSend", () -> b.encodeSend().length);
    run("encodeRecv", () -> b.encodeRecv().length);
    run("decodeSend", () -> {
      b.decodeSend(bh);
      return 1;
    });
    run("decodeRecv", () -> {
      b.decodeRecv(bh);
      return 1;
    });
    bh.evaporate("Yes, I am Stephen Hawking, and know a thing or two about black holes.");
  }

  private static void run(String name, IntSupplier op) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long sink = 0;
    for (int i = 0; i < 2_000_000; i++) { // warm-up: C2 compiles the whole path
      sink += op.getAsInt();
    }
    double[] ns = new double[ROUNDS];
    for (int r = 0; r < ROUNDS; r++) {
      long t0 = mx.getCurrentThreadCpuTime();
      for (int i = 0; i < OPS; i++) {
        sink += op.getAsInt();
      }
      ns[r] = (mx.getCurrentThreadCpuTime() - t0) / (double) OPS;
    }
    Arrays.sort(ns);
    System.out.printf("%-11s median %6.1f ns/frame (%,.0f frames/s per core)  best %6.1f ns  [checksum %d]%n",
        name, ns[ROUNDS / 2], 1e9 / ns[ROUNDS / 2], ns[0], sink);
  }
}
