package io.nowmesh.examples.espnow;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import io.nowmesh.actors.device.DeviceActor;
import io.nowmesh.actors.device.Outcome;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.actors.sim.Received;
import io.nowmesh.actors.sim.SimulatedAir;
import io.nowmesh.actors.sim.VirtualNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The spec's echo server as an actor: it subscribes to the radio's received messages and sends each
 * one back to its sender. The spec adds the peer when send raises ESP_ERR_ESPNOW_NOT_FOUND; the
 * device actor's virtual peers do that for us (nowmesh.device.virtual-peers = on).
 *
 * <p>Run: {@code ./nowmesh example echo}.
 */
public final class EchoServer {
  private EchoServer() {}

  private sealed interface Msg {}

  private record Got(DeviceActor.Received message) implements Msg {}

  private record Sent(Mac to, Outcome<DeviceActor.SendResult> outcome) implements Msg {}

  /** Echoes everything {@code device} receives; logs echoes that were refused. */
  public static Behavior<Msg> create(ActorRef<DeviceActor.Command> device) {
    return Behaviors.setup(ctx -> {
      device.tell(new DeviceActor.Subscribe(ctx.messageAdapter(DeviceActor.Received.class, Got::new)));
      return Behaviors.receive(Msg.class)
          .onMessage(Got.class, g -> {
            Mac from = g.message().src();
            ActorRef<Outcome<DeviceActor.SendResult>> reply = ctx.messageAdapter(
                (Class<Outcome<DeviceActor.SendResult>>) (Class<?>) Outcome.class, o -> new Sent(from, o));
            device.tell(new DeviceActor.Send(from, g.message().data(), true, reply));
            return Behaviors.same();
          })
          .onMessage(Sent.class, s -> {
            if (!(s.outcome() instanceof Outcome.Ok<DeviceActor.SendResult> ok && ok.value().allAcked())) {
              ctx.getLog().warn("Echo to {} not delivered: {}", s.to(), s.outcome());
            }
            return Behaviors.same();
          })
          .build();
    });
  }

  public static void main(String[] args) throws Exception {
    run(List.of("hello", "echo me", "bye")).forEach(s -> System.out.println("client got back: " + s));
  }

  /** A node sends each message to the echo server and collects what comes back. */
  public static List<String> run(List<String> messages) throws Exception {
    ActorSystem<Void> system = SimulatedDevice.localSystem("echo");
    SimulatedAir air = new SimulatedAir();
    try (SimulatedDevice server = SimulatedDevice.start(system, air, Mac.parse("24:0a:c4:00:e0:01"), 0, 0);
        VirtualNode client = air.addNode(Mac.parse("24:0a:c4:00:e0:02"), 15, 0, 1)) {
      system.systemActorOf(create(server.device()), "echo-server", akka.actor.typed.Props.empty());
      client.addPeer(server.mac());
      List<String> back = new ArrayList<>();
      for (String m : messages) {
        // the server subscribes asynchronously: resend until its first echo comes back
        Optional<Received> echo = Optional.empty();
        for (int attempt = 0; attempt < 20 && echo.isEmpty(); attempt++) {
          client.send(server.mac(), m.getBytes(StandardCharsets.UTF_8), true);
          echo = client.recv(Duration.ofMillis(500));
        }
        back.add(echo.map(r -> new String(r.data().toArray(), StandardCharsets.UTF_8)).orElse("(nothing)"));
      }
      return back;
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
  }
}
