package io.nowmesh.actors.link;

import java.io.IOException;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Transport} decorator that damages the byte stream the way a bad USB cable, a noisy UART
 * or a flaky hub does, for reliability tests: bit flips at a set bit-error rate, dropped bytes,
 * duplicated bytes, stalls (a read or write pauses), and abrupt closes (after a number of bytes, or
 * at random), each configured separately for the read side (radio → host) and the write side
 * (host → radio) with {@link Faults}.
 *
 * <p>Every random choice comes from a {@link Random} seeded from the constructor's seed, one per
 * direction, so a run is reproducible from its seed as far as the order of calls in each direction
 * is. Bit errors, drops and duplicates are independent per bit/byte (Bernoulli); the gaps between
 * them are drawn geometrically, so a BER of 1e-4 costs one random draw per ~10,000 bits, not one per
 * bit.
 *
 * <p>Thread-safety follows {@link Transport}: one reader and one writer thread at a time;
 * {@link #close()} and {@link #setFaults} may be called from any thread (close wakes a stall).
 * After an injected close every call throws until {@link #open()}, which reopens the delegate.
 */
public final class FaultyTransport implements Transport {

  /**
   * The faults of one direction.
   *
   * @param bitErrorRate     probability that any one bit is flipped (0..1)
   * @param dropRate         probability that any one byte is lost (0..1)
   * @param duplicateRate    probability that any one byte arrives twice (0..1)
   * @param stallProbability probability that a read/write call first pauses for {@code stallMillis}
   * @param stallMillis      length of a stall
   * @param closeProbability probability that a call closes the link abruptly (a write first passes
   *                         a random prefix of its bytes, as a cable pulled mid-frame would)
   * @param closeAfterBytes  close abruptly once this many bytes passed since the last open (0 = never)
   */
  public record Faults(double bitErrorRate, double dropRate, double duplicateRate, double stallProbability,
      long stallMillis, double closeProbability, long closeAfterBytes) {
    public static final Faults NONE = new Faults(0, 0, 0, 0, 0, 0, 0);

    public Faults {
      for (double p : new double[] {bitErrorRate, dropRate, duplicateRate, stallProbability, closeProbability}) {
        if (!(p >= 0 && p <= 1)) {
          throw new IllegalArgumentException("fault probabilities must be 0..1, got " + p);
        }
      }
      if (stallMillis < 0 || closeAfterBytes < 0) {
        throw new IllegalArgumentException("stallMillis and closeAfterBytes must be >= 0");
      }
    }

    public static Faults bitErrors(double ber) {
      return NONE.withBitErrorRate(ber);
    }

    public Faults withBitErrorRate(double p) {
      return new Faults(p, dropRate, duplicateRate, stallProbability, stallMillis, closeProbability, closeAfterBytes);
    }

    public Faults withDropRate(double p) {
      return new Faults(bitErrorRate, p, duplicateRate, stallProbability, stallMillis, closeProbability, closeAfterBytes);
    }

    public Faults withDuplicateRate(double p) {
      return new Faults(bitErrorRate, dropRate, p, stallProbability, stallMillis, closeProbability, closeAfterBytes);
    }

    public Faults withStalls(double p, long millis) {
      return new Faults(bitErrorRate, dropRate, duplicateRate, p, millis, closeProbability, closeAfterBytes);
    }

    public Faults withCloseProbability(double p) {
      return new Faults(bitErrorRate, dropRate, duplicateRate, stallProbability, stallMillis, p, closeAfterBytes);
    }

    public Faults withCloseAfterBytes(long n) {
      return new Faults(bitErrorRate, dropRate, duplicateRate, stallProbability, stallMillis, closeProbability, n);
    }
  }

  /** What was injected so far, per direction (cumulative over reopens). */
  public record Counters(long bytes, long bitsFlipped, long bytesDropped, long bytesDuplicated, long stalls,
      long closes) {}

  private final Transport delegate;
  private final Side reads;
  private final Side writes;
  private final Object stallLock = new Object();
  private volatile String failure;
  private volatile boolean closed;
  /** Bytes a read produced beyond the caller's buffer (duplicates), handed out by the next read. */
  private byte[] carry = new byte[0];
  private int carryOff;

  public FaultyTransport(Transport delegate, Faults onRead, Faults onWrite, long seed) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.reads = new Side("read", onRead, new Random(seed));
    this.writes = new Side("write", onWrite, new Random(seed * 31 + 17));
  }

  /** The same faults in both directions. */
  public FaultyTransport(Transport delegate, Faults both, long seed) {
    this(delegate, both, both, seed);
  }

  /** Changes the faults at run time (e.g. a clean phase after a noisy one). */
  public void setFaults(Faults onRead, Faults onWrite) {
    reads.setFaults(onRead);
    writes.setFaults(onWrite);
  }

  public Counters readCounters() {
    return reads.counters();
  }

  public Counters writeCounters() {
    return writes.counters();
  }

  public Transport delegate() {
    return delegate;
  }

  @Override
  public void open() throws IOException {
    delegate.open();
    synchronized (this) {
      carry = new byte[0];
      carryOff = 0;
    }
    reads.sinceOpen = 0;
    writes.sinceOpen = 0;
    failure = null;
    closed = false;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    check();
    if (len <= 0) {
      return 0;
    }
    synchronized (this) {
      if (carryOff < carry.length) {
        int n = Math.min(len, carry.length - carryOff);
        System.arraycopy(carry, carryOff, buf, off, n);
        carryOff += n;
        return n;
      }
    }
    Faults f = reads.faults;
    reads.maybeStall(f);
    check();
    if (reads.roll(f.closeProbability())) {
      throw injectClose(reads, "random close on read");
    }
    int n = delegate.read(buf, off, len);
    if (n <= 0) {
      return n;
    }
    int pass = reads.allowedBeforeClose(f, n);
    byte[] out = reads.damage(f, buf, off, pass);
    if (pass < n) {
      fail(reads, "closed after " + f.closeAfterBytes() + " bytes read");
    }
    int give = Math.min(len, out.length);
    System.arraycopy(out, 0, buf, off, give);
    if (give < out.length) {
      synchronized (this) {
        carry = out;
        carryOff = give;
      }
    }
    return give;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    check();
    Faults f = writes.faults;
    writes.maybeStall(f);
    check();
    if (len > 0 && writes.roll(f.closeProbability())) {
      int prefix = writes.random.nextInt(len);
      delegate.write(writes.damage(f, b, off, prefix));
      throw injectClose(writes, "random close on write after " + prefix + " of " + len + " bytes");
    }
    int pass = writes.allowedBeforeClose(f, len);
    byte[] out = writes.damage(f, b, off, pass);
    if (out.length > 0) {
      delegate.write(out);
    }
    if (pass < len) {
      throw injectClose(writes, "closed after " + f.closeAfterBytes() + " bytes written");
    }
  }

  @Override
  public boolean isOpen() {
    return failure == null && !closed && delegate.isOpen();
  }

  @Override
  public String describe() {
    return "faulty " + delegate.describe();
  }

  @Override
  public void close() {
    closed = true;
    synchronized (stallLock) {
      stallLock.notifyAll();
    }
    delegate.close();
  }

  @Override
  public String toString() {
    return describe();
  }

  private void check() throws IOException {
    String why = failure;
    if (why != null) {
      throw new IOException(describe() + ": " + why);
    }
    if (closed) {
      throw new IOException(describe() + ": closed");
    }
  }

  private IOException injectClose(Side side, String why) {
    fail(side, why);
    return new IOException(describe() + ": injected fault: " + why);
  }

  /** The link is gone from now on, as a vanished USB device: the delegate is closed too. */
  private void fail(Side side, String why) {
    side.closes.incrementAndGet();
    failure = "injected fault: " + why;
    delegate.close();
  }

  /** One direction's faults, random source and counters. */
  private final class Side {
    final String name;
    final Random random;
    volatile Faults faults;
    /** Good bits / bytes left before the next flip, drop, duplicate (geometric gaps). */
    long bitGap;
    long dropGap;
    long dupGap;
    long sinceOpen;
    final AtomicLong bytes = new AtomicLong();
    final AtomicLong flips = new AtomicLong();
    final AtomicLong drops = new AtomicLong();
    final AtomicLong dups = new AtomicLong();
    final AtomicLong stalls = new AtomicLong();
    final AtomicLong closes = new AtomicLong();

    Side(String name, Faults faults, Random random) {
      this.name = name;
      this.random = random;
      setFaults(faults);
    }

    synchronized void setFaults(Faults f) {
      faults = Objects.requireNonNull(f, name + " faults");
      bitGap = gap(f.bitErrorRate());
      dropGap = gap(f.dropRate());
      dupGap = gap(f.duplicateRate());
    }

    Counters counters() {
      return new Counters(bytes.get(), flips.get(), drops.get(), dups.get(), stalls.get(), closes.get());
    }

    boolean roll(double p) {
      return p > 0 && random.nextDouble() < p;
    }

    /** Number of successes before the first failure-with-probability-p: the gap to the next fault. */
    long gap(double p) {
      if (p <= 0) {
        return Long.MAX_VALUE;
      }
      if (p >= 1) {
        return 0;
      }
      double g = Math.floor(Math.log(1 - random.nextDouble()) / Math.log1p(-p));
      return g >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) g;
    }

    void maybeStall(Faults f) throws IOException {
      if (f.stallMillis() <= 0 || !roll(f.stallProbability())) {
        return;
      }
      stalls.incrementAndGet();
      long deadline = System.nanoTime() + f.stallMillis() * 1_000_000L;
      synchronized (stallLock) {
        long left;
        while (!closed && (left = deadline - System.nanoTime()) > 0) {
          try {
            stallLock.wait(Math.max(1, left / 1_000_000L));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(describe() + ": interrupted during an injected stall", e);
          }
        }
      }
    }

    /** How many of the next {@code n} bytes may pass before a close-after-N fault. */
    int allowedBeforeClose(Faults f, int n) {
      if (f.closeAfterBytes() <= 0) {
        return n;
      }
      long left = Math.max(0, f.closeAfterBytes() - sinceOpen);
      return (int) Math.min(n, left);
    }

    /** A damaged copy of {@code len} bytes: drops, bit flips, duplicates, in that order per byte. */
    synchronized byte[] damage(Faults f, byte[] src, int off, int len) {
      sinceOpen += len;
      bytes.addAndGet(len);
      byte[] out = new byte[len + 16];
      int o = 0;
      for (int i = 0; i < len; i++) {
        if (dropGap == 0) {
          dropGap = gap(f.dropRate());
          drops.incrementAndGet();
          continue;
        } else if (dropGap != Long.MAX_VALUE) {
          dropGap--;
        }
        int b = src[off + i] & 0xFF;
        int pos = 0;
        while (bitGap < 8 - pos) { // the next flipped bit falls inside this byte
          pos += (int) bitGap;
          b ^= 1 << pos;
          flips.incrementAndGet();
          pos++;
          bitGap = gap(f.bitErrorRate());
        }
        if (bitGap != Long.MAX_VALUE) {
          bitGap -= 8 - pos;
        }
        if (o + 2 > out.length) {
          out = java.util.Arrays.copyOf(out, out.length * 2);
        }
        out[o++] = (byte) b;
        if (dupGap == 0) {
          dupGap = gap(f.duplicateRate());
          dups.incrementAndGet();
          out[o++] = (byte) b;
        } else if (dupGap != Long.MAX_VALUE) {
          dupGap--;
        }
      }
      return o == out.length ? out : java.util.Arrays.copyOf(out, o);
    }
  }
}
