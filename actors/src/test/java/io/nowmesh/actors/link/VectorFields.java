package io.nowmesh.actors.link;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nowmesh.actors.espnow.EspNowError;
import io.nowmesh.actors.espnow.Interface;
import io.nowmesh.actors.espnow.Key;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.actors.espnow.PeerOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Maps between the golden-vector "fields" JSON (docs/protocol.md §8) and the Java messages. */
final class VectorFields {
  private static final JsonNodeFactory N = JsonNodeFactory.instance;

  private VectorFields() {}

  static String kind(Message m) {
    return m instanceof Command ? "command" : m instanceof Reply ? "reply" : "event";
  }

  static String typeName(Message m) {
    if (m instanceof Command c) {
      return c.type().name();
    }
    if (m instanceof Reply r) {
      return r.command().map(Enum::name).orElse(String.format("0x%02X", r.commandCode()));
    }
    return switch (((Event) m).type()) {
      case Event.BOOT -> "BOOT";
      case Event.RECV -> "RECV";
      case Event.SEND_DONE -> "SEND_DONE";
      case Event.LOG -> "LOG";
      default -> "OVERFLOW";
    };
  }

  // ------------------------------------------------------------ JSON -> message

  static Frame toFrame(JsonNode v) {
    JsonNode f = v.get("fields");
    int seq = v.get("seq").asInt();
    String type = v.get("type").asText();
    return switch (v.get("kind").asText()) {
      case "command" -> MessageCodec.encode(seq, command(CommandType.valueOf(type), f));
      case "reply" -> MessageCodec.encode(reply(seq, CommandType.valueOf(type), f));
      default -> MessageCodec.encode(seq, event(type, f));
    };
  }

  static Command command(CommandType t, JsonNode f) {
    return switch (t) {
      case HELLO -> new Command.Hello(f.get("host_ver").asInt());
      case PING -> new Command.Ping(bytes(f.get("data")));
      case RESET -> new Command.Reset();
      case INIT -> new Command.Init();
      case DEINIT -> new Command.Deinit();
      case CONFIG_GET -> new Command.ConfigGet(ConfigParam.fromCode(f.get("param").asInt()));
      case CONFIG_SET -> {
        List<ConfigValue> values = new ArrayList<>();
        for (JsonNode p : f.get("params")) {
          values.add(new ConfigValue(ConfigParam.fromCode(p.get(0).asInt()), p.get(1).asInt()));
        }
        yield new Command.ConfigSet(values);
      }
      case SET_PMK -> new Command.SetPmk(Key.pmk(bytes(f.get("pmk")).toArray()));
      case ADD_PEER -> new Command.AddPeer(peer(f));
      case DEL_PEER -> new Command.DelPeer(Mac.parse(f.get("mac").asText()));
      case MOD_PEER -> new Command.ModPeer(peer(f));
      case GET_PEER -> new Command.GetPeer(Mac.parse(f.get("mac").asText()));
      case GET_PEERS -> new Command.GetPeers();
      case PEER_COUNT -> new Command.PeerCount();
      case SEND -> new Command.Send(f.get("sync").asBoolean(), f.get("all").asBoolean(),
          Mac.parse(f.get("mac").asText()), bytes(f.get("data")));
      case STATS -> new Command.Stats();
      case PEERS_TABLE -> new Command.PeersTable();
    };
  }

