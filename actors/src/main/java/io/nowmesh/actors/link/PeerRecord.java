package io.nowmesh.actors.link;

import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.actors.espnow.PeerOptions;
import java.util.Objects;

/**
 * A peer as the protocol carries it: {@code mac flags channel ifidx [lmk]}. Construction applies
 * every rule of add_peer ({@link PeerOptions} plus {@link PeerOptions#validateFor(Mac)}), so an
 * invalid peer is an {@code ESP_ERR_ESPNOW_ARG} before it reaches the wire. toString redacts the key.
 */
public record PeerRecord(Mac mac, PeerOptions options) implements ReplyBody {
  public PeerRecord {
    Objects.requireNonNull(mac, "mac");
    options = options == null ? PeerOptions.DEFAULT : options;
    options.validateFor(mac);
  }

  public static PeerRecord of(Mac mac) {
    return new PeerRecord(mac, PeerOptions.DEFAULT);
  }
}
