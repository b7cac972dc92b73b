package io.nowmesh.mesh;

import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.mesh.serialization.MeshWire;

/** What application subscribers receive from nodes, each message exactly once cluster-wide. */
public sealed interface MeshMessage extends MeshWire {

  /**
   * An envelope from a node: {@code destination} is broadcast, a group MAC, or the mesh (a gateway
   * radio or origin) for unicast. {@code heardBy}: the first gateway radio that reported it here.
   */
  record FromNode(Mac origin, long messageId, Mac destination, byte[] payload, int rssi, Mac heardBy)
      implements MeshMessage {}

  /** Plain ESP-NOW traffic (not an envelope), from its radio-level source. */
  record Raw(Mac source, byte[] payload, int rssi, Mac heardBy) implements MeshMessage {}
}
