package io.nowmesh.actors.link;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One end of an in-memory byte pipe; {@link #pair(String)} makes two connected ends. Each end owns
 * the bounded buffer it reads from; writing to an end's peer blocks while that buffer is full (as a
 * serial line with flow control would) and throws after {@link #WRITE_TIMEOUT_MS}. Tests can make an
 * end fail ({@link #fail(String)}: reads and writes throw until {@link #open()}), unplug it
 * ({@link #setUnplugged(boolean)}: {@link #open()} throws until plugged back), or close it.
 * {@link #open()} on an end that is already open does nothing (pending bytes stay); reopening after a
 * close or failure starts with an empty input buffer.
 * Bytes written while the peer end is closed are discarded, like a serial line nobody listens to.
 */
public final class InMemoryTransport implements Transport {
  public static final int DEFAULT_CAPACITY = 1 << 20;
  public static final long READ_TIMEOUT_MS = 100;
  public static final long WRITE_TIMEOUT_MS = 5_000;

  /** Two connected ends, named for what usually sits on each side. */
  public record Pair(InMemoryTransport host, InMemoryTransport radio) {}

  private final String name;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition readable = lock.newCondition();
  private final Condition writable = lock.newCondition();
  private final byte[] ring;
  private int head;
  private int size;
  private InMemoryTransport peer;
  private boolean open;
  private boolean unplugged;
  private String failure;

  private InMemoryTransport(String name, int capacity) {
    this.name = name;
    this.ring = new byte[capacity];
  }

  /** Two connected ends, both open. */
  public static Pair pair(String name) {
    return pair(name, DEFAULT_CAPACITY);
  }

  public static Pair pair(String name, int capacity) {
    InMemoryTransport a = new InMemoryTransport(name + "/host", capacity);
    InMemoryTransport b = new InMemoryTransport(name + "/radio", capacity);
    a.peer = b;
    b.peer = a;
    a.open = true;
    b.open = true;
    return new Pair(a, b);
  }

  @Override
  public void open() throws IOException {
    lock.lock();
    try {
      if (unplugged) {
        throw new IOException(name + ": device unplugged");
      }
      if (open && failure == null) {
        return; // already open: keep what is waiting to be read
      }
      open = true;
      failure = null;
      head = 0;
      size = 0; // a reopened port starts with an empty input buffer
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    lock.lock();
    try {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READ_TIMEOUT_MS);
      while (size == 0) {
        check();
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return 0;
        }
        readable.awaitNanos(left);
      }
      check();
      int n = Math.min(len, size);
      int first = Math.min(n, ring.length - head);
      System.arraycopy(ring, head, buf, off, first);
      System.arraycopy(ring, 0, buf, off + first, n - first);
      head = (head + n) % ring.length;
      size -= n;
      writable.signalAll();
      return n;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(name + ": interrupted", e);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    lock.lock();
    try {
      check();
    } finally {
      lock.unlock();
    }
    peer.accept(b, off, len);
  }

  /** Puts bytes into this end's input buffer (called by the peer's write). */
  private void accept(byte[] b, int off, int len) throws IOException {
    lock.lock();
    try {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WRITE_TIMEOUT_MS);
      int i = 0;
      while (i < len) {
        if (!open || failure != null) {
          return; // nobody listening: the bytes are lost on the line
        }
        if (size == ring.length) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            throw new IOException(name + ": write timed out, the reader is not reading");
          }
          writable.awaitNanos(left);
          continue;
        }
        int n = Math.min(len - i, ring.length - size);
        int tail = (head + size) % ring.length;
        int first = Math.min(n, ring.length - tail);
        System.arraycopy(b, off + i, ring, tail, first);
        System.arraycopy(b, off + i + first, ring, 0, n - first);
        size += n;
        i += n;
        readable.signalAll();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(name + ": interrupted", e);
    } finally {
      lock.unlock();
    }
  }

  private void check() throws IOException {
    if (failure != null) {
      throw new IOException(name + ": " + failure);
    }
    if (!open) {
      throw new IOException(name + ": closed");
    }
  }

  /** Makes this end fail as an unplugged USB port does: blocked and later reads/writes throw. */
  public void fail(String reason) {
    lock.lock();
    try {
      failure = reason;
      readable.signalAll();
      writable.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** While unplugged, {@link #open()} throws; unplugging also fails the open pipe. */
  public void setUnplugged(boolean unplugged) {
    lock.lock();
    try {
      this.unplugged = unplugged;
    } finally {
      lock.unlock();
    }
    if (unplugged) {
      fail("device unplugged");
    }
  }

  /** Bytes waiting to be read at this end. */
  public int available() {
    lock.lock();
    try {
      return size;
    } finally {
      lock.unlock();
    }
  }

  public InMemoryTransport peer() {
    return peer;
  }

  @Override
  public boolean isOpen() {
    lock.lock();
    try {
      return open && failure == null;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String describe() {
    return "memory " + name;
  }

  @Override
  public void close() {
    lock.lock();
    try {
      open = false;
      readable.signalAll();
      writable.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return describe();
  }
}
