package io.nowmesh.examples.espnow;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Behaviors;
import io.nowmesh.actors.device.DeviceActor;
import io.nowmesh.actors.device.Outcome;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.actors.sim.SimulatedAir;
import io.nowmesh.actors.sim.VirtualNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The spec's heartbeat as an actor: every period it sends "ping" to a peer with {@code sync=True}
 * and reports whether the peer's radio acknowledged ("Heartbeat: ping") or not ("Heartbeat: peer
 * not responding"). A MAC-level ack means the peer's Wi-Fi is on and in range, nothing more.
 *
 * <p>Run: {@code ./nowmesh example heartbeat}.
 */
public final class Heartbeat {
  private Heartbeat() {}

  private sealed interface Msg {}

  private record Beat() implements Msg {}

  private record Answer(Outcome<DeviceActor.SendResult> outcome) implements Msg {}

  /** Beats {@code beats} times, every {@code period}, reporting each result to {@code report}. */
  @SuppressWarnings("unchecked")
  public static Behavior<Msg> create(ActorRef<DeviceActor.Command> device, Mac peer, Duration period, int beats,
      Consumer<Boolean> report) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      ActorRef<Outcome<DeviceActor.SendResult>> answers = ctx.messageAdapter(
          (Class<Outcome<DeviceActor.SendResult>>) (Class<?>) Outcome.class, Answer::new);
      timers.startTimerWithFixedDelay(new Beat(), period);
      int[] left = {beats};
      return Behaviors.receive(Msg.class)
          .onMessage(Beat.class, b -> {
            device.tell(new DeviceActor.Send(peer, "ping".getBytes(StandardCharsets.US_ASCII), true, answers));
            return Behaviors.same();
          })
          .onMessage(Answer.class, a -> {
            boolean acked = a.outcome() instanceof Outcome.Ok<DeviceActor.SendResult> ok && ok.value().allAcked();
            ctx.getLog().info(acked ? "Heartbeat: ping {}" : "Heartbeat: peer {} not responding", peer);
            report.accept(acked);
            return --left[0] > 0 ? Behaviors.same() : Behaviors.stopped();
          })
          .build();
    }));
  }

  public static void main(String[] args) throws Exception {
    List<Boolean> beats = run(6, 3);
    for (int i = 0; i < beats.size(); i++) {
      System.out.println("beat " + (i + 1) + ": " + (beats.get(i) ? "Heartbeat: ping" : "Heartbeat: peer not responding"));
    }
  }

  /** {@code beats} heartbeats; the peer switches its Wi-Fi off after {@code offAfter} answers. */
  public static List<Boolean> run(int beats, int offAfter) throws Exception {
    ActorSystem<Void> system = SimulatedDevice.localSystem("heartbeat");
    SimulatedAir air = new SimulatedAir();
    try (SimulatedDevice radio = SimulatedDevice.start(system, air, Mac.parse("24:0a:c4:00:b0:01"), 0, 0);
        VirtualNode peer = air.addNode(Mac.parse("24:0a:c4:00:b0:02"), 30, 0, 1)) {
      List<Boolean> results = new CopyOnWriteArrayList<>();
      java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
      system.systemActorOf(create(radio.device(), peer.mac(), Duration.ofMillis(200), beats, acked -> {
        results.add(acked);
        if (results.size() == offAfter) {
          peer.setActive(false); // the peer goes away: no more MAC-level acks
        }
        if (results.size() == beats) {
          done.complete(null);
        }
      }), "heartbeat", Props.empty());
      done.get(60, TimeUnit.SECONDS);
      return List.copyOf(results);
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
  }
}
