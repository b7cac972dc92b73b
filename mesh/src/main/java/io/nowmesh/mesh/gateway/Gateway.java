package io.nowmesh.mesh.gateway;

import akka.actor.typed.ActorRef;
import akka.actor.typed.receptionist.ServiceKey;
import io.nowmesh.actors.espnow.EspNowError;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.mesh.radio.RadioOutcome;
import io.nowmesh.mesh.radio.RadioPort;
import io.nowmesh.mesh.radio.ReceivedFrame;
import io.nowmesh.mesh.serialization.MeshWire;
import java.util.Set;

/**
 * Protocol of the gateway actor (behaviour in {@link GatewayActor}): one per ActorSystem, it owns
 * the host's radios, airs what the mesh sends, and turns what the radios hear into routing
 * sightings and deliveries. Registered with the Receptionist under {@link #KEY}.
 */
public final class Gateway {
  public static final ServiceKey<Command> KEY = ServiceKey.create(Command.class, "nowmesh-gateway");

  private Gateway() {}

  public sealed interface Command {}

  /** Local: start using this radio. */
  public record AttachRadio(RadioPort port) implements Command {}

  /** Local: stop using the radio with this MAC (unplugged). */
  public record DetachRadio(Mac radio) implements Command {}

  /** Local: air an application envelope on every gateway (via the frames topic). */
  public record Originate(Mac destination, byte[] payload) implements Command {}

  /** How a {@link Transmit} is carried and what counts as delivered. */
  public enum Mode {
    /** The payload as-is (for nodes that do not speak the envelope); MAC-level ack. */
    RAW,
    /** A DATA envelope; MAC-level ack. */
    ENVELOPE,
    /** A DATA envelope with ACK_REQ; delivered when the node's end-to-end ACK arrives. */
    ACKED,
    /** A REQUEST envelope; answered by the node's correlated RESPONSE. */
    REQUEST
  }

  /** Cross-cluster: send to {@code node} through this gateway's radio {@code radio}. */
  public record Transmit(Mac node, Mac radio, Mode mode, byte[] payload, ActorRef<TransmitResult> replyTo)
      implements Command, MeshWire {}

  public enum Status { DELIVERED, DELIVERED_E2E, ANSWERED, NOT_ACKED, FAILED }

  /** The single answer to a {@link Transmit}. {@code error} is set for FAILED, {@code payload} for ANSWERED. */
  public record TransmitResult(Status status, Mac radio, EspNowError error, byte[] payload, String detail)
      implements MeshWire {}

  // --- private protocol (adapted responses, timers) ---
  record FrameHeard(Mac radio, ReceivedFrame frame) implements Command {}

  record FromTopic(MeshFrame frame) implements Command {}

  record SendDone(long pendingId, Transmit transmit, RadioOutcome outcome) implements Command {}

  record AckTimeout(long pendingId) implements Command {}

  record MeshOrigins(Set<Mac> origins) implements Command {}
}
