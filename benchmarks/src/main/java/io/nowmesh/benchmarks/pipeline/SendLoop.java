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
 * The application of the pipeline benchmark: keeps {@code window} sync sends outstanding on every
 * radio and sends the next one as each outcome comes back (closed loop), counting outcomes.
 */
final class SendLoop {
  private SendLoop() {}

  sealed interface Command {}

  record Start(List<ActorRef<DeviceActor.Command>> radios, List<Mac> nodes, int window) implements Command {}

  record Stop() implements Command {}

  private record Done(int radio, Outcome<DeviceActor.SendResult> outcome) implements Command {}

  static Behavior<Command> create(byte[] payload, AtomicLong ok, AtomicLong failed) {
    return Behaviors.receive(Command.class)
        .onMessage(Start.class, s -> Behaviors.setup(ctx -> {
          @SuppressWarnings("unchecked")
          ActorRef<Outcome<DeviceActor.SendResult>>[] replyTo = new ActorRef[s.radios().size()];
          for (int i = 0; i < replyTo.length; i++) {
            int radio = i;
            @SuppressWarnings({"unchecked", "rawtypes"})
            ActorRef<Outcome<DeviceActor.SendResult>> a = ctx.messageAdapter((Class) Outcome.class,
                o -> new Done(radio, (Outcome<DeviceActor.SendResult>) o));
            replyTo[i] = a;
            for (int w = 0; w < s.window(); w++) {
              s.radios().get(i).tell(new DeviceActor.Send(s.nodes().get(i), payload, true, a));
            }
          }
          return running(s, payload, replyTo, ok, failed);
        }))
        .build();
  }

  private static Behavior<Command> running(Start s, byte[] payload, ActorRef<Outcome<DeviceActor.SendResult>>[] replyTo,
      AtomicLong ok, AtomicLong failed) {
    return Behaviors.receive(Command.class)
        .onMessage(Done.class, d -> {
          if (d.outcome() instanceof Outcome.Ok<DeviceActor.SendResult> r && r.value().allAcked()) {
            ok.incrementAndGet();
          } else {
            failed.incrementAndGet();
          }
          s.radios().get(d.radio()).tell(new DeviceActor.Send(s.nodes().get(d.radio()), payload, true,
              replyTo[d.radio()]));
          return Behaviors.same();
        })
        .onMessage(Stop.class, x -> Behaviors.stopped())
        .build();
  }
}
