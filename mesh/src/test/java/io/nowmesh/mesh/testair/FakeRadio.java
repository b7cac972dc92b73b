package io.nowmesh.mesh.testair;

import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.mesh.radio.RadioOutcome;
import io.nowmesh.mesh.radio.RadioPort;
import io.nowmesh.mesh.radio.ReceivedFrame;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/** A gateway radio in the {@link TestAir}; can be switched off to model a dead host. */
public final class FakeRadio implements RadioPort, TestAir.Station {
  private final TestAir air;
  private final Mac mac;
  private volatile boolean on = true;
  private volatile Consumer<ReceivedFrame> listener;

  public FakeRadio(TestAir air, Mac mac) {
    this.air = air;
    this.mac = mac;
    air.add(this);
  }

  public void power(boolean on) {
    this.on = on;
  }

  @Override
  public Mac mac() {
    return mac;
  }

  @Override
  public boolean on() {
    return on && listener != null;
  }

  @Override
  public CompletionStage<RadioOutcome> send(Mac destination, byte[] payload) {
    if (!on) {
      return CompletableFuture.completedFuture(new RadioOutcome.Failed(
          io.nowmesh.actors.espnow.EspNowError.ESP_ERR_ESPNOW_NOT_INIT, "radio off"));
    }
    boolean acked = air.transmit(mac, destination, payload);
    return CompletableFuture.completedFuture(acked ? RadioOutcome.ACKED : RadioOutcome.NOT_ACKED);
  }

  @Override
  public AutoCloseable subscribe(Consumer<ReceivedFrame> l) {
    listener = l;
    return () -> {
      if (listener == l) {
        listener = null;
      }
    };
  }

  @Override
  public void hear(Mac source, Mac destination, int rssi, byte[] payload) {
    Consumer<ReceivedFrame> l = listener;
    if (l != null) {
      l.accept(new ReceivedFrame(source, destination, rssi, System.currentTimeMillis(), payload));
    }
  }
}
