package io.nowmesh.examples.sim;

import io.nowmesh.actors.espnow.EspNowException;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.actors.sim.SimulatedAir;
import io.nowmesh.actors.sim.VirtualNode;
import io.nowmesh.mesh.radio.RadioOutcome;
import io.nowmesh.mesh.radio.RadioPort;
import io.nowmesh.mesh.radio.ReceivedFrame;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A gateway radio that is a station on the {@link SimulatedAir} itself: the mesh talks to the air
 * directly, without the serial link and device actor in between. The demo uses it so that three
 * gateways and a dozen nodes stay light on a small machine; {@link PeerSlots} keeps it inside the
 * radio's 20-peer limit as a real radio must be.
 */
public final class AirRadioPort implements RadioPort, AutoCloseable {
  private final VirtualNode station;
  private final PeerSlots peers;

  public AirRadioPort(SimulatedAir air, Mac mac, double x, double y, int channel) {
    this.station = air.addNode(mac, x, y, channel);
    this.peers = new PeerSlots(station);
  }

  @Override
  public Mac mac() {
    return station.mac();
  }

  /** The station on the air, e.g. to move the radio or read its peers_table. */
  public VirtualNode station() {
    return station;
  }

  @Override
  public CompletionStage<RadioOutcome> send(Mac destination, byte[] payload) {
    try {
      return CompletableFuture.completedFuture(peers.send(destination, payload)
          ? RadioOutcome.ACKED : RadioOutcome.NOT_ACKED);
    } catch (EspNowException e) {
      return CompletableFuture.completedFuture(new RadioOutcome.Failed(e.error(), e.detail()));
    }
  }

  @Override
  public AutoCloseable subscribe(Consumer<ReceivedFrame> listener) {
    station.onReceive(r -> listener.accept(new ReceivedFrame(r.src(), r.dst(), r.rssi(), System.currentTimeMillis(),
        r.data().toArray())));
    return () -> station.onReceive(null);
  }

  @Override
  public void close() {
    station.onReceive(null);
    station.close();
  }

  @Override
  public String toString() {
    return "AirRadioPort[" + station.mac() + "]";
  }
}
