package io.nowmesh.examples.cli;

import io.nowmesh.actors.espnow.EspNowException;
import io.nowmesh.actors.espnow.Limits;
import io.nowmesh.mesh.envelope.EnvelopeCodec;
import io.nowmesh.mesh.envelope.MessageType;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** The bytes a user asked to send, checked against what fits in one ESP-NOW frame. */
final class Payloads {
  private Payloads() {}

  /**
   * @param hex  the text is hex digits ("48656c6c6f") rather than UTF-8 text
   * @param raw  sent as-is (up to 250 bytes) rather than inside a mesh envelope (less room)
   */
  static byte[] of(String text, boolean hex, boolean raw) {
    byte[] data;
    if (hex) {
      try {
        data = HexFormat.of().parseHex(text.replace(" ", "").replace(":", ""));
      } catch (IllegalArgumentException e) {
        throw new NowMeshCli.UsageError(EspNowException.arg("--hex data must be pairs of hex digits, got '"
            + text + "'").getMessage());
      }
    } else {
      data = text.getBytes(StandardCharsets.UTF_8);
    }
    int room = raw ? Limits.MAX_DATA_LEN : EnvelopeCodec.room(MessageType.DATA);
    if (data.length > room) {
      String why = raw ? "data is at most " + Limits.MAX_DATA_LEN + " bytes (MAX_DATA_LEN)"
          : "a mesh message carries at most " + room + " bytes (250 bytes MAX_DATA_LEN less the "
              + (Limits.MAX_DATA_LEN - room) + "-byte envelope)";
      throw new NowMeshCli.UsageError(EspNowException.arg(why + ", got " + data.length).getMessage());
    }
    return data;
  }

  /** Printable text as a quoted string, anything else as hex. */
  static String show(byte[] data) {
    String s = new String(data, StandardCharsets.UTF_8);
    boolean printable = s.codePoints().allMatch(c -> c >= 0x20 && c != 0x7F && c != 0xFFFD);
    return printable ? "\"" + s + "\"" : "0x" + HexFormat.of().formatHex(data);
  }
}
