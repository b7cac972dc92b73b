package io.nowmesh.examples.gateway;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Behaviors;
import io.nowmesh.actors.device.DeviceActor;
import io.nowmesh.actors.device.DeviceException;
import io.nowmesh.actors.device.EspNowRadio;
import io.nowmesh.actors.espnow.EspNowError;
import io.nowmesh.actors.espnow.EspNowException;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.mesh.radio.RadioOutcome;
import io.nowmesh.mesh.radio.RadioPort;
import io.nowmesh.mesh.radio.ReceivedFrame;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The mesh's {@link RadioPort} over a device actor (a real radio on USB serial, or a simulated one),
 * through the {@link EspNowRadio} facade, which registers group addresses on first use.
 *
 * <p>Stand-in until the mesh module ships its own device-backed port (RadioPort's Javadoc names
 * {@code DeviceRadioPort}); the gateway command and the demo use it.
 */
public final class DeviceRadioPort implements RadioPort {
  private static final AtomicInteger ids = new AtomicInteger();
  private static final Object STOP = "stop";

  private final ActorSystem<?> system;
  private final ActorRef<DeviceActor.Command> device;
  private final EspNowRadio radio;
  private final Mac mac;

  public DeviceRadioPort(ActorSystem<?> system, ActorRef<DeviceActor.Command> device, Mac mac) {
    this.system = system;
    this.device = device;
    this.radio = EspNowRadio.of(device, system);
    this.mac = mac;
  }

  @Override
  public Mac mac() {
    return mac;
  }

  @Override
  public CompletionStage<RadioOutcome> send(Mac destination, byte[] payload) {
    return radio.send(destination, payload, true).handle((r, err) -> {
      if (err == null) {
        return r.allAcked() ? RadioOutcome.ACKED : RadioOutcome.NOT_ACKED;
      }
      Throwable t = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
      if (t instanceof EspNowException e) {
        return new RadioOutcome.Failed(e.error(), e.detail());
      }
      if (t instanceof DeviceException d) {
        return new RadioOutcome.Failed(EspNowError.FAILED, d.getMessage());
      }
      return new RadioOutcome.Failed(EspNowError.FAILED, String.valueOf(t));
    });
  }

  @Override
  public AutoCloseable subscribe(Consumer<ReceivedFrame> listener) {
    ActorRef<Object> forwarder = system.systemActorOf(Behaviors.receiveMessage(m -> {
      if (m instanceof DeviceActor.Received r) {
        listener.accept(new ReceivedFrame(r.src(), r.dst(), r.rssi(), r.receivedAt().toEpochMilli(), r.data()));
        return Behaviors.same();
      }
      return Behaviors.stopped(); // STOP: the subscription was closed
    }), "radio-" + mac.toHex() + "-" + ids.incrementAndGet(), Props.empty());
    ActorRef<DeviceActor.Received> received = forwarder.narrow();
    device.tell(new DeviceActor.Subscribe(received));
    return () -> {
      device.tell(new DeviceActor.Unsubscribe(received));
      forwarder.tell(STOP);
    };
  }
}
