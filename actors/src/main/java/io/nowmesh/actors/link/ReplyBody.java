package io.nowmesh.actors.link;

import io.nowmesh.actors.espnow.Mac;
import java.util.List;
import java.util.Objects;

/**
 * The result a successful reply carries, one shape per command (docs/protocol.md §3):
 * HELLO → {@link BootInfo}, PING → {@link Pong}, CONFIG_GET → {@link ConfigValue},
 * GET_PEER → {@link PeerRecord}, GET_PEERS → {@link PeerList}, PEER_COUNT → {@link PeerCounts},
 * SEND → {@link SendResult}, STATS → {@link StatsResult}, PEERS_TABLE → {@link PeersTableResult},
 * everything else (and every error reply) → {@link Empty}.
 */
public sealed interface ReplyBody permits BootInfo, ConfigValue, PeerRecord, ReplyBody.Empty, ReplyBody.Pong,
    ReplyBody.PeerList, ReplyBody.PeerCounts, ReplyBody.SendResult, ReplyBody.StatsResult,
    ReplyBody.PeersTableResult {

  /** No result. */
  record Empty() implements ReplyBody {
    public static final Empty INSTANCE = new Empty();
  }

  record Pong(long uptimeMs, Bytes data) implements ReplyBody {
    public Pong {
      u32(uptimeMs, "uptime_ms");
      Objects.requireNonNull(data, "data");
    }
  }

  record PeerList(List<PeerRecord> peers) implements ReplyBody {
    public PeerList {
      peers = List.copyOf(peers);
      if (peers.size() > 255) {
        throw new IllegalArgumentException("at most 255 peers in one reply");
      }
    }
  }

  record PeerCounts(int total, int encrypted) implements ReplyBody {
    public PeerCounts {
      if (total < 0 || total > 255 || encrypted < 0 || encrypted > total) {
        throw new IllegalArgumentException("bad peer counts " + total + "/" + encrypted);
      }
    }
  }

  /** MAC-level ack of one destination of a sync SEND. */
  record PeerAck(Mac mac, boolean acked) {
    public PeerAck {
      Objects.requireNonNull(mac, "mac");
    }
  }

  /** {@code allAcked} is true when every destination acked; async sends reply (true, []). */
  record SendResult(boolean allAcked, List<PeerAck> acks) implements ReplyBody {
    public SendResult {
      acks = List.copyOf(acks);
      if (acks.size() > 255) {
        throw new IllegalArgumentException("at most 255 acks in one reply");
      }
    }

    public static final SendResult QUEUED = new SendResult(true, List.of());

    /** A sync result: all_acked computed from the list. */
    public static SendResult of(List<PeerAck> acks) {
      return new SendResult(acks.stream().allMatch(PeerAck::acked), acks);
    }
  }

  /** The stats() 5-tuple. */
  record StatsResult(long txPkts, long txResponses, long txFailures, long rxPackets, long rxDropped)
      implements ReplyBody {
    public StatsResult {
      u32(txPkts, "tx_pkts");
      u32(txResponses, "tx_responses");
      u32(txFailures, "tx_failures");
      u32(rxPackets, "rx_packets");
      u32(rxDropped, "rx_dropped");
    }
  }

  /** One entry of peers_table: last RSSI (dBm) and time_ms a peer was heard. */
  record PeerRssi(Mac mac, int rssi, long timeMs) {
    public PeerRssi {
      Objects.requireNonNull(mac, "mac");
      if (rssi < -128 || rssi > 127) {
        throw new IllegalArgumentException("rssi is an i8, got " + rssi);
      }
      u32(timeMs, "time_ms");
    }
  }

  record PeersTableResult(List<PeerRssi> entries) implements ReplyBody {
    public PeersTableResult {
      entries = List.copyOf(entries);
      if (entries.size() > 255) {
        throw new IllegalArgumentException("at most 255 entries in one reply");
      }
    }
  }

  private static void u32(long v, String name) {
    if (v < 0 || v > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException(name + " is a u32, got " + v);
    }
  }
}
