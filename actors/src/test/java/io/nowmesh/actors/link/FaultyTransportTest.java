package io.nowmesh.actors.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowmesh.actors.link.FaultyTransport.Faults;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The fault injector does what its settings say, and nothing when they say nothing. */
class FaultyTransportTest {

  static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** Writes {@code data} through a faulty host end and returns what the radio end received. */
  static byte[] throughWrite(Faults f, long seed, byte[] data) throws IOException {
    InMemoryTransport.Pair p = InMemoryTransport.pair("w", data.length * 2 + 64);
    FaultyTransport t = new FaultyTransport(p.host(), Faults.NONE, f, seed);
    for (int i = 0; i < data.length; i += 4096) {
      t.write(data, i, Math.min(4096, data.length - i));
    }
    return drain(p.radio());
  }

  static byte[] drain(Transport t) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    int n;
    while ((n = t.read(buf, 0, buf.length)) > 0) {
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  @Test
  void withoutFaultsEveryByteArrivesUnchangedBothWays() throws IOException {
    InMemoryTransport.Pair p = InMemoryTransport.pair("clean", 1 << 21);
    FaultyTransport t = new FaultyTransport(p.host(), Faults.NONE, 1);
    byte[] data = random(1 << 20, 7);
    t.write(data);
    assertArrayEquals(data, drain(p.radio()));
    p.radio().write(data);
    assertArrayEquals(data, drain(t));
    assertEquals(new FaultyTransport.Counters(data.length, 0, 0, 0, 0, 0), t.writeCounters());
    assertEquals(new FaultyTransport.Counters(data.length, 0, 0, 0, 0, 0), t.readCounters());
  }

  @Test
  void flipsBitsAtTheConfiguredRateAndCountsEachFlip() throws IOException {
    byte[] data = random(1_000_000, 11);
    double ber = 1e-3;
    byte[] got = throughWrite(Faults.bitErrors(ber), 5, data);
    assertEquals(data.length, got.length, "bit errors never change the length");
    long flipped = 0;
    for (int i = 0; i < data.length; i++) {
      flipped += Integer.bitCount((data[i] ^ got[i]) & 0xFF);
    }
    double expected = ber * 8 * data.length; // 8000
    double sigma = Math.sqrt(expected);
    assertTrue(Math.abs(flipped - expected) < 5 * sigma, "flipped " + flipped + ", expected about " + expected);
    assertArrayEquals(got, throughWrite(Faults.bitErrors(ber), 5, data), "the same seed damages the same bits");
    assertNotEquals(java.util.Arrays.hashCode(got),
        java.util.Arrays.hashCode(throughWrite(Faults.bitErrors(ber), 6, data)), "another seed, other bits");
  }

  @Test
  void dropsAndDuplicatesBytesAtTheConfiguredRates() throws IOException {
    byte[] data = random(200_000, 3);
    InMemoryTransport.Pair p = InMemoryTransport.pair("dd", 1 << 20);
    FaultyTransport t = new FaultyTransport(p.host(), Faults.NONE,
        Faults.NONE.withDropRate(0.01).withDuplicateRate(0.02), 9);
    t.write(data);
    byte[] got = drain(p.radio());
    FaultyTransport.Counters c = t.writeCounters();
    assertEquals(data.length - c.bytesDropped() + c.bytesDuplicated(), got.length);
    assertTrue(Math.abs(c.bytesDropped() - 2000) < 5 * Math.sqrt(2000), "dropped " + c.bytesDropped());
    assertTrue(Math.abs(c.bytesDuplicated() - 4000 * 0.99) < 5 * Math.sqrt(4000), "duplicated " + c.bytesDuplicated());
  }

  @Test
  void readDuplicatesBeyondTheCallersBufferAreHandedOutNext() throws IOException {
    InMemoryTransport.Pair p = InMemoryTransport.pair("carry");
    FaultyTransport t = new FaultyTransport(p.host(), Faults.NONE.withDuplicateRate(1), Faults.NONE, 1);
    p.radio().write(new byte[] {1, 2, 3});
    byte[] buf = new byte[4];
    assertEquals(4, t.read(buf, 0, 4));
    assertArrayEquals(new byte[] {1, 1, 2, 2}, buf);
    assertEquals(2, t.read(buf, 0, 4));
    assertEquals(3, buf[0]);
    assertEquals(3, buf[1]);
  }

  @Test
  void closesAbruptlyAfterTheConfiguredBytesAndReopens() throws IOException {
    InMemoryTransport.Pair p = InMemoryTransport.pair("cut");
    FaultyTransport t = new FaultyTransport(p.host(), Faults.NONE, Faults.NONE.withCloseAfterBytes(60), 1);
    byte[] data = random(100, 1);
    IOException e = assertThrows(IOException.class, () -> t.write(data));
    assertTrue(e.getMessage().contains("injected fault"), e.getMessage());
    byte[] got = drain(p.radio());
    assertArrayEquals(java.util.Arrays.copyOf(data, 60), got, "the first 60 bytes went out, then the cable was cut");
    assertFalse(t.isOpen());
    assertThrows(IOException.class, () -> t.read(new byte[8], 0, 8));
    assertThrows(IOException.class, () -> t.write(new byte[1]));
    assertEquals(1, t.writeCounters().closes());

    t.open();
    assertTrue(t.isOpen());
    t.write(data, 0, 50); // the byte count starts again at each open
    assertArrayEquals(java.util.Arrays.copyOf(data, 50), drain(p.radio()));
    p.radio().write(new byte[] {42});
    byte[] one = new byte[1];
    assertEquals(1, t.read(one, 0, 1));
    assertEquals(42, one[0]);
  }

  @Test
  void aRandomCloseOnWritePassesOnlyAPrefix() throws IOException {
    InMemoryTransport.Pair p = InMemoryTransport.pair("rc");
    FaultyTransport t = new FaultyTransport(p.host(), Faults.NONE, Faults.NONE.withCloseProbability(1), 4);
    byte[] data = random(500, 2);
    assertThrows(IOException.class, () -> t.write(data));
    byte[] got = drain(p.radio());
    assertTrue(got.length < data.length);
    assertArrayEquals(java.util.Arrays.copyOf(data, got.length), got);
  }

  @Test
  void stallsPauseACallAndCloseEndsAStall() throws Exception {
    InMemoryTransport.Pair p = InMemoryTransport.pair("stall");
    FaultyTransport t = new FaultyTransport(p.host(), Faults.NONE.withStalls(1, 30_000),
        Faults.NONE.withStalls(1, 200), 1);
    long t0 = System.nanoTime();
    t.write(new byte[] {1});
    assertTrue(System.nanoTime() - t0 >= 200_000_000L, "the write stalled 200 ms");
    assertEquals(1, t.writeCounters().stalls());

    CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
      try {
        return t.read(new byte[8], 0, 8);
      } catch (IOException e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    });
    TestWait.until(() -> t.readCounters().stalls() == 1);
    t.close(); // a 30 s stall must not outlive the link
    ExecutionException e = assertThrows(ExecutionException.class, () -> read.get(5, TimeUnit.SECONDS));
    assertTrue(e.getCause() instanceof IOException, e.toString());
  }

  @Test
  void refusesNonsenseSettings() {
    assertThrows(IllegalArgumentException.class, () -> Faults.bitErrors(1.5));
    assertThrows(IllegalArgumentException.class, () -> Faults.NONE.withDropRate(-0.1));
    assertThrows(IllegalArgumentException.class, () -> Faults.NONE.withCloseAfterBytes(-1));
    assertThrows(IllegalArgumentException.class, () -> Faults.NONE.withStalls(0.5, -1));
  }

  /** Polls a condition with a deadline (no fixed sleeps). */
  static final class TestWait {
    static void until(java.util.function.BooleanSupplier c) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!c.getAsBoolean()) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("condition not met within 10 s");
        }
        Thread.onSpinWait();
        Thread.yield();
      }
    }
  }
}
