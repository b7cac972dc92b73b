package io.nowmesh.actors.device;

import io.nowmesh.actors.link.Transport;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.PostStop;
import akka.actor.typed.PreRestart;
import akka.actor.typed.javadsl.Behaviors;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The <b>receiver</b> child: owns the read loop of the attached link. The loop ({@link ReadLoop})
 * runs as a task on the dedicated {@code nowmesh.device.blocking-io-dispatcher}, holding one of its
 * threads while the link is attached; it decodes frames and routes them itself: replies to the
 * sender, received messages and radio events to the device actor, counting frames lost on the link
 * (corrupt frames, gaps in the event counter). This actor does no I/O: it starts the loop on
 * {@link Attach}, stops it on {@link Detach}, restart or stop, and crashes (to be restarted by its
 * supervisor) when the loop hits a bug.
 */
final class ReceiverActor {

  sealed interface Command {}

  record Attach(Transport link, int generation) implements Command {}

  record Detach() implements Command {}

  /** The loop threw while decoding or routing: crash, so the supervisor restarts the receiver. */
  record LoopCrashed(ReadLoop loop, RuntimeException error) implements Command {}

  /** Fault injection (tests): throw, to exercise the supervisor. */
  record Crash() implements Command {}

  private ReceiverActor() {}

  static Behavior<Command> create(ActorRef<DeviceActor.Command> parent, ActorRef<SenderActor.Command> sender,
      DeviceSettings settings) {
    // Outside setup, so it survives restarts: a new loop must wait for the previous instance's loop to end.
    AtomicReference<ReadLoop> current = new AtomicReference<>();
    return Behaviors.setup(ctx -> {
      parent.tell(new DeviceActor.ChildStarted(DeviceActor.Child.RECEIVER));
      Executor blocking = ctx.getSystem().dispatchers()
          .lookup(DispatcherSelector.fromConfig(settings.blockingDispatcher()));
      Runnable stop = () -> {
        ReadLoop l = current.get();
        if (l != null) {
          l.stop();
        }
      };
      return Behaviors.receive(Command.class)
          .onMessage(Attach.class, a -> {
            ReadLoop now = current.get();
            if (now != null && now.isLive() && a.link() == now.link && a.generation() == now.generation) {
              // A repeat for the link already being read: this child's start-up notice can reach the
              // parent after the link opened, and re-attaching would forget the HELLO answer (so a
              // later reboot would look like a first boot) and drop a half-read frame.
              return Behaviors.same();
            }
            if (now != null) {
              now.stop();
            }
            ReadLoop next = new ReadLoop(a.link(), a.generation(), parent, sender, ctx.getSelf(), now);
            current.set(next);
            blocking.execute(next);
            return Behaviors.same();
          })
          .onMessage(Detach.class, d -> {
            stop.run();
            return Behaviors.same();
          })
          .onMessage(LoopCrashed.class, c -> {
            if (c.loop() == current.get()) {
              throw new IllegalStateException("the read loop failed", c.error());
            }
            return Behaviors.same();
          })
          .onMessage(Crash.class, c -> {
            throw new IllegalStateException("injected crash (test)");
          })
          .onSignal(PreRestart.class, s -> {
            stop.run();
            return Behaviors.same();
          })
          .onSignal(PostStop.class, s -> {
            stop.run();
            return Behaviors.same();
          })
          .build();
    });
  }
}