  static Reply reply(int seq, CommandType t, JsonNode f) {
    EspNowError status = EspNowError.valueOf(f.get("status").asText());
    if (status != EspNowError.OK) {
      // "unknown command" vectors name the command they were typed under; the wire carries the code
      return Reply.error(seq, t, status, f.get("detail").asText());
    }
    ReplyBody body = switch (t) {
      case HELLO -> boot(f);
      case PING -> new ReplyBody.Pong(f.get("uptime_ms").asLong(), bytes(f.get("data")));
      case CONFIG_GET -> new ConfigValue(ConfigParam.fromCode(f.get("param").asInt()), f.get("value").asInt());
      case GET_PEER -> peer(f);
      case GET_PEERS -> {
        List<PeerRecord> peers = new ArrayList<>();
        f.get("peers").forEach(p -> peers.add(peer(p)));
        yield new ReplyBody.PeerList(peers);
      }
      case PEER_COUNT -> new ReplyBody.PeerCounts(f.get("total").asInt(), f.get("encrypted").asInt());
      case SEND -> {
        List<ReplyBody.PeerAck> acks = new ArrayList<>();
        f.get("acks").forEach(a -> acks.add(new ReplyBody.PeerAck(Mac.parse(a.get("mac").asText()),
            a.get("acked").asBoolean())));
        yield new ReplyBody.SendResult(f.get("all_acked").asBoolean(), acks);
      }
      case STATS -> new ReplyBody.StatsResult(f.get("tx_pkts").asLong(), f.get("tx_responses").asLong(),
          f.get("tx_failures").asLong(), f.get("rx_packets").asLong(), f.get("rx_dropped").asLong());
      case PEERS_TABLE -> {
        List<ReplyBody.PeerRssi> entries = new ArrayList<>();
        f.get("entries").forEach(e -> entries.add(new ReplyBody.PeerRssi(Mac.parse(e.get("mac").asText()),
            e.get("rssi").asInt(), e.get("time_ms").asLong())));
        yield new ReplyBody.PeersTableResult(entries);
      }
      default -> ReplyBody.Empty.INSTANCE;
    };
    return Reply.ok(seq, t, body);
  }

  static Event event(String type, JsonNode f) {
    return switch (type) {
      case "BOOT" -> new Event.Boot(boot(f));
      case "RECV" -> new Event.Recv(Mac.parse(f.get("src").asText()), Mac.parse(f.get("dst").asText()),
          f.get("rssi").asInt(), f.get("time_ms").asLong(), bytes(f.get("data")));
      case "SEND_DONE" -> new Event.SendDone(f.get("cmd_seq").asInt(), Mac.parse(f.get("mac").asText()),
          f.get("acked").asBoolean());
      case "LOG" -> new Event.Log(f.get("level").asInt(), f.get("text").asText());
      case "OVERFLOW" -> new Event.Overflow(f.get("rx_dropped").asLong(), f.get("serial_corrupt").asLong(),
          f.get("serial_oversize").asLong(), f.get("busy_refused").asLong());
      default -> throw new IllegalArgumentException("unknown event " + type);
    };
  }

  private static BootInfo boot(JsonNode f) {
    return new BootInfo(f.get("proto_ver").asInt(), f.get("api_gen").asInt(), Mac.parse(f.get("sta_mac").asText()),
        Mac.parse(f.get("ap_mac").asText()), f.get("channel").asInt(), f.get("max_data_len").asInt(),
        f.get("max_peers").asInt(), f.get("max_encrypt").asInt(), f.get("queue_depth").asInt(),
        f.get("free_mem").asLong(), f.get("fw_ver").asText());
  }

  private static PeerRecord peer(JsonNode f) {
    JsonNode lmk = f.get("lmk");
    Optional<Key> key = lmk == null || lmk.isNull() ? Optional.empty()
        : Optional.of(Key.lmk(bytes(lmk).toArray()));
    return new PeerRecord(Mac.parse(f.get("mac").asText()), new PeerOptions(key, f.get("channel").asInt(),
        Interface.fromIfidx(f.get("ifidx").asInt()), f.get("encrypt").asBoolean()));
  }

  private static Bytes bytes(JsonNode n) {
    return Bytes.ofHex(n.asText());
  }

  // ------------------------------------------------------------ message -> JSON

  static ObjectNode toJson(Message m) {
    ObjectNode o = N.objectNode();
    if (m instanceof Command c) {
      command(o, c);
    } else if (m instanceof Reply r) {
      o.put("status", r.status().name());
      if (!r.isOk()) {
        o.put("detail", r.detail());
      } else {
        body(o, r.body());
      }
    } else if (m instanceof Event.Boot b) {
      boot(o, b.info());
    } else if (m instanceof Event.Recv r) {
      o.put("src", r.src().toString()).put("dst", r.dst().toString()).put("rssi", r.rssi())
          .put("time_ms", r.timeMs()).put("data", r.data().toHex());
    } else if (m instanceof Event.SendDone s) {
      o.put("cmd_seq", s.cmdSeq()).put("mac", s.mac().toString()).put("acked", s.acked());
    } else if (m instanceof Event.Log l) {
      o.put("level", l.level()).put("text", l.text());
    } else if (m instanceof Event.Overflow v) {
      o.put("rx_dropped", v.rxDropped()).put("serial_corrupt", v.serialCorrupt())
          .put("serial_oversize", v.serialOversize()).put("busy_refused", v.busyRefused());
    }
    return o;
  }

