package io.nowmesh.benchmarks.cluster;

import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.mesh.radio.RadioOutcome;
import io.nowmesh.mesh.radio.RadioPort;
import io.nowmesh.mesh.radio.ReceivedFrame;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A radio that costs nothing: every send is acknowledged at once, and "hearing" is a method call.
 * It isolates the mesh's own cost (actors, cluster pub-sub, serialization) from any radio model.
 */
public final class BenchRadio implements RadioPort {
  private static final CompletionStage<RadioOutcome> ACKED = CompletableFuture.completedFuture(RadioOutcome.ACKED);

  private final Mac mac;
  private volatile Consumer<ReceivedFrame> listener = f -> {};
  final AtomicLong sent = new AtomicLong();

  public BenchRadio(Mac mac) {
    this.mac = mac;
  }

  @Override
  public Mac mac() {
    return mac;
  }

  @Override
  public CompletionStage<RadioOutcome> send(Mac destination, byte[] payload) {
    sent.incrementAndGet();
    return ACKED;
  }

  @Override
  public AutoCloseable subscribe(Consumer<ReceivedFrame> l) {
    listener = l;
    return () -> listener = f -> {};
  }

  /** As if the radio had just received {@code payload} from {@code source}. */
  public void hear(Mac source, Mac destination, int rssi, byte[] payload) {
    listener.accept(new ReceivedFrame(source, destination, rssi, System.currentTimeMillis(), payload));
  }
}
