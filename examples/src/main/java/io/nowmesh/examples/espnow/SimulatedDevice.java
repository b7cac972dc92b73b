package io.nowmesh.examples.espnow;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import io.nowmesh.actors.device.DeviceActor;
import io.nowmesh.actors.device.DeviceSettings;
import io.nowmesh.actors.device.EspNowRadio;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.actors.sim.SimulatedAir;
import io.nowmesh.actors.sim.SimulatedRadio;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A radio for the ESP-NOW examples: a {@link SimulatedRadio} on the air (it speaks the serial
 * protocol, like a USB radio), driven by a {@link DeviceActor}, used through the {@link EspNowRadio}
 * facade. Swap the transport for a {@code SerialTransport} and the same code drives real hardware.
 */
public final class SimulatedDevice implements AutoCloseable {
  private final SimulatedRadio radio;
  private final ActorRef<DeviceActor.Command> device;
  private final EspNowRadio espnow;

  private SimulatedDevice(SimulatedRadio radio, ActorRef<DeviceActor.Command> device, EspNowRadio espnow) {
    this.radio = radio;
    this.device = device;
    this.espnow = espnow;
  }

  /**
   * An ActorSystem for examples on one host: no cluster (the mesh module's defaults would make it
   * a cluster member listening on a port).
   */
  public static ActorSystem<Void> localSystem(String name) {
    return ActorSystem.create(akka.actor.typed.javadsl.Behaviors.empty(), name,
        com.typesafe.config.ConfigFactory.parseString("akka.actor.provider = local\nakka.loglevel = WARNING")
            .withFallback(com.typesafe.config.ConfigFactory.load()));
  }

  /** Puts a radio on the air at (x, y), starts its device actor and waits until it is connected. */
  public static SimulatedDevice start(ActorSystem<?> system, SimulatedAir air, Mac mac, double x, double y)
      throws TimeoutException, InterruptedException {
    SimulatedRadio radio = air.addRadio(mac, x, y, 1);
    ActorRef<DeviceActor.Command> device = system.systemActorOf(
        DeviceActor.create(radio.hostTransport(), DeviceSettings.from(system.settings().config())),
        "radio-" + mac.toHex(), Props.empty());
    // the radio goes when the system has stopped its device actor, so the actor never sees its link die
    system.getWhenTerminated().thenRun(radio::close);
    EspNowRadio espnow = EspNowRadio.of(device, system);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try {
        if (espnow.status().toCompletableFuture().get(3, TimeUnit.SECONDS).connected()) {
          return new SimulatedDevice(radio, device, espnow);
        }
      } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
        // not answering yet: still starting
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("radio " + mac + " did not connect within 30 s");
      }
      TimeUnit.MILLISECONDS.sleep(50); // the device actor opens the link and says HELLO first
    }
  }

  public Mac mac() {
    return radio.staMac();
  }

  /** The spec's ESPNow object, as CompletionStages. */
  public EspNowRadio espnow() {
    return espnow;
  }

  public ActorRef<DeviceActor.Command> device() {
    return device;
  }

  /** Switches the radio's Wi-Fi off or on: off, it neither acks nor hears (a peer gone away). */
  public void setActive(boolean on) {
    radio.setWifiActive(on);
  }

  /** Nothing to do before the ActorSystem terminates: the radio is closed after its device actor stopped. */
  @Override
  public void close() {
    // see start(): closed on termination
  }
}
