package io.nowmesh.examples.sim;

import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.actors.sim.Received;
import io.nowmesh.actors.sim.SimulatedAir;
import io.nowmesh.actors.sim.VirtualNode;
import io.nowmesh.mesh.Group;
import io.nowmesh.mesh.envelope.DecodeResult;
import io.nowmesh.mesh.envelope.Envelope;
import io.nowmesh.mesh.envelope.EnvelopeCodec;
import io.nowmesh.mesh.envelope.MessageType;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * An ordinary ESP32 node that speaks the mesh envelope, on the {@link SimulatedAir}: the Java twin
 * of node-firmware/leaf/nowmesh_leaf.py. It acknowledges ACK_REQ, answers REQUESTs, drops
 * duplicates by (origin, id) and group traffic it did not join, and hands every new message to its
 * application callback exactly once. Thread-safe; the callback runs on the sender's thread.
 */
public final class LeafNode implements AutoCloseable {
  /** Hops a node gives its broadcast and group envelopes (the leaf library's default). */
  public static final int DEFAULT_HOPS = 3;
  private static final int DEDUP_SIZE = 256;

  /** What the node's application received. {@code raw}: not an envelope. */
  public record Delivery(Mac origin, Mac destination, byte[] payload, int rssi, Mac heardFrom, boolean raw) {}

  private final VirtualNode radio;
  private final PeerSlots peers;
  private final Set<Mac> groups = new HashSet<>();
  private final Deque<String> seen = new ArrayDeque<>();
  private final Set<String> seenSet = new HashSet<>();
  private volatile Mac gateway;
  private volatile Consumer<Delivery> application = d -> {};
  private volatile BiFunction<Mac, byte[], byte[]> onRequest = (origin, payload) -> payload;
  private long nextId = 1;

  public LeafNode(SimulatedAir air, Mac mac, double x, double y, int channel) {
    this.radio = air.addNode(mac, x, y, channel);
    this.peers = new PeerSlots(radio);
    radio.onReceive(this::handle);
  }

  public Mac mac() {
    return radio.mac();
  }

  /** The station on the air (to move it, switch it off, read its stats). */
  public VirtualNode radio() {
    return radio;
  }

  /** Where unicast to the mesh goes: a gateway radio; learned from the first unicast heard if not set. */
  public LeafNode via(Mac gatewayRadio) {
    this.gateway = gatewayRadio;
    return this;
  }

  public Mac gateway() {
    return gateway;
  }

  public LeafNode onMessage(Consumer<Delivery> application) {
    this.application = application;
    return this;
  }

  /** How the node answers a REQUEST (default: echo). */
  public LeafNode onRequest(BiFunction<Mac, byte[], byte[]> answer) {
    this.onRequest = answer;
    return this;
  }

  public synchronized void join(Group group) {
    groups.add(group.mac());
    radio.joinGroup(group.mac());
  }

  public synchronized void leave(Group group) {
    groups.remove(group.mac());
    radio.leaveGroup(group.mac());
  }

  /** DATA to the mesh through the gateway radio (unicast); true when that radio MAC-acked. */
  public boolean sendToMesh(byte[] payload, boolean ackRequested) {
    Mac gw = gateway;
    if (gw == null) {
      throw new IllegalStateException(mac() + " knows no gateway yet: call via(radio) first");
    }
    Envelope e = Envelope.data(mac(), id(), gw, 0, ackRequested, payload);
    remember(e.origin(), e.messageId());
    return peers.send(gw, EnvelopeCodec.encode(e));
  }

  /** DATA to every node and application; returns the message id. */
  public long broadcast(byte[] payload) {
    return airToGroup(Mac.BROADCAST, payload);
  }

  /** DATA to a group's members and subscribers; returns the message id. */
  public long sendToGroup(Group group, byte[] payload) {
    return airToGroup(group.mac(), payload);
  }

  private long airToGroup(Mac destination, byte[] payload) {
    Envelope e = Envelope.data(mac(), id(), destination, DEFAULT_HOPS, false, payload);
    remember(e.origin(), e.messageId());
    // radio-level broadcast, as the leaf library does: gateways hear it whatever groups they joined
    peers.send(Mac.BROADCAST, EnvelopeCodec.encode(e));
    return e.messageId();
  }

  private void handle(Received r) {
    byte[] frame = r.data().toArray();
    if (!(EnvelopeCodec.decode(frame) instanceof DecodeResult.Decoded d)) {
      application.accept(new Delivery(r.src(), r.dst(), frame, r.rssi(), r.src(), true));
      return;
    }
    Envelope e = d.envelope();
    Mac dst = e.destination();
    if (e.origin().equals(mac())) {
      return; // our own broadcast, re-aired by a gateway
    }
    boolean forMe = dst.equals(mac());
    synchronized (this) {
      if (!forMe && !dst.isBroadcast() && !groups.contains(dst)) {
        return;
      }
    }
    if (e.type() == MessageType.ACK || e.type() == MessageType.RESPONSE) {
      return; // a leaf answers; it does not wait for answers
    }
    if (forMe) {
      if (gateway == null) {
        gateway = r.src();
      }
      // answer before dedup: a retry means our previous answer was lost
      if (e.type() == MessageType.REQUEST) {
        byte[] out = onRequest.apply(e.origin(), e.payload());
        peers.send(r.src(), EnvelopeCodec.encode(Envelope.responseTo(e, mac(), id(), out == null ? new byte[0] : out)));
      } else if (e.ackRequested()) {
        peers.send(r.src(), EnvelopeCodec.encode(Envelope.ackFor(e, mac(), id())));
      }
    }
    if (!remember(e.origin(), e.messageId()) || e.type() == MessageType.REQUEST) {
      return;
    }
    application.accept(new Delivery(e.origin(), dst, e.payload(), r.rssi(), r.src(), false));
  }

  private synchronized long id() {
    long i = nextId;
    nextId = (nextId + 1) & 0xFFFF_FFFFL;
    if (nextId == 0) {
      nextId = 1;
    }
    return i;
  }

  /** True the first time (origin, id) is seen within the last {@value #DEDUP_SIZE} messages. */
  private synchronized boolean remember(Mac origin, long id) {
    String key = origin + "#" + id;
    if (!seenSet.add(key)) {
      return false;
    }
    seen.addLast(key);
    if (seen.size() > DEDUP_SIZE) {
      seenSet.remove(seen.removeFirst());
    }
    return true;
  }

  @Override
  public void close() {
    radio.onReceive(null);
    radio.close();
  }

  @Override
  public String toString() {
    return "LeafNode[" + mac() + "]";
  }
}
