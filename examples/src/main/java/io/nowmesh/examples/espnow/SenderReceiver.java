package io.nowmesh.examples.espnow;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import io.nowmesh.actors.device.DeviceActor;
import io.nowmesh.actors.device.EspNowRadio;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.actors.sim.SimulatedAir;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The sender/receiver pair from the top of espnow-api.rst, on the actor API: the sender adds its
 * peer and sends "Starting..." to all peers, then {@code str(i)*20} for i in 0..99 (sync), then
 * "end"; the receiver reads with {@code recv(timeout)} until "end".
 *
 * <p>Run: {@code ./nowmesh example sender-receiver}.
 */
public final class SenderReceiver {
  static final Mac SENDER = Mac.parse("24:0a:c4:aa:aa:aa");
  static final Mac RECEIVER = Mac.parse("24:0a:c4:bb:bb:bb");

  /** What the receiver got, and how many of the sender's sync sends were acknowledged. */
  public record Result(List<String> received, int acked) {}

  private SenderReceiver() {}

  public static void main(String[] args) throws Exception {
    Result r = run(System.out::println);
    System.out.printf("receiver got %d messages; %d of the sender's sends were acknowledged%n",
        r.received().size(), r.acked());
  }

  public static Result run(java.util.function.Consumer<String> print) throws Exception {
    ActorSystem<Void> system = SimulatedDevice.localSystem("sender-receiver");
    SimulatedAir air = new SimulatedAir();
    try (SimulatedDevice sender = SimulatedDevice.start(system, air, SENDER, 0, 0);
        SimulatedDevice receiver = SimulatedDevice.start(system, air, RECEIVER, 20, 0)) {
      EspNowRadio e = sender.espnow();
      EspNowRadio r = receiver.espnow();
      await(r.addPeer(SENDER));
      await(e.addPeer(RECEIVER));

      List<String> received = new ArrayList<>();
      Thread reader = new Thread(() -> {
        try {
          while (true) {
            Optional<DeviceActor.Received> m = await(r.recv(Duration.ofSeconds(10)));
            if (m.isEmpty()) {
              print.accept("receiver: timed out");
              return;
            }
            String msg = new String(m.get().data(), StandardCharsets.UTF_8);
            received.add(msg);
            if (received.size() <= 3 || msg.equals("end")) {
              print.accept("receiver: " + m.get().src() + " " + msg);
            }
            if (msg.equals("end")) {
              return;
            }
          }
        } catch (Exception ex) {
          print.accept("receiver failed: " + ex);
        }
      }, "receiver");
      reader.start();

      await(e.send(null, bytes("Starting..."))); // e.send("Starting..."): to all peers
      int acked = 0;
      for (int i = 0; i < 100; i++) {
        if (await(e.send(RECEIVER, bytes(String.valueOf(i).repeat(20))))) {
          acked++;
        }
      }
      await(e.send(RECEIVER, bytes("end")));
      reader.join(TimeUnit.SECONDS.toMillis(30));
      return new Result(List.copyOf(received), acked);
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static <T> T await(java.util.concurrent.CompletionStage<T> s) throws Exception {
    return s.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
