package io.nowmesh.mesh.radio;

import io.nowmesh.actors.espnow.EspNowError;

/** How one radio-level send ended. */
public sealed interface RadioOutcome {
  /** The peer's radio acknowledged at MAC level (always, for broadcast/multicast). */
  record Acked() implements RadioOutcome {}

  /** The radio sent but no MAC-level ack came back: the peer is off, out of range or on another channel. */
  record NotAcked() implements RadioOutcome {}

  /** The radio (or the link to it) refused the send. */
  record Failed(EspNowError error, String detail) implements RadioOutcome {}

  RadioOutcome ACKED = new Acked();
  RadioOutcome NOT_ACKED = new NotAcked();
}
