package io.nowmesh.actors.sim;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.nowmesh.actors.link.Command;
import io.nowmesh.actors.link.Event;
import io.nowmesh.actors.link.Frame;
import io.nowmesh.actors.link.FrameDecoder;
import io.nowmesh.actors.link.Message;
import io.nowmesh.actors.link.MessageCodec;
import io.nowmesh.actors.link.Reply;
import io.nowmesh.actors.link.Transport;
import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A minimal test host: writes commands with increasing seq and sorts what comes back. */
final class RadioClient implements AutoCloseable {
  static final long TIMEOUT_S = 5;

  private final Transport transport;
  private final FrameDecoder decoder = new FrameDecoder();
  final BlockingQueue<Reply> replies = new LinkedBlockingQueue<>();
  final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  /** Every event with its frame seq, in arrival order (independent of {@link #events}). */
  final BlockingQueue<Numbered> numbered = new LinkedBlockingQueue<>();

  record Numbered(int seq, Event event) {}
  private final java.util.Map<Integer, Reply> early = new java.util.HashMap<>();
  private final Thread reader;
  private volatile boolean running = true;
  private int seq;

  RadioClient(Transport transport) {
    this.transport = transport;
    reader = new Thread(this::readLoop, "test-host-reader");
    reader.setDaemon(true);
    reader.start();
  }

  private void readLoop() {
    byte[] buf = new byte[4096];
    while (running) {
      try {
        int n = transport.read(buf, 0, buf.length);
        decoder.feed(buf, 0, n, this::onFrame);
      } catch (IOException e) {
        return;
      }
    }
  }

  private void onFrame(Frame f) {
    Message m = MessageCodec.decode(f);
    if (m instanceof Reply r) {
      replies.add(r);
    } else if (m instanceof Event e) {
      numbered.add(new Numbered(f.seq(), e));
      events.add(e);
    }
  }

  int send(Command c) throws IOException {
    seq = seq % 0xFFFF + 1;
    transport.write(MessageCodec.encode(seq, c).toWire());
    return seq;
  }

  void sendRaw(byte[] wire) throws IOException {
    transport.write(wire);
  }

  /** Sends and waits for the reply with the same seq. */
  Reply call(Command c) throws Exception {
    int s = send(c);
    return awaitReply(s);
  }

  Reply awaitReply(int s) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
    Reply stashed = early.remove(s);
    if (stashed != null) {
      return stashed;
    }
    while (System.nanoTime() < deadline) {
      Reply r = replies.poll(100, TimeUnit.MILLISECONDS);
      if (r != null && r.seq() == s) {
        return r;
      } else if (r != null) {
        early.put(r.seq(), r); // a reply to another command, awaited later
      }
    }
    throw new AssertionError("no reply to seq " + s);
  }

  /** The next event of this class, skipping others (e.g. OVERFLOW between RECVs). */
  <T extends Event> T awaitEvent(Class<T> type) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
    while (System.nanoTime() < deadline) {
      Event e = events.poll(100, TimeUnit.MILLISECONDS);
      if (type.isInstance(e)) {
        return type.cast(e);
      }
    }
    throw new AssertionError("no " + type.getSimpleName() + " event");
  }

  <T extends Event> T awaitEventMatching(Class<T> type, java.util.function.Predicate<T> p)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
    while (System.nanoTime() < deadline) {
      T e = awaitEvent(type);
      assertNotNull(e);
      if (p.test(e)) {
        return e;
      }
    }
    throw new AssertionError("no matching " + type.getSimpleName());
  }

  /** The next numbered event of this class, skipping others. */
  Numbered awaitNumbered(Class<? extends Event> type) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
    while (System.nanoTime() < deadline) {
      Numbered n = numbered.poll(100, TimeUnit.MILLISECONDS);
      if (n != null && type.isInstance(n.event())) {
        return n;
      }
    }
    throw new AssertionError("no " + type.getSimpleName() + " event");
  }

  @Override
  public void close() {
    running = false;
    try {
      reader.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
