package io.nowmesh.mesh.envelope;

import io.nowmesh.actors.espnow.Mac;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One mesh message as carried inside an ESP-NOW payload (layout in docs/mesh.md). Immutable; the
 * payload array is copied in and out. {@code messageId} and {@code ref} are unsigned 32-bit values.
 */
public final class Envelope {
  private final MessageType type;
  private final boolean ackRequested;
  private final int hops;
  private final Mac origin;
  private final long messageId;
  private final Mac destination;
  private final long ref;
  private final byte[] payload;

  public Envelope(MessageType type, boolean ackRequested, int hops, Mac origin, long messageId,
      Mac destination, long ref, byte[] payload) {
    this.type = Objects.requireNonNull(type, "type");
    if (hops < 0 || hops > 255) {
      throw new IllegalArgumentException("hops is one byte (0..255), got " + hops);
    }
    if ((messageId & ~0xFFFF_FFFFL) != 0 || (ref & ~0xFFFF_FFFFL) != 0) {
      throw new IllegalArgumentException("message id and ref are unsigned 32-bit values");
    }
    if (!type.hasRef() && ref != 0) {
      throw new IllegalArgumentException(type + " carries no ref");
    }
    this.ackRequested = ackRequested;
    this.hops = hops;
    this.origin = Objects.requireNonNull(origin, "origin");
    this.messageId = messageId;
    this.destination = Objects.requireNonNull(destination, "destination");
    this.ref = ref;
    this.payload = Objects.requireNonNull(payload, "payload").clone();
    int room = EnvelopeCodec.room(type);
    if (payload.length > room) {
      throw new IllegalArgumentException(
          "a " + type + " envelope has room for " + room + " payload bytes, got " + payload.length);
    }
  }

  public static Envelope data(Mac origin, long id, Mac destination, int hops, boolean ackRequested, byte[] payload) {
    return new Envelope(MessageType.DATA, ackRequested, hops, origin, id, destination, 0, payload);
  }

  public static Envelope request(Mac origin, long id, Mac destination, int hops, byte[] payload) {
    return new Envelope(MessageType.REQUEST, false, hops, origin, id, destination, 0, payload);
  }

  /** The end-to-end ACK a receiver sends back for {@code acked}. */
  public static Envelope ackFor(Envelope acked, Mac self, long id) {
    return new Envelope(MessageType.ACK, false, 0, self, id, acked.origin, acked.messageId, new byte[0]);
  }

  public static Envelope responseTo(Envelope request, Mac self, long id, byte[] payload) {
    return new Envelope(MessageType.RESPONSE, false, 0, self, id, request.origin, request.messageId, payload);
  }

  public MessageType type() { return type; }
  public boolean ackRequested() { return ackRequested; }
  public int hops() { return hops; }
  public Mac origin() { return origin; }
  public long messageId() { return messageId; }
  public Mac destination() { return destination; }
  public long ref() { return ref; }
  public byte[] payload() { return payload.clone(); }
  public int payloadLength() { return payload.length; }

  public boolean isBroadcast() { return destination.isBroadcast(); }

  /** Addressed to a multicast group (not broadcast). */
  public boolean isGroup() { return destination.isMulticast() && !destination.isBroadcast(); }

  /** The same envelope with one hop fewer, for re-airing. */
  public Envelope withHops(int newHops) {
    return new Envelope(type, ackRequested, newHops, origin, messageId, destination, ref, payload);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Envelope e && e.type == type && e.ackRequested == ackRequested && e.hops == hops
        && e.origin.equals(origin) && e.messageId == messageId && e.destination.equals(destination)
        && e.ref == ref && Arrays.equals(e.payload, payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, origin, messageId, destination, ref) * 31 + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "Envelope[" + type + (ackRequested ? "+ACK_REQ" : "") + " " + origin + "#" + messageId
        + " -> " + destination + " hops=" + hops + (type.hasRef() ? " ref=" + ref : "")
        + " payload=" + HexFormat.of().formatHex(payload, 0, Math.min(payload.length, 16))
        + (payload.length > 16 ? "…(" + payload.length + ")" : "") + "]";
  }
}
