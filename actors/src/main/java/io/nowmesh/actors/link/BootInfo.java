package io.nowmesh.actors.link;

import io.nowmesh.actors.espnow.Limits;
import io.nowmesh.actors.espnow.Mac;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What a radio says about itself in its BOOT event and its HELLO reply (docs/protocol.md §5).
 *
 * @param protoVersion protocol version the firmware speaks
 * @param apiGen       0 simulated, 1 older espnow API, 2 current MicroPython
 * @param queueDepth   how many commands the radio can hold awaiting their reply (≥ 1)
 * @param freeMem      gc.mem_free(), 0 if unknown
 */
public record BootInfo(int protoVersion, int apiGen, Mac staMac, Mac apMac, int channel, int maxDataLen,
    int maxPeers, int maxEncrypt, int queueDepth, long freeMem, String fwVersion) implements ReplyBody {

  public static final int API_GEN_SIMULATED = 0;
  public static final int API_GEN_OLD = 1;
  public static final int API_GEN_CURRENT = 2;

  public BootInfo {
    Objects.requireNonNull(staMac, "staMac");
    Objects.requireNonNull(apMac, "apMac");
    fwVersion = fwVersion == null ? "" : fwVersion;
    if (fwVersion.getBytes(StandardCharsets.UTF_8).length > 255) {
      throw new IllegalArgumentException("fw_ver is at most 255 UTF-8 bytes");
    }
    int[] u8s = {protoVersion, apiGen, channel, maxDataLen, maxPeers, maxEncrypt, queueDepth};
    for (int v : u8s) {
      if (v < 0 || v > 0xFF) {
        throw new IllegalArgumentException("BOOT fields proto_ver..queue_depth are u8, got " + v);
      }
    }
    if (freeMem < 0 || freeMem > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("free_mem is a u32, got " + freeMem);
    }
  }

  /** A v1 BOOT body with the standard ESP-NOW limits. */
  public static BootInfo standard(int apiGen, Mac sta, Mac ap, int channel, int queueDepth, long freeMem,
      String fwVersion) {
    return new BootInfo(Frame.VERSION, apiGen, sta, ap, channel, Limits.MAX_DATA_LEN, Limits.MAX_TOTAL_PEER_NUM,
        Limits.MAX_ENCRYPT_PEER_NUM, queueDepth, freeMem, fwVersion);
  }
}