  private static void command(ObjectNode o, Command c) {
    if (c instanceof Command.Hello h) {
      o.put("host_ver", h.hostVersion());
    } else if (c instanceof Command.Ping p) {
      o.put("data", p.data().toHex());
    } else if (c instanceof Command.ConfigGet g) {
      o.put("param", g.param().code());
    } else if (c instanceof Command.ConfigSet s) {
      ArrayNode a = o.putArray("params");
      s.values().forEach(v -> a.addArray().add(v.param().code()).add(v.value()));
    } else if (c instanceof Command.SetPmk s) {
      o.put("pmk", java.util.HexFormat.of().formatHex(s.pmk().toBytes()));
    } else if (c instanceof Command.AddPeer a) {
      peer(o, a.peer());
    } else if (c instanceof Command.ModPeer m) {
      peer(o, m.peer());
    } else if (c instanceof Command.DelPeer d) {
      o.put("mac", d.mac().toString());
    } else if (c instanceof Command.GetPeer g) {
      o.put("mac", g.mac().toString());
    } else if (c instanceof Command.Send s) {
      o.put("sync", s.sync()).put("all", s.toAll()).put("mac", s.mac().toString()).put("data", s.data().toHex());
    }
  }

  private static void body(ObjectNode o, ReplyBody b) {
    if (b instanceof BootInfo i) {
      boot(o, i);
    } else if (b instanceof ReplyBody.Pong p) {
      o.put("uptime_ms", p.uptimeMs()).put("data", p.data().toHex());
    } else if (b instanceof ConfigValue v) {
      o.put("param", v.param().code()).put("value", v.value());
    } else if (b instanceof PeerRecord p) {
      peer(o, p);
    } else if (b instanceof ReplyBody.PeerList l) {
      ArrayNode a = o.putArray("peers");
      l.peers().forEach(p -> peer(a.addObject(), p));
    } else if (b instanceof ReplyBody.PeerCounts c) {
      o.put("total", c.total()).put("encrypted", c.encrypted());
    } else if (b instanceof ReplyBody.SendResult s) {
      o.put("all_acked", s.allAcked());
      ArrayNode a = o.putArray("acks");
      s.acks().forEach(k -> a.addObject().put("mac", k.mac().toString()).put("acked", k.acked()));
    } else if (b instanceof ReplyBody.StatsResult s) {
      o.put("tx_pkts", s.txPkts()).put("tx_responses", s.txResponses()).put("tx_failures", s.txFailures())
          .put("rx_packets", s.rxPackets()).put("rx_dropped", s.rxDropped());
    } else if (b instanceof ReplyBody.PeersTableResult t) {
      ArrayNode a = o.putArray("entries");
      t.entries().forEach(e -> a.addObject().put("mac", e.mac().toString()).put("rssi", e.rssi())
          .put("time_ms", e.timeMs()));
    }
  }

  private static void boot(ObjectNode o, BootInfo b) {
    o.put("proto_ver", b.protoVersion()).put("api_gen", b.apiGen()).put("sta_mac", b.staMac().toString())
        .put("ap_mac", b.apMac().toString()).put("channel", b.channel()).put("max_data_len", b.maxDataLen())
        .put("max_peers", b.maxPeers()).put("max_encrypt", b.maxEncrypt()).put("queue_depth", b.queueDepth())
        .put("free_mem", b.freeMem()).put("fw_ver", b.fwVersion());
  }

  private static void peer(ObjectNode o, PeerRecord p) {
    PeerOptions opt = p.options();
    o.put("mac", p.mac().toString()).put("encrypt", opt.encrypt()).put("channel", opt.channel())
        .put("ifidx", opt.ifidx().ifidx());
    if (opt.lmk().isPresent()) {
      o.put("lmk", java.util.HexFormat.of().formatHex(opt.lmk().get().toBytes()));
    } else {
      o.putNull("lmk");
    }
  }
}
