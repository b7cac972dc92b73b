package io.nowmesh.actors.reliability;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import io.nowmesh.actors.device.DeviceActor;
import io.nowmesh.actors.device.Outcome;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;

/**
 * Pipelines {@code total} requests into a device actor with at most {@code window} in flight and
 * keeps a ledger of outcomes per request. Each request gets its own reply actor that stays alive for
 * {@code grace} after its first outcome, so a second outcome for the same request is seen and
 * counted as a duplicate (later ones land in dead letters, which the tests also watch).
 */
final class LoadDriver {
  enum Kind { OK, REFUSED, TIMED_OUT, INTERRUPTED, LINK_DOWN }

  sealed interface Msg {}

  record Start(ActorRef<Report> replyTo) implements Msg {}

  record Got(int id, Outcome<DeviceActor.SendResult> outcome) implements Msg {}

  record GetLedger(ActorRef<Report> replyTo) implements Msg {}

  /**
   * @param kinds      outcomes per request (index = id): the kind of its first outcome, or null
   * @param duplicates outcomes beyond the first, over all requests
   */
  record Report(Kind[] kinds, int answered, int duplicates, long elapsedNanos) {
    Map<Kind, Integer> histogram() {
      Map<Kind, Integer> h = new EnumMap<>(Kind.class);
      for (Kind k : Kind.values()) {
        h.put(k, 0);
      }
      for (Kind k : kinds) {
        if (k != null) {
          h.merge(k, 1, Integer::sum);
        }
      }
      return h;
    }
  }

  static Kind kindOf(Outcome<?> o) {
    if (o instanceof Outcome.Ok) {
      return Kind.OK;
    } else if (o instanceof Outcome.Refused) {
      return Kind.REFUSED;
    } else if (o instanceof Outcome.TimedOut) {
      return Kind.TIMED_OUT;
    } else if (o instanceof Outcome.Interrupted) {
      return Kind.INTERRUPTED;
    }
    return Kind.LINK_DOWN;
  }

  private LoadDriver() {}

  /**
   * @param request  builds request {@code id} for the device, replying to the given ref
   * @param sideLoad called before request {@code id} goes out (e.g. a node sends something back)
   */
  static Behavior<Msg> create(ActorRef<DeviceActor.Command> device, int total, int window, Duration grace,
      RequestFactory request, IntConsumer sideLoad) {
    return Behaviors.setup(ctx -> {
      Kind[] kinds = new Kind[total];
      int[] state = new int[3]; // next id, answered, duplicates
      long[] t0 = new long[1];
      ActorRef<Report>[] notify = new ActorRef[1];
      IntFunction<Behavior<Object>> replier = id -> Behaviors.setup(rc -> {
        boolean[] first = {true};
        return Behaviors.receiveMessage(m -> {
          if (m == Stop.INSTANCE) {
            return Behaviors.stopped();
          }
          @SuppressWarnings("unchecked")
          Outcome<DeviceActor.SendResult> o = (Outcome<DeviceActor.SendResult>) m;
          ctx.getSelf().tell(new Got(id, o));
          if (first[0]) {
            first[0] = false;
            rc.scheduleOnce(grace, rc.getSelf(), Stop.INSTANCE);
          }
          return Behaviors.same();
        });
      });
      Runnable sendNext = () -> {
        int id = state[0]++;
        sideLoad.accept(id);
        ActorRef<Object> r = ctx.spawnAnonymous(replier.apply(id));
        device.tell(request.build(id, r.narrow()));
      };
      return Behaviors.receive(Msg.class)
          .onMessage(Start.class, s -> {
            notify[0] = s.replyTo();
            t0[0] = System.nanoTime();
            for (int i = 0; i < Math.min(window, total); i++) {
              sendNext.run();
            }
            return Behaviors.same();
          })
          .onMessage(Got.class, g -> {
            if (kinds[g.id()] != null) {
              state[2]++;
              return Behaviors.same();
            }
            kinds[g.id()] = kindOf(g.outcome());
            state[1]++;
            if (state[0] < total) {
              sendNext.run();
            }
            if (state[1] == total) {
              notify[0].tell(new Report(kinds.clone(), state[1], state[2], System.nanoTime() - t0[0]));
            }
            return Behaviors.same();
          })
          .onMessage(GetLedger.class, g -> {
            g.replyTo().tell(new Report(kinds.clone(), state[1], state[2], System.nanoTime() - t0[0]));
            return Behaviors.same();
          })
          .build();
    });
  }

  private enum Stop { INSTANCE }

  @FunctionalInterface
  interface RequestFactory {
    DeviceActor.Command build(int id, ActorRef<Outcome<DeviceActor.SendResult>> replyTo);
  }
}
