package io.nowmesh.mesh.testair;

import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.mesh.Group;
import io.nowmesh.mesh.envelope.DecodeResult;
import io.nowmesh.mesh.envelope.Envelope;
import io.nowmesh.mesh.envelope.EnvelopeCodec;
import io.nowmesh.mesh.envelope.MessageType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A leaf node (in the {@link TestAir}, or on any medium through a {@link Transmitter}) behaving like node-firmware/leaf/nowmesh_leaf.py: dedups by
 * (origin, id), answers ACK_REQ and REQUEST (upper-cased echo) to the radio it heard, filters group
 * traffic by membership, and records what its "application" received.
 */
public final class TestNode implements TestAir.Station {
  /** How the node airs a frame: returns the MAC-level ack (true for group addresses). */
  public interface Transmitter {
    boolean transmit(Mac from, Mac to, byte[] payload);
  }

  private final Transmitter air;
  private final Mac mac;
  private final Set<Mac> groups = new HashSet<>();
  private final Set<String> seen = new HashSet<>();
  private final List<String> delivered = new ArrayList<>();
  private long nextId = 1;
  private boolean speaksEnvelope = true;

  public TestNode(TestAir air, Mac mac) {
    this.air = air::transmit;
    this.mac = mac;
    air.add(this);
  }

  /** A node on another medium (e.g. a simulated VirtualNode); feed it with {@link #hear}. */
  public TestNode(Mac mac, Transmitter transmitter) {
    this.air = transmitter;
    this.mac = mac;
  }

  @Override
  public Mac mac() {
    return mac;
  }

  @Override
  public boolean on() {
    return true;
  }

  public synchronized void join(Group g) {
    groups.add(g.mac());
  }

  /** Application-level deliveries, as "data:<text>" or "raw:<text>". */
  public synchronized List<String> delivered() {
    return List.copyOf(delivered);
  }

  public synchronized long count(String entry) {
    return delivered.stream().filter(entry::equals).count();
  }

  /** Off: behaves like a plain ESP-NOW device that knows nothing of envelopes (never acks end to end). */
  public synchronized void speaksEnvelope(boolean on) {
    speaksEnvelope = on;
  }

  public synchronized void clear() {
    delivered.clear();
  }

  /** A DATA envelope to broadcast with the given hops (0: a beacon gateways do not re-air). */
  public synchronized void broadcast(String text, int hops) {
    sendEnvelope(Mac.BROADCAST, text, hops);
  }

  public synchronized void sendGroup(Group g, String text) {
    sendEnvelope(g.mac(), text, 3);
  }

  /** A unicast DATA envelope aired to radio {@code via} (a gateway), addressed to {@code dest}; returns its id. */
  public synchronized long sendUnicast(Mac via, Mac dest, String text, boolean ackRequested) {
    long id = nextId++;
    air.transmit(mac, via,
        EnvelopeCodec.encode(Envelope.data(mac, id, dest, 0, ackRequested, text.getBytes(StandardCharsets.UTF_8))));
    return id;
  }

  public synchronized void sendRawBroadcast(String text) {
    air.transmit(mac, Mac.BROADCAST, text.getBytes(StandardCharsets.UTF_8));
  }

  private void sendEnvelope(Mac dest, String text, int hops) {
    long id = nextId++;
    seen.add(mac + "#" + id);
    air.transmit(mac, Mac.BROADCAST,
        EnvelopeCodec.encode(Envelope.data(mac, id, dest, hops, false, text.getBytes(StandardCharsets.UTF_8))));
  }

  @Override
  public synchronized void hear(Mac source, Mac destination, int rssi, byte[] payload) {
    DecodeResult r = EnvelopeCodec.decode(payload);
    if (!speaksEnvelope || !(r instanceof DecodeResult.Decoded d)) {
      delivered.add("raw:" + new String(payload, StandardCharsets.UTF_8));
      return;
    }
    Envelope e = d.envelope();
    if (e.origin().equals(mac)) {
      return;
    }
    Mac dest = e.destination();
    if (!dest.equals(mac) && !dest.isBroadcast() && !groups.contains(dest)) {
      return;
    }
    if (e.type() == MessageType.ACK || e.type() == MessageType.RESPONSE) {
      if (dest.equals(mac)) {
        delivered.add("ack:" + e.ref());
      }
      return;
    }
    if (dest.equals(mac)) {
      if (e.type() == MessageType.REQUEST) {
        byte[] answer = new String(e.payload(), StandardCharsets.UTF_8).toUpperCase(Locale.ROOT)
            .getBytes(StandardCharsets.UTF_8);
        air.transmit(mac, source, EnvelopeCodec.encode(Envelope.responseTo(e, mac, nextId++, answer)));
      } else if (e.ackRequested()) {
        air.transmit(mac, source, EnvelopeCodec.encode(Envelope.ackFor(e, mac, nextId++)));
      }
    }
    if (!seen.add(e.origin() + "#" + e.messageId()) || e.type() == MessageType.REQUEST) {
      return;
    }
    delivered.add("data:" + new String(e.payload(), StandardCharsets.UTF_8));
  }
}
