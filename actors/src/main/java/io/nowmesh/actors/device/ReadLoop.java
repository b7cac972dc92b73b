package io.nowmesh.actors.device;

import akka.actor.typed.ActorRef;
import io.nowmesh.actors.espnow.EspNowException;
import io.nowmesh.actors.link.Event;
import io.nowmesh.actors.link.Frame;
import io.nowmesh.actors.link.FrameDecoder;
import io.nowmesh.actors.link.Message;
import io.nowmesh.actors.link.MessageCodec;
import io.nowmesh.actors.link.Reply;
import io.nowmesh.actors.link.Transport;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiver's read loop for one attached link: a task that holds one blocking-io thread while
 * the link is attached, reads (each read blocks at most the transport's ~100 ms timeout, so a stop
 * is noticed), decodes frames and routes them straight from this thread: replies to the sender,
 * received messages and radio events to the device actor. Reading and routing on one thread, with
 * no message to itself per read, keeps a thread hand-off off the per-frame path.
 *
 * <p>All decoding state (decoder, event counter, the BOOT/HELLO flag) is confined to the loop's
 * thread. A loop that replaces another one on the same link first waits for it to end, so two
 * threads never read one transport; bytes the old loop read after it was stopped are handed on
 * when the new loop reads the same link of the same generation (a receiver restart).
 */
final class ReadLoop implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(ReadLoop.class);

  final Transport link;
  final int generation;
  private final ActorRef<DeviceActor.Command> parent;
  private final ActorRef<SenderActor.Command> sender;
  private final ActorRef<ReceiverActor.Command> receiver;
  private final String label;
  private ReadLoop predecessor;
  private final FrameDecoder decoder = new FrameDecoder();
  private final byte[] buf = new byte[4096];
  private final Consumer<Frame> route = this::route;
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile boolean running = true;
  /** Bytes read after a stop; only read by a successor after {@link #ended}. */
  private byte[] leftover;
  private int lastEventSeq = -1;
  private long reportedCorrupt;
  /** This link has seen the radio's BOOT or HELLO answer: a BOOT from now on is a reboot. */
  private boolean booted;

  ReadLoop(Transport link, int generation, ActorRef<DeviceActor.Command> parent, ActorRef<SenderActor.Command> sender,
      ActorRef<ReceiverActor.Command> receiver, ReadLoop predecessor) {
    this.link = link;
    this.generation = generation;
    this.parent = parent;
    this.sender = sender;
    this.receiver = receiver;
    this.predecessor = predecessor;
    this.label = link.describe();
  }

  /** Not stopped and still reading. */
  boolean isLive() {
    return running && ended.getCount() > 0;
  }

  /** Ends the loop after the read in progress (at most the transport's read timeout). */
  void stop() {
    running = false;
  }

  @Override
  public void run() {
    try {
      if (!takeOver()) {
        return;
      }
      while (running && readOnce()) {
        // one read per call: a method the JIT compiles on its own, not a loop stuck in the interpreter
      }
    } catch (RuntimeException e) {
      // A bug in decoding or routing: the receiver crashes and is restarted, and it starts a new loop.
      if (running) {
        receiver.tell(new ReceiverActor.LoopCrashed(this, e));
      }
    } finally {
      ended.countDown();
    }
  }

  /** Reads and routes once; false when the loop must end (read failure, or stopped). */
  private boolean readOnce() {
    int n;
    try {
      n = link.read(buf, 0, buf.length);
    } catch (IOException | RuntimeException e) {
      if (running) {
        parent.tell(new DeviceActor.TransportFailed(generation, "read failed: " + e));
      }
      return false;
    }
    if (n > 0) {
      if (!running) {
        leftover = java.util.Arrays.copyOf(buf, n);
        return false;
      }
      feed(buf, n);
    }
    return true;
  }

  /** Waits for the previous loop to end; picks up what it read after its stop if it read this link. */
  private boolean takeOver() {
    ReadLoop before = predecessor;
    predecessor = null;
    if (before == null) {
      return true;
    }
    try {
      before.ended.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    byte[] rest = before.leftover;
    if (rest != null && before.link == link && before.generation == generation && running) {
      feed(rest, rest.length);
    }
    return true;
  }

  private void feed(byte[] bytes, int n) {
    decoder.feed(bytes, 0, n, route);
    long corrupt = decoder.corrupt() + decoder.oversize();
    if (corrupt != reportedCorrupt) {
      parent.tell(new DeviceActor.LinkCounters(0, corrupt - reportedCorrupt));
      reportedCorrupt = corrupt;
    }
  }

  private void route(Frame frame) {
    Message m;
    try {
      m = MessageCodec.decode(frame);
    } catch (EspNowException | IllegalArgumentException e) {
      log.warn("{}: dropping undecodable frame type 0x{}: {}", label, Integer.toHexString(frame.type()),
          e.getMessage());
      parent.tell(new DeviceActor.LinkCounters(0, 1));
      return;
    }
    if (m instanceof Reply reply) {
      booted |= reply.isOk() && reply.body() instanceof io.nowmesh.actors.link.BootInfo; // HELLO answered
      sender.tell(new SenderActor.ReplyArrived(reply));
    } else if (m instanceof Event e) {
      countEvent(e, frame.seq());
      routeEvent(e);
    } else {
      log.warn("{}: the radio sent a command frame (type 0x{}); ignored", label, Integer.toHexString(frame.type()));
    }
  }

  private void countEvent(Event e, int seq) {
    if (e instanceof Event.Boot) {
      lastEventSeq = seq; // the counter restarts at boot
      return;
    }
    if (lastEventSeq >= 0) {
      int gap = (seq - lastEventSeq - 1) & 0xFFFF;
      if (gap > 0 && gap < 0x8000) {
        parent.tell(new DeviceActor.LinkCounters(gap, 0));
      }
    }
    lastEventSeq = seq;
  }

  private void routeEvent(Event e) {
    if (e instanceof Event.Recv recv) {
      parent.tell(new DeviceActor.Inbound(recv));
    } else if (e instanceof Event.Boot boot) {
      if (booted) {
        // Tell the sender first, in stream order: replies after this BOOT come from the rebooted firmware
        // (e.g. NOT_INIT for a command written before the host knew), and must not overtake the reboot
        // notice, which would otherwise reach the sender only via the parent.
        sender.tell(new SenderActor.RadioRebooted());
      }
      booted = true;
      parent.tell(new DeviceActor.BootEvent(boot.info()));
    } else if (e instanceof Event.SendDone done) {
      parent.tell(new DeviceActor.AsyncSendDone(done));
    } else if (e instanceof Event.Overflow o) {
      parent.tell(new DeviceActor.OverflowReport(o));
    } else if (e instanceof Event.Log l) {
      if (l.level() >= Event.Log.ERROR) {
        log.error("{}: radio: {}", label, l.text());
      } else if (l.level() >= Event.Log.WARNING) {
        log.warn("{}: radio: {}", label, l.text());
      } else if (l.level() >= Event.Log.INFO) {
        log.info("{}: radio: {}", label, l.text());
      } else {
        log.debug("{}: radio: {}", label, l.text());
      }
    }
  }
}
