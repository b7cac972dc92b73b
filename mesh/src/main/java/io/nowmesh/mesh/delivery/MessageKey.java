package io.nowmesh.mesh.delivery;

import io.nowmesh.actors.espnow.Mac;
import java.util.zip.CRC32C;

/**
 * Dedup keys. Envelopes: (origin, message id). Raw frames: (radio source, CRC-32C and length of
 * the payload), since plain ESP-NOW traffic has no id of its own.
 */
public record MessageKey(boolean raw, long mac, long id) {

  public static MessageKey envelope(Mac origin, long messageId) {
    return new MessageKey(false, origin.toLong(), messageId);
  }

  public static MessageKey raw(Mac source, byte[] payload) {
    CRC32C crc = new CRC32C();
    crc.update(payload);
    return new MessageKey(true, source.toLong(), (crc.getValue() << 16) ^ payload.length);
  }
}
