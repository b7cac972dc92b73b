package io.nowmesh.examples.gateway;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import io.nowmesh.actors.device.DeviceManager;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says so, once, when a gateway has found no radio a few seconds after start: the one situation
 * the device managers' found/lost/back lines cannot express, and the first thing to know when a
 * new host is set up.
 */
final class NoRadioNotice {
  private static final Logger log = LoggerFactory.getLogger(GatewayCommand.class);

  private NoRadioNotice() {}

  private sealed interface Msg {}

  private record Check() implements Msg {}

  private record Counted(int radios) implements Msg {}

  static Behavior<Msg> create(List<ActorRef<DeviceManager.Command>> managers, Duration after, String lookedAt) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startSingleTimer(new Check(), after);
      int[] answers = {0};
      int[] radios = {0};
      return Behaviors.receive(Msg.class)
          .onMessage(Check.class, c -> {
            for (ActorRef<DeviceManager.Command> m : managers) {
              ctx.ask(DeviceManager.Radios.class, m, Duration.ofSeconds(5), DeviceManager.GetRadios::new,
                  (r, err) -> new Counted(err != null ? 0 : r.byMac().size()));
            }
            if (managers.isEmpty()) {
              ctx.getSelf().tell(new Counted(0));
            }
            return Behaviors.same();
          })
          .onMessage(Counted.class, c -> {
            radios[0] += c.radios();
            if (++answers[0] >= Math.max(1, managers.size())) {
              if (radios[0] == 0) {
                log.warn("No radio found ({}). This gateway is in the mesh without radios and keeps looking: plug "
                    + "one in (see `nowmesh ports`), or start it with --simulated-radio to try it without hardware.",
                    lookedAt);
              }
              return Behaviors.stopped();
            }
            return Behaviors.same();
          })
          .build();
    }));
  }
}
