package io.nowmesh.mesh;

import io.nowmesh.actors.espnow.EspNowError;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.mesh.serialization.MeshWire;

/** The one answer every send or request through {@code mesh.node(mac)} gets. */
public sealed interface Outcome extends MeshWire {

  /**
   * The node got it. {@code endToEnd}: its application acknowledged (envelope ACK); otherwise only
   * its radio did (MAC-level ack). {@code via}: the gateway radio that delivered it.
   */
  record Delivered(Mac via, boolean endToEnd) implements Outcome {}

  /** The answer to a request, correlated by message id. */
  record Answered(Mac via, byte[] payload) implements Outcome {}

  /** Every route was tried; radios sent but the node never acknowledged (MAC or end-to-end). */
  record NotAcknowledged(String detail) implements Outcome {}

  /** No live gateway has heard this node recently. */
  record NoRoute(Mac node) implements Outcome {}

  /** The last route tried was refused by its radio with this error. */
  record Failed(EspNowError error, String detail) implements Outcome {}
}
