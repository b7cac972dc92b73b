package io.nowmesh.mesh.testair;

import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.mesh.radio.RadioOutcome;
import io.nowmesh.mesh.radio.RadioPort;
import io.nowmesh.mesh.envelope.DecodeResult;
import io.nowmesh.mesh.envelope.EnvelopeCodec;
import io.nowmesh.mesh.radio.ReceivedFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A gateway radio in the {@link TestAir}; can be switched off to model a dead host, records what it
 * airs (to count airings per gateway air), and can hold what it hears to model a slow serial path.
 */
public final class FakeRadio implements RadioPort, TestAir.Station {
  private final TestAir air;
  private final Mac mac;
  private volatile boolean on = true;
  private volatile Consumer<ReceivedFrame> listener;
  private final List<byte[]> aired = new ArrayList<>();
  private final List<ReceivedFrame> heldBack = new ArrayList<>();
  private boolean holding;

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
    synchronized (this) {
      aired.add(payload.clone());
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

  /** How many envelopes from {@code origin} with this message id this radio has aired. */
  public synchronized int airings(Mac origin, long messageId) {
    int n = 0;
    for (byte[] b : aired) {
      if (EnvelopeCodec.decode(b) instanceof DecodeResult.Decoded d && d.envelope().origin().equals(origin)
          && d.envelope().messageId() == messageId) {
        n++;
      }
    }
    return n;
  }

  /** Every payload this radio has aired, oldest first. */
  public synchronized List<byte[]> airedFrames() {
    return aired.stream().map(byte[]::clone).toList();
  }

  /** On: frames heard are kept back (a slow serial link) until {@link #release()}. */
  public synchronized void holdIncoming() {
    holding = true;
  }

  /** Delivers the frames held back, in order, and stops holding. */
  public void release() {
    List<ReceivedFrame> frames;
    synchronized (this) {
      holding = false;
      frames = List.copyOf(heldBack);
      heldBack.clear();
    }
    Consumer<ReceivedFrame> l = listener;
    if (l != null) {
      frames.forEach(l);
    }
  }

  @Override
  public void hear(Mac source, Mac destination, int rssi, byte[] payload) {
    ReceivedFrame f = new ReceivedFrame(source, destination, rssi, System.currentTimeMillis(), payload);
    synchronized (this) {
      if (holding) {
        heldBack.add(f);
        return;
      }
    }
    Consumer<ReceivedFrame> l = listener;
    if (l != null) {
      l.accept(f);
    }
  }
}
