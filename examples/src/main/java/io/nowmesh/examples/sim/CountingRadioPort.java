package io.nowmesh.examples.sim;

import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.mesh.radio.RadioOutcome;
import io.nowmesh.mesh.radio.RadioPort;
import io.nowmesh.mesh.radio.ReceivedFrame;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/** A {@link RadioPort} that counts what it airs and hears, for views like the demo's. */
public final class CountingRadioPort implements RadioPort {
  private final RadioPort port;
  private final AtomicLong heard = new AtomicLong();
  private final AtomicLong aired = new AtomicLong();

  public CountingRadioPort(RadioPort port) {
    this.port = port;
  }

  @Override
  public Mac mac() {
    return port.mac();
  }

  @Override
  public CompletionStage<RadioOutcome> send(Mac destination, byte[] payload) {
    aired.incrementAndGet();
    return port.send(destination, payload);
  }

  @Override
  public AutoCloseable subscribe(Consumer<ReceivedFrame> listener) {
    return port.subscribe(f -> {
      heard.incrementAndGet();
      listener.accept(f);
    });
  }

  public long framesHeard() {
    return heard.get();
  }

  public long framesAired() {
    return aired.get();
  }
}
