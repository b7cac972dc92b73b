package io.nowmesh.actors.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowmesh.actors.link.Transport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The sender's writer: order, coalescing, one failure report, one writer per transport at a time. */
class LinkWriterTest {
  static final ExecutorService pool = Executors.newCachedThreadPool();
  static final long WAIT_S = 10;

  @AfterAll
  static void cleanup() {
    pool.shutdownNow();
  }

  /** Records every write call; each write waits for a permit, so a test can hold a write "on the line". */
  static final class GatedTransport implements Transport {
    final List<byte[]> writes = new CopyOnWriteArrayList<>();
    final LinkedBlockingQueue<byte[]> written = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<Boolean> permits = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<Integer> started = new LinkedBlockingQueue<>();
    final AtomicInteger active = new AtomicInteger();
    volatile boolean overlapped;
    volatile IOException failWith;

    @Override
    public void open() {}

    @Override
    public int read(byte[] buf, int off, int len) {
      return 0;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (active.incrementAndGet() > 1) {
        overlapped = true;
      }
      try {
        started.add(len);
        try {
          if (permits.poll(WAIT_S, TimeUnit.SECONDS) == null) {
            throw new IOException("test: no permit");
          }
        } catch (InterruptedException e) {
          throw new IOException(e);
        }
        if (failWith != null) {
          throw failWith;
        }
        byte[] copy = Arrays.copyOfRange(b, off, off + len);
        writes.add(copy);
        written.add(copy);
      } finally {
        active.decrementAndGet();
      }
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public String describe() {
      return "gated";
    }

    @Override
    public void close() {}
  }

  static byte[] frame(int id, int len) {
    byte[] f = new byte[len];
    Arrays.fill(f, (byte) id);
    return f;
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  /** Waits until {@code bytes} bytes in all have been written. */
  static void awaitBytes(GatedTransport t, int bytes) throws Exception {
    int seen = 0;
    while (seen < bytes) {
      byte[] w = t.written.poll(WAIT_S, TimeUnit.SECONDS);
      assertTrue(w != null, "expected " + bytes + " bytes written, got " + seen);
      seen += w.length;
    }
  }

  static void awaitWrites(GatedTransport t, int n) throws Exception {
    for (int i = 0; i < n; i++) {
      assertTrue(t.written.poll(WAIT_S, TimeUnit.SECONDS) != null, "expected " + n + " writes");
    }
  }

  static void awaitIdle(LinkWriter w) throws Exception {
    CompletableFuture.runAsync(() -> {
      try {
        w.awaitIdle();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }, pool).get(WAIT_S, TimeUnit.SECONDS);
  }

  @Test
  void framesQueuedWhileAWriteIsOnTheLineGoOutInOrderInOneWrite() throws Exception {
    GatedTransport t = new GatedTransport();
    List<Exception> failures = new CopyOnWriteArrayList<>();
    LinkWriter w = new LinkWriter(t, 1, pool, 1 << 20, null, failures::add);
    byte[] f1 = frame(1, 10);
    byte[] f2 = frame(2, 300);
    byte[] f3 = frame(3, 7);
    byte[] f4 = frame(4, 3000); // larger than the initial batch buffer
    w.write(List.of(f1));
    assertEquals(10, t.started.poll(WAIT_S, TimeUnit.SECONDS)); // f1 is on the line
    w.write(List.of(f2));
    w.write(List.of(f3, f4));
    t.permits.add(true);
    t.permits.add(true);
    awaitWrites(t, 2);
    assertArrayEquals(f1, t.writes.get(0));
    assertArrayEquals(concat(f2, f3, f4), t.writes.get(1), "one write, frames in order");
    assertTrue(failures.isEmpty());
    assertFalse(t.overlapped);
  }

  @Test
  void theFirstWriteFailureIsReportedOnceAndNothingIsWrittenAfterIt() throws Exception {
    GatedTransport t = new GatedTransport();
    LinkedBlockingQueue<Exception> failures = new LinkedBlockingQueue<>();
    LinkWriter w = new LinkWriter(t, 1, pool, 1 << 20, null, failures::add);
    t.failWith = new IOException("unplugged");
    w.write(List.of(frame(1, 5)));
    t.started.poll(WAIT_S, TimeUnit.SECONDS);
    w.write(List.of(frame(2, 5))); // queued behind the failing write
    t.permits.add(true);
    Exception first = failures.poll(WAIT_S, TimeUnit.SECONDS);
    assertEquals("unplugged", first == null ? "no failure reported" : first.getMessage());
    w.write(List.of(frame(3, 5))); // dropped: the link failed
    awaitIdle(w); // the writer is idle again, so a successor would not wait
    assertTrue(failures.isEmpty(), "reported once: " + failures);
    assertTrue(t.started.isEmpty(), "only the first frame reached the transport");
    assertTrue(t.writes.isEmpty());
  }

  @Test
  void aBacklogBeyondTheBoundFailsTheLinkInsteadOfGrowing() throws Exception {
    GatedTransport t = new GatedTransport();
    List<Exception> failures = new CopyOnWriteArrayList<>();
    LinkWriter w = new LinkWriter(t, 1, pool, 100, null, failures::add);
    w.write(List.of(frame(1, 60)));
    t.started.poll(WAIT_S, TimeUnit.SECONDS); // on the line, stuck
    w.write(List.of(frame(2, 60)));
    assertTrue(failures.isEmpty());
    w.write(List.of(frame(3, 60))); // 120 bytes waiting > 100
    assertEquals(1, failures.size());
    assertTrue(failures.get(0).getMessage().contains("write stalled"), failures.get(0).getMessage());
    t.permits.add(true);
    awaitWrites(t, 1);
    awaitIdle(w);
    assertEquals(1, t.writes.size(), "nothing is written after the stall was reported");
  }

  @Test
  void aSuccessorWaitsForItsPredecessorsWriteSoTwoThreadsNeverWriteOneTransport() throws Exception {
    GatedTransport t = new GatedTransport();
    List<Exception> failures = new CopyOnWriteArrayList<>();
    LinkWriter first = new LinkWriter(t, 1, pool, 1 << 20, null, failures::add);
    first.write(List.of(frame(1, 4)));
    t.started.poll(WAIT_S, TimeUnit.SECONDS); // first writer's write is on the line
    first.close();
    LinkWriter second = new LinkWriter(t, 1, pool, 1 << 20, first, failures::add);
    second.write(List.of(frame(2, 4)));
    // The successor must not start writing while the predecessor's write is in progress.
    assertEquals(null, t.started.poll(200, TimeUnit.MILLISECONDS));
    t.permits.add(true);
    t.permits.add(true);
    awaitWrites(t, 2);
    assertArrayEquals(frame(1, 4), t.writes.get(0));
    assertArrayEquals(frame(2, 4), t.writes.get(1));
    assertFalse(t.overlapped);
    assertTrue(failures.isEmpty());
  }

  @Test
  void aStreamOfFramesIsWrittenCompleteAndInOrder() throws Exception {
    GatedTransport t = new GatedTransport();
    LinkWriter w = new LinkWriter(t, 1, pool, 1 << 20, null, e -> { });
    for (int i = 0; i < 1000; i++) {
      t.permits.add(true);
    }
    List<byte[]> expected = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      byte[] f = frame(i, 1 + i % 17);
      expected.add(f);
      w.write(List.of(f));
    }
    byte[] all = concat(expected.toArray(new byte[0][]));
    awaitBytes(t, all.length);
    assertArrayEquals(all, concat(t.writes.toArray(new byte[0][])));
    assertFalse(t.overlapped);
  }
}
