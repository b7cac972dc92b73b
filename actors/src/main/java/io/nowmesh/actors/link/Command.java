package io.nowmesh.actors.link;

import io.nowmesh.actors.espnow.EspNowError;
import io.nowmesh.actors.espnow.EspNowException;
import io.nowmesh.actors.espnow.Key;
import io.nowmesh.actors.espnow.Limits;
import io.nowmesh.actors.espnow.Mac;
import java.util.List;
import java.util.Objects;

/**
 * The host → radio commands of docs/protocol.md §3, one record each. Constructors enforce the
 * protocol's rules, throwing {@link EspNowException} with the status the radio would answer
 * (ESP_ERR_ESPNOW_ARG, BAD_LENGTH), so a command that exists is encodable.
 */
public sealed interface Command extends Message {
  CommandType type();

  /** Largest PING payload. */
  int MAX_PING_DATA = 64;

  record Hello(int hostVersion) implements Command {
    public Hello {
      u8(hostVersion, "host_ver");
    }

    public static Hello v1() {
      return new Hello(Frame.VERSION);
    }

    public CommandType type() {
      return CommandType.HELLO;
    }
  }

  record Ping(Bytes data) implements Command {
    public Ping {
      Objects.requireNonNull(data, "data");
      if (data.length() > MAX_PING_DATA) {
        throw new EspNowException(EspNowError.BAD_LENGTH, "PING data is at most 64 bytes, got " + data.length());
      }
    }

    public CommandType type() {
      return CommandType.PING;
    }
  }

  record Reset() implements Command {
    public CommandType type() {
      return CommandType.RESET;
    }
  }

  record Init() implements Command {
    public CommandType type() {
      return CommandType.INIT;
    }
  }

  record Deinit() implements Command {
    public CommandType type() {
      return CommandType.DEINIT;
    }
  }

  record ConfigGet(ConfigParam param) implements Command {
    public ConfigGet {
      Objects.requireNonNull(param, "param");
    }

    public CommandType type() {
      return CommandType.CONFIG_GET;
    }
  }

  /** 1..4 (param, value) pairs. */
  record ConfigSet(List<ConfigValue> values) implements Command {
    public ConfigSet {
      values = List.copyOf(values);
      if (values.isEmpty() || values.size() > 4) {
        throw new EspNowException(EspNowError.BAD_LENGTH, "CONFIG_SET takes 1..4 params, got " + values.size());
      }
    }

    public static ConfigSet of(ConfigParam param, int value) {
      return new ConfigSet(List.of(new ConfigValue(param, value)));
    }

    public CommandType type() {
      return CommandType.CONFIG_SET;
    }
  }

  /** toString redacts the key (Key does). */
  record SetPmk(Key pmk) implements Command {
    public SetPmk {
      Objects.requireNonNull(pmk, "pmk");
      if (pmk.kind() != Key.Kind.PMK) {
        throw EspNowException.arg("SET_PMK needs a PMK, got a " + pmk.kind());
      }
    }

    public CommandType type() {
      return CommandType.SET_PMK;
    }
  }

  record AddPeer(PeerRecord peer) implements Command {
    public AddPeer {
      Objects.requireNonNull(peer, "peer");
    }

    public CommandType type() {
      return CommandType.ADD_PEER;
    }
  }

  record DelPeer(Mac mac) implements Command {
    public DelPeer {
      Objects.requireNonNull(mac, "mac");
    }

    public CommandType type() {
      return CommandType.DEL_PEER;
    }
  }

  record ModPeer(PeerRecord peer) implements Command {
    public ModPeer {
      Objects.requireNonNull(peer, "peer");
    }

    public CommandType type() {
      return CommandType.MOD_PEER;
    }
  }

  record GetPeer(Mac mac) implements Command {
    public GetPeer {
      Objects.requireNonNull(mac, "mac");
    }

    public CommandType type() {
      return CommandType.GET_PEER;
    }
  }

  record GetPeers() implements Command {
    public CommandType type() {
      return CommandType.GET_PEERS;
    }
  }

  record PeerCount() implements Command {
    public CommandType type() {
      return CommandType.PEER_COUNT;
    }
  }

  /**
   * SEND to one MAC, or to every registered unicast peer when {@code toAll} (then {@code mac} is
   * {@link Mac#ZERO}). {@code data} is 0..250 bytes; longer is ESP_ERR_ESPNOW_ARG.
   */
  record Send(boolean sync, boolean toAll, Mac mac, Bytes data) implements Command {
    public Send {
      Objects.requireNonNull(data, "data");
      mac = toAll ? Mac.ZERO : Objects.requireNonNull(mac, "mac");
      if (data.length() > Limits.MAX_DATA_LEN) {
        throw EspNowException.arg("data is at most " + Limits.MAX_DATA_LEN + " bytes (MAX_DATA_LEN), got "
            + data.length());
      }
    }

    public static Send to(Mac mac, Bytes data, boolean sync) {
      return new Send(sync, false, mac, data);
    }

    public static Send toAll(Bytes data, boolean sync) {
      return new Send(sync, true, Mac.ZERO, data);
    }

    public CommandType type() {
      return CommandType.SEND;
    }
  }

  record Stats() implements Command {
    public CommandType type() {
      return CommandType.STATS;
    }
  }

  record PeersTable() implements Command {
    public CommandType type() {
      return CommandType.PEERS_TABLE;
    }
  }

  private static void u8(int v, String name) {
    if (v < 0 || v > 0xFF) {
      throw EspNowException.arg(name + " is a u8, got " + v);
    }
  }
}
