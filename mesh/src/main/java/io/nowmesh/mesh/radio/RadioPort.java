package io.nowmesh.mesh.radio;

import io.nowmesh.actors.espnow.Mac;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The mesh's view of one ESP-NOW radio: the only thing a gateway needs from the device layer.
 * Implemented by {@code DeviceRadioPort} over the device actor, and by in-memory fakes in tests.
 */
public interface RadioPort {

  /** The radio's own (station) MAC. */
  Mac mac();

  /**
   * Sends one ESP-NOW payload (at most 250 bytes) to a unicast, multicast or broadcast MAC. The
   * stage completes with exactly one outcome, never exceptionally; broadcast/multicast report
   * {@link RadioOutcome.Acked} as ESP-NOW does. The port registers group MACs as peers if needed.
   */
  CompletionStage<RadioOutcome> send(Mac destination, byte[] payload);

  /**
   * Starts delivering received frames to {@code listener} (on any thread, in order). Closing the
   * returned handle stops delivery.
   */
  AutoCloseable subscribe(Consumer<ReceivedFrame> listener);
}
