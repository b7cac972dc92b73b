package io.nowmesh.benchmarks.pipeline;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import io.nowmesh.actors.device.DeviceActor;
import io.nowmesh.actors.device.Outcome;
import io.nowmesh.actors.espnow.Mac;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The application of the pipeline benchmark: one child per radio keeps {@code window} sync sends
 * outstanding on its DeviceActor and sends the next one as each outcome comes back (closed loop).
 * One child per radio because an actor has one message adapter per message class.
 */
final class SendLoop {
  private SendLoop() {}

  sealed interface Command {}

  record Start(List<ActorRef<DeviceActor.Command>> radios, List<Mac> nodes, int window) implements Command {}

  static Behavior<Command> create(byte[] payload, AtomicLong ok, AtomicLong failed) {
    return Behaviors.receive(Command.class)
        .onMessage(Start.class, s -> Behaviors.setup(ctx -> {
          for (int i = 0; i < s.radios().size(); i++) {
            ctx.spawn(perRadio(s.radios().get(i), s.nodes().get(i), s.window(), payload, ok, failed), "loop-" + i);
          }
          return Behaviors.empty();
        }))
        .build();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Behavior<Outcome<DeviceActor.SendResult>> perRadio(ActorRef<DeviceActor.Command> radio, Mac node,
      int window, byte[] payload, AtomicLong ok, AtomicLong failed) {
    return Behaviors.setup(ctx -> {
      for (int w = 0; w < window; w++) {
        radio.tell(new DeviceActor.Send(node, payload, true, ctx.getSelf()));
      }
      return Behaviors.receive((Class) Outcome.class)
          .onAnyMessage(o -> {
            if (o instanceof Outcome.Ok<?> r && ((DeviceActor.SendResult) r.value()).allAcked()) {
              ok.incrementAndGet();
            } else {
              failed.incrementAndGet();
            }
            radio.tell(new DeviceActor.Send(node, payload, true, ctx.getSelf()));
            return Behaviors.same();
          })
          .build();
    });
  }
}
