package io.nowmesh.actors.espnow;

import java.util.Optional;

/**
 * The options of one registered peer, as {@code add_peer(mac, lmk, channel, ifidx, encrypt)} takes
 * them. Construction enforces the API's rules, so an instance is always valid for some MAC;
 * {@link #validateFor(Mac)} adds the rules that depend on the address.
 *
 * @param lmk     the Local Master Key, or empty for none
 * @param channel 0..14; 0 means the radio's current channel
 * @param ifidx   the local interface the peer is reached through
 * @param encrypt whether traffic to this peer is encrypted (requires an lmk)
 */
public record PeerOptions(Optional<Key> lmk, int channel, Interface ifidx, boolean encrypt) {
  public static final PeerOptions DEFAULT = new PeerOptions(Optional.empty(), 0, Interface.STA, false);

  public PeerOptions {
    if (lmk == null) {
      lmk = Optional.empty();
    }
    if (ifidx == null) {
      ifidx = Interface.STA;
    }
    if (channel < 0 || channel > Limits.MAX_CHANNEL) {
      throw EspNowException.arg("channel must be 0.." + Limits.MAX_CHANNEL + ", got " + channel);
    }
    if (lmk.isPresent() && lmk.get().kind() != Key.Kind.LMK) {
      throw EspNowException.arg("a peer key must be an LMK, got a " + lmk.get().kind());
    }
    if (encrypt && lmk.isEmpty()) {
      throw EspNowException.arg("encrypt=True needs a 16-byte lmk");
    }
  }

  /** An encrypted peer with this LMK, on the current channel and STA interface. */
  public static PeerOptions encrypted(Key lmk) {
    return new PeerOptions(Optional.of(lmk), 0, Interface.STA, true);
  }

  public PeerOptions withChannel(int newChannel) {
    return new PeerOptions(lmk, newChannel, ifidx, encrypt);
  }

  public PeerOptions withInterface(Interface newIfidx) {
    return new PeerOptions(lmk, channel, newIfidx, encrypt);
  }

  /** Refuses encryption towards broadcast and multicast addresses, which ESP-NOW cannot do. */
  public PeerOptions validateFor(Mac mac) {
    if (mac.isGroup() && (encrypt || lmk.isPresent())) {
      throw EspNowException.arg("broadcast and multicast peers cannot be encrypted (" + mac + ")");
    }
    return this;
  }

  @Override
  public String toString() {
    return "PeerOptions[lmk=" + lmk.map(k -> "redacted").orElse("none") + ", channel=" + channel
        + ", ifidx=" + ifidx + ", encrypt=" + encrypt + "]";
  }
}
