package io.nowmesh.examples.sim;

import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.actors.sim.VirtualNode;

/**
 * Sends from a {@link VirtualNode} to any address, registering the destination first as ESP-NOW
 * requires. Group addresses stay registered (they are few); a unicast destination is registered
 * for the send and removed afterwards, Espressif's own recipe for more than 20 destinations.
 */
final class PeerSlots {
  private final VirtualNode node;

  PeerSlots(VirtualNode node) {
    this.node = node;
  }

  /** send(mac, msg, sync=True): true when the destination MAC-acked (always for groups). */
  synchronized boolean send(Mac destination, byte[] payload) {
    if (destination.isGroup()) {
      if (node.getPeers().stream().noneMatch(p -> p.mac().equals(destination))) {
        node.addPeer(destination);
      }
      return node.send(destination, payload, true);
    }
    boolean added = node.getPeers().stream().noneMatch(p -> p.mac().equals(destination));
    if (added) {
      node.addPeer(destination);
    }
    try {
      return node.send(destination, payload, true);
    } finally {
      if (added) {
        node.delPeer(destination);
      }
    }
  }
}
