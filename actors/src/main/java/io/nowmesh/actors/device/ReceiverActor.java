package io.nowmesh.actors.device;

import io.nowmesh.actors.link.Transport;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import io.nowmesh.actors.espnow.EspNowException;
import io.nowmesh.actors.link.Event;
import io.nowmesh.actors.link.Frame;
import io.nowmesh.actors.link.FrameDecoder;
import io.nowmesh.actors.link.Message;
import io.nowmesh.actors.link.MessageCodec;
import io.nowmesh.actors.link.Reply;
import java.io.IOException;

/**
 * The <b>receiver</b> child: reads the link (blocking, so it runs on the dedicated
 * {@code nowmesh.device.blocking-io-dispatcher}), decodes frames and routes them: replies to the
 * sender, received messages and radio events to the device actor. Counts frames lost on the link
 * (corrupt frames, gaps in the event counter).
 *
 * <p>The read loop is a message to itself; each read blocks at most the transport's short read
 * timeout (about 100 ms), so Attach/Detach are handled between reads.
 */
final class ReceiverActor {

  sealed interface Command {}

  record Attach(Transport link, int generation) implements Command {}

  record Detach() implements Command {}

  private record ReadMore(long loop) implements Command {}

  /** Fault injection (tests): throw, to exercise the supervisor. */
  record Crash() implements Command {}

  private ReceiverActor() {}

  static Behavior<Command> create(ActorRef<DeviceActor.Command> parent, ActorRef<SenderActor.Command> sender,
      DeviceSettings settings) {
    return Behaviors.setup(ctx -> {
      parent.tell(new DeviceActor.ChildStarted(DeviceActor.Child.RECEIVER));
      return new State(ctx, parent, sender, settings).behavior();
    });
  }

  private static final class State {
    private final ActorContext<Command> ctx;
    private final ActorRef<DeviceActor.Command> parent;
    private final ActorRef<SenderActor.Command> sender;
    private final DeviceSettings settings;
    private final FrameDecoder decoder = new FrameDecoder();
    private final byte[] buf = new byte[4096];
    private Transport link;
    private int generation = -1;
    /** Identifies the current read loop, so a stale ReadMore (e.g. from before a restart) dies out. */
    private long loop;
    private int lastEventSeq = -1;
    private long reportedCorrupt;
    /** This link has seen the radio's BOOT or HELLO answer: a BOOT from now on is a reboot. */
    private boolean booted;

    State(ActorContext<Command> ctx, ActorRef<DeviceActor.Command> parent, ActorRef<SenderActor.Command> sender,
        DeviceSettings settings) {
      this.ctx = ctx;
      this.parent = parent;
      this.sender = sender;
      this.settings = settings;
    }

    Behavior<Command> behavior() {
      return Behaviors.receive(Command.class)
          .onMessage(Attach.class, a -> {
            if (a.link() == link && a.generation() == generation) {
              // A repeat for the link already being read: this child's start-up notice can reach the
              // parent after the link opened, and re-attaching would forget the HELLO answer (so a
              // later reboot would look like a first boot) and drop a half-read frame.
              return Behaviors.same();
            }
            link = a.link();
            generation = a.generation();
            decoder.reset();
            lastEventSeq = -1;
            booted = false;
            loop = System.nanoTime();
            ctx.getSelf().tell(new ReadMore(loop));
            return Behaviors.same();
          })
          .onMessage(Detach.class, d -> {
            link = null;
            return Behaviors.same();
          })
          .onMessage(ReadMore.class, this::onReadMore)
          .onMessage(Crash.class, c -> {
            throw new IllegalStateException("injected crash (test)");
          })
          .build();
    }

    private Behavior<Command> onReadMore(ReadMore r) {
      if (link == null || r.loop() != loop) {
        return Behaviors.same(); // a loop of a link we no longer use: let it end
      }
      int n;
      try {
        n = link.read(buf, 0, buf.length);
      } catch (IOException | RuntimeException e) {
        parent.tell(new DeviceActor.TransportFailed(generation, "read failed: " + e));
        link = null;
        return Behaviors.same();
      }
      if (n > 0) {
        decoder.feed(buf, 0, n, this::route);
        long corrupt = decoder.corrupt() + decoder.oversize();
        if (corrupt != reportedCorrupt) {
          parent.tell(new DeviceActor.LinkCounters(0, corrupt - reportedCorrupt));
          reportedCorrupt = corrupt;
        }
      }
      ctx.getSelf().tell(new ReadMore(loop));
      return Behaviors.same();
    }

    private void route(Frame frame) {
      Message m;
      try {
        m = MessageCodec.decode(frame);
      } catch (EspNowException | IllegalArgumentException e) {
        ctx.getLog().warn("dropping undecodable frame type 0x{}: {}", Integer.toHexString(frame.type()), e.getMessage());
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
        ctx.getLog().warn("the radio sent a command frame (type 0x{}); ignored", Integer.toHexString(frame.type()));
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
      } else if (e instanceof Event.Log log) {
        String text = "radio: " + log.text();
        if (log.level() >= Event.Log.ERROR) {
          ctx.getLog().error(text);
        } else if (log.level() >= Event.Log.WARNING) {
          ctx.getLog().warn(text);
        } else if (log.level() >= Event.Log.INFO) {
          ctx.getLog().info(text);
        } else {
          ctx.getLog().debug(text);
        }
      }
    }
  }
}
