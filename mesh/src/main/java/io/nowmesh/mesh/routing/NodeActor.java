package io.nowmesh.mesh.routing;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import io.nowmesh.actors.espnow.EspNowError;
import io.nowmesh.actors.espnow.Limits;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.mesh.envelope.EnvelopeCodec;
import io.nowmesh.mesh.envelope.MessageType;
import io.nowmesh.mesh.MeshSettings;
import io.nowmesh.mesh.Outcome;
import io.nowmesh.mesh.gateway.Gateway;
import io.nowmesh.mesh.gateway.Gateway.Mode;
import io.nowmesh.mesh.gateway.Gateway.TransmitResult;
import io.nowmesh.mesh.serialization.MeshWire;
import java.time.Duration;
import java.util.List;

/**
 * The local stand-in for one node ({@code mesh.node(mac)}). Each send is routed afresh through the
 * best live gateway radio that hears the node, falling back to the next on failure or silence, and
 * answered with exactly one {@link Outcome}.
 */
public final class NodeActor {
  private NodeActor() {}

  public sealed interface Command {}

  /** How "delivered" is proven. */
  public enum Delivery {
    /** Plain ESP-NOW payload for nodes that do not speak the envelope; the radio's MAC ack. */
    RAW,
    /** A DATA envelope; the radio's MAC ack (the node's radio got it, not necessarily its app). */
    MAC_ACK,
    /** A DATA envelope with ACK_REQ; delivered when the node's application acknowledged it. */
    END_TO_END
  }

  public record Send(byte[] payload, Delivery delivery, ActorRef<Outcome> replyTo) implements Command, MeshWire {}

  /** A REQUEST envelope; answered with {@link Outcome.Answered} carrying the node's response. */
  public record Request(byte[] payload, ActorRef<Outcome> replyTo) implements Command, MeshWire {}

  public static Behavior<Command> create(Mac node, ActorRef<RoutingTable.Command> routing, MeshSettings settings) {
    return Behaviors.setup(ctx -> Behaviors.receive(Command.class)
        .onMessage(Send.class, s -> {
          Mode mode = switch (s.delivery()) {
            case RAW -> Mode.RAW;
            case MAC_ACK -> Mode.ENVELOPE;
            case END_TO_END -> Mode.ACKED;
          };
          if (tooLong(s.payload(), mode, s.replyTo())) {
            return Behaviors.same();
          }
          ctx.spawnAnonymous(Attempt.create(node, mode, s.payload(), s.replyTo(), routing, settings));
          return Behaviors.same();
        })
        .onMessage(Request.class, r -> {
          if (tooLong(r.payload(), Mode.REQUEST, r.replyTo())) {
            return Behaviors.same();
          }
          ctx.spawnAnonymous(Attempt.create(node, Mode.REQUEST, r.payload(), r.replyTo(), routing, settings));
          return Behaviors.same();
        })
        .build());
  }

  /** Refuses at once what no radio could carry, rather than trying every route with it. */
  private static boolean tooLong(byte[] payload, Mode mode, ActorRef<Outcome> replyTo) {
    int room = mode == Mode.RAW ? Limits.MAX_DATA_LEN
        : EnvelopeCodec.room(mode == Mode.REQUEST ? MessageType.REQUEST : MessageType.DATA);
    if (payload.length <= room) {
      return false;
    }
    replyTo.tell(new Outcome.Failed(EspNowError.ESP_ERR_ESPNOW_ARG, (mode == Mode.RAW ? "an ESP-NOW payload"
        : "a mesh envelope") + " carries at most " + room + " bytes, got " + payload.length));
    return true;
  }

  /** One send: routes, then gateways tried in rank order; stops after replying once. */
  static final class Attempt {
    sealed interface Msg {}

    private record RoutesFound(RoutingTable.Routes routes) implements Msg {}

    private record Result(int index, TransmitResult result) implements Msg {}

    private record Silence(int index) implements Msg {}

    static Behavior<Msg> create(Mac node, Mode mode, byte[] payload, ActorRef<Outcome> replyTo,
        ActorRef<RoutingTable.Command> routing, MeshSettings settings) {
      return Behaviors.setup(ctx -> {
        routing.tell(new RoutingTable.GetRoutes(node, ctx.messageAdapter(RoutingTable.Routes.class, RoutesFound::new)));
        Duration perTry = mode == Mode.REQUEST ? settings.requestTimeout() : settings.e2eAckTimeout();
        Duration perGateway = mode == Mode.ACKED || mode == Mode.REQUEST
            ? settings.attemptTimeout().plus(perTry.multipliedBy(settings.e2eAckRetries() + 1L))
            : settings.attemptTimeout();
        return Behaviors.withTimers(timers -> Behaviors.receive(Msg.class)
            .onMessage(RoutesFound.class, f -> {
              List<Route> routes = f.routes().routes();
              if (routes.isEmpty()) {
                replyTo.tell(new Outcome.NoRoute(node));
                return Behaviors.stopped();
              }
              return trying(ctx, timers, node, mode, payload, replyTo, routes, 0, perGateway, null);
            })
            .build());
      });
    }

    private static Behavior<Msg> trying(ActorContext<Msg> ctx, akka.actor.typed.javadsl.TimerScheduler<Msg> timers,
        Mac node, Mode mode, byte[] payload, ActorRef<Outcome> replyTo, List<Route> routes, int i, Duration perGateway,
        Outcome failure) {
      if (i >= routes.size()) {
        replyTo.tell(failure);
        return Behaviors.stopped();
      }
      Route route = routes.get(i);
      ActorRef<TransmitResult> reply = ctx.messageAdapter(TransmitResult.class, r -> new Result(i, r));
      route.gateway().tell(new Gateway.Transmit(node, route.radio(), mode, payload, reply));
      timers.startSingleTimer("silence", new Silence(i), perGateway);
      return Behaviors.receive(Msg.class)
          .onMessage(Result.class, r -> r.index() == i, r -> {
            TransmitResult t = r.result();
            switch (t.status()) {
              case DELIVERED -> replyTo.tell(new Outcome.Delivered(t.radio(), false));
              case DELIVERED_E2E -> replyTo.tell(new Outcome.Delivered(t.radio(), true));
              case ANSWERED -> replyTo.tell(new Outcome.Answered(t.radio(), t.payload()));
              case NOT_ACKED -> {
                return trying(ctx, timers, node, mode, payload, replyTo, routes, i + 1, perGateway,
                    new Outcome.NotAcknowledged(t.detail()));
              }
              case FAILED -> {
                // a NotAcknowledged from an earlier route says more about the node than a later radio error
                Outcome next = failure instanceof Outcome.NotAcknowledged ? failure
                    : new Outcome.Failed(t.error() == null ? EspNowError.FAILED : t.error(), t.detail());
                return trying(ctx, timers, node, mode, payload, replyTo, routes, i + 1, perGateway, next);
              }
            }
            return Behaviors.stopped();
          })
          .onMessage(Silence.class, s -> s.index() == i, s -> trying(ctx, timers, node, mode, payload, replyTo, routes,
              i + 1, perGateway, new Outcome.NotAcknowledged("gateway " + route.gateway().path().address()
                  + " did not answer within " + perGateway.toMillis() + " ms")))
          .onAnyMessage(m -> Behaviors.same()) // a late answer from a route already given up on
          .build();
    }
  }
}
