package io.nowmesh.actors.device;

import io.nowmesh.actors.link.Transport;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * Writes the sender's frames to one link without ever blocking the sender: {@link #write} queues
 * them and, unless a write task is already running, starts one on the blocking-io executor. The task
 * writes everything queued by then in one {@link Transport#write} call (one syscall for a serial
 * port, however many frames piled up while the previous write was in progress), in queue order, and
 * ends when the queue is empty, so an idle link holds no thread.
 *
 * <p>The first write error (or a backlog above {@code maxBacklog} bytes: a line that has stopped
 * taking bytes) is reported once through {@code onFailure}; the writer then drops everything, as the
 * frames it held are in the sender's window and are answered when the parent detaches the link.
 *
 * <p>A writer that replaces another one on the same transport (re-attach, sender restart) first
 * waits for its predecessor's write in progress to end, so two threads never write one transport.
 */
final class LinkWriter {
  private final Transport link;
  private final int generation;
  private final Executor executor;
  private final Consumer<Exception> onFailure;
  private final long maxBacklog;
  private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
  private final Runnable drainTask = this::drain;
  /** Written only by the (single) running write task. */
  private byte[] batch = new byte[2048];
  private LinkWriter predecessor;
  private long queuedBytes;
  private boolean running;
  private boolean closed;
  private boolean failed;

  LinkWriter(Transport link, int generation, Executor executor, long maxBacklog, LinkWriter predecessor,
      Consumer<Exception> onFailure) {
    this.link = link;
    this.generation = generation;
    this.executor = executor;
    this.maxBacklog = maxBacklog;
    this.predecessor = predecessor;
    this.onFailure = onFailure;
  }

  /** Whether this writer serves {@code link} of {@code generation} and still takes frames. */
  synchronized boolean isWriting(Transport link, int generation) {
    return this.link == link && this.generation == generation && !closed && !failed;
  }

  /** Queues {@code frames} in order behind anything queued before; never blocks. */
  void write(List<byte[]> frames) {
    boolean start;
    Exception overflow = null;
    synchronized (this) {
      if (closed || failed) {
        return;
      }
      for (byte[] f : frames) {
        queue.add(f);
        queuedBytes += f.length;
      }
      if (queuedBytes > maxBacklog) {
        overflow = new IOException(link.describe() + ": write stalled, " + queuedBytes
            + " bytes waiting (more than " + maxBacklog + ")");
        failed = true;
        queue.clear();
        queuedBytes = 0;
      }
      start = overflow == null && !running;
      running |= start;
    }
    if (overflow != null) {
      onFailure.accept(overflow);
    } else if (start) {
      try {
        executor.execute(drainTask);
      } catch (RejectedExecutionException e) { // the system is shutting down
        synchronized (this) {
          running = false;
          failed = true;
          notifyAll();
        }
      }
    }
  }

  /** Drops whatever is queued and writes nothing more (a write in progress finishes). */
  synchronized void close() {
    closed = true;
    queue.clear();
    queuedBytes = 0;
  }

  /** Waits until no write task of this writer runs (a successor must not write concurrently). */
  synchronized void awaitIdle() throws InterruptedException {
    while (running) {
      wait();
    }
  }

  private void drain() {
    try {
      LinkWriter before = predecessor;
      if (before != null) {
        before.awaitIdle();
        predecessor = null; // let it be collected
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    while (true) {
      byte[] out;
      int n;
      synchronized (this) {
        if (queue.isEmpty() || closed || failed) {
          // Decided under the lock that write() takes: a frame queued after this starts a new task.
          running = false;
          notifyAll();
          return;
        }
        if (queue.size() == 1) {
          out = queue.poll();
          n = out.length;
        } else {
          n = (int) queuedBytes;
          if (batch.length < n) {
            batch = new byte[Math.max(n, batch.length * 2)];
          }
          int at = 0;
          for (byte[] f; (f = queue.poll()) != null; at += f.length) {
            System.arraycopy(f, 0, batch, at, f.length);
          }
          out = batch;
        }
        queuedBytes = 0;
      }
      Exception error = null;
      try {
        link.write(out, 0, n);
      } catch (Exception e) {
        error = e;
      }
      if (error != null) {
        boolean report;
        synchronized (this) {
          report = !closed && !failed;
          failed = true;
          queue.clear();
          queuedBytes = 0;
        }
        if (report) {
          onFailure.accept(error);
        }
        // the loop ends at its next turn (failed), releasing `running` under the lock
      }
    }
  }
}
