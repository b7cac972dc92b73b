package io.nowmesh.mesh.device;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import io.nowmesh.actors.device.DeviceActor;
import io.nowmesh.actors.device.Outcome;
import io.nowmesh.actors.espnow.EspNowError;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.actors.espnow.PeerOptions;
import io.nowmesh.mesh.radio.RadioOutcome;
import io.nowmesh.mesh.radio.RadioPort;
import io.nowmesh.mesh.radio.ReceivedFrame;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * {@link RadioPort} over a {@link DeviceActor}: sync sends (so a unicast reports its MAC ack),
 * broadcast/multicast MACs registered as peers on first use (ESP-NOW requires it), and a received
 * subscription through a small forwarding actor. Every device {@link Outcome} maps to one
 * {@link RadioOutcome}; nothing completes exceptionally.
 */
public final class DeviceRadioPort implements RadioPort {
  private static final AtomicLong SUBSCRIBERS = new AtomicLong();

  private final ActorSystem<?> system;
  private final ActorRef<DeviceActor.Command> device;
  private final Mac mac;
  private final Duration timeout;

  public DeviceRadioPort(ActorSystem<?> system, ActorRef<DeviceActor.Command> device, Mac mac, Duration timeout) {
    this.system = system;
    this.device = device;
    this.mac = mac;
    this.timeout = timeout;
  }

  @Override
  public Mac mac() {
    return mac;
  }

  @Override
  public CompletionStage<RadioOutcome> send(Mac destination, byte[] payload) {
    return sendOnce(destination, payload).thenCompose(o -> {
      if (destination.isMulticast() && o instanceof Outcome.Refused<?> r
          && r.error() == EspNowError.ESP_ERR_ESPNOW_NOT_FOUND) {
        return addPeer(destination).thenCompose(added -> added instanceof Outcome.Ok<?>
                || (added instanceof Outcome.Refused<?> a && a.error() == EspNowError.ESP_ERR_ESPNOW_EXIST)
            ? sendOnce(destination, payload) : CompletableFuture.completedFuture(added));
      }
      return CompletableFuture.completedFuture(o);
    }).handle((o, ex) -> ex != null ? new RadioOutcome.Failed(EspNowError.FAILED, String.valueOf(ex)) : map(o));
  }

  private CompletionStage<Outcome<?>> sendOnce(Mac destination, byte[] payload) {
    return AskPattern.<DeviceActor.Command, Outcome<DeviceActor.SendResult>>ask(device,
        replyTo -> new DeviceActor.Send(destination, payload, true, replyTo), timeout, system.scheduler())
        .thenApply(o -> o);
  }

  private CompletionStage<Outcome<?>> addPeer(Mac group) {
    return AskPattern.<DeviceActor.Command, Outcome<akka.Done>>ask(device,
        replyTo -> new DeviceActor.AddPeer(group, PeerOptions.DEFAULT, replyTo), timeout, system.scheduler())
        .thenApply(o -> o);
  }

  static RadioOutcome map(Outcome<?> o) {
    if (o instanceof Outcome.Ok<?> ok) {
      return ok.value() instanceof DeviceActor.SendResult r && !r.allAcked() ? RadioOutcome.NOT_ACKED : RadioOutcome.ACKED;
    } else if (o instanceof Outcome.Refused<?> r) {
      return new RadioOutcome.Failed(r.error(), r.detail());
    } else if (o instanceof Outcome.TimedOut<?> t) {
      return new RadioOutcome.Failed(EspNowError.FAILED, "timed out: " + t.detail());
    } else if (o instanceof Outcome.Interrupted<?> i) {
      return new RadioOutcome.Failed(EspNowError.FAILED, "interrupted: " + i.detail());
    } else if (o instanceof Outcome.LinkDown<?> l) {
      return new RadioOutcome.Failed(EspNowError.FAILED, "link down: " + l.detail());
    }
    return new RadioOutcome.Failed(EspNowError.FAILED, String.valueOf(o));
  }

  @Override
  public AutoCloseable subscribe(Consumer<ReceivedFrame> listener) {
    ActorRef<Object> forwarder = system.systemActorOf(Behaviors.receive(Object.class)
            .onMessage(DeviceActor.Received.class, r -> {
              listener.accept(new ReceivedFrame(r.src(), r.dst(), r.rssi(), r.receivedAt().toEpochMilli(), r.data()));
              return Behaviors.same();
            })
            .onMessageEquals("stop", Behaviors::stopped)
            .build(),
        "nowmesh-radio-" + mac.toHex() + "-" + SUBSCRIBERS.incrementAndGet(), Props.empty());
    ActorRef<DeviceActor.Received> subscriber = forwarder.narrow();
    device.tell(new DeviceActor.Subscribe(subscriber));
    return () -> {
      device.tell(new DeviceActor.Unsubscribe(subscriber));
      forwarder.tell("stop");
    };
  }
}
