package io.nowmesh.actors.link;

import io.nowmesh.actors.espnow.EspNowError;
import io.nowmesh.actors.espnow.EspNowException;
import io.nowmesh.actors.espnow.Interface;
import io.nowmesh.actors.espnow.Key;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.actors.espnow.PeerOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Encodes {@link Message}s to {@link Frame}s and back, following the payload layouts of
 * docs/protocol.md §3–§5. Stateless.
 *
 * <p>Decoding is strict and never throws anything but {@link EspNowException}, whose error is the
 * status a radio answers a bad command with: VERSION_MISMATCH (ver ≠ 1), UNKNOWN_COMMAND (type
 * unknown), BAD_LENGTH (payload too short or too long), ESP_ERR_ESPNOW_ARG (a field breaks a rule).
 * A radio therefore answers any undecodable command with
 * {@code Reply.error(frame.seq(), frame.type(), e.error(), e.getMessage())}.
 *
 * <p>A decoded message's data ({@link Bytes}) is a window on the frame's payload array rather than
 * a second copy of it; {@link Frame} already forbids writing that array after construction.
 */
public final class MessageCodec {
  private static final int PEER_ENCRYPT = 0x01;
  private static final int PEER_HAS_LMK = 0x02;
  private static final int SEND_SYNC = 0x01;
  private static final int SEND_TO_ALL = 0x02;

  private MessageCodec() {}

  // ---------------------------------------------------------------- encoding

  public static Frame encode(int seq, Command c) {
    // SEND is the hot path: size its payload exactly so the writer never grows
    WireWriter w = new WireWriter(c instanceof Command.Send s ? 1 + 6 + s.data().length() : 32);
    if (c instanceof Command.Hello h) {
      w.u8(h.hostVersion());
    } else if (c instanceof Command.Ping p) {
      w.bytes(p.data());
    } else if (c instanceof Command.ConfigGet g) {
      w.u8(g.param().code());
    } else if (c instanceof Command.ConfigSet s) {
      s.values().forEach(v -> w.u8(v.param().code()).i32(v.value()));
    } else if (c instanceof Command.SetPmk s) {
      w.key(s.pmk());
    } else if (c instanceof Command.AddPeer a) {
      peer(w, a.peer());
    } else if (c instanceof Command.ModPeer m) {
      peer(w, m.peer());
    } else if (c instanceof Command.DelPeer d) {
      w.mac(d.mac());
    } else if (c instanceof Command.GetPeer g) {
      w.mac(g.mac());
    } else if (c instanceof Command.Send s) {
      w.u8((s.sync() ? SEND_SYNC : 0) | (s.toAll() ? SEND_TO_ALL : 0)).mac(s.mac()).bytes(s.data());
    }
    // Reset, Init, Deinit, GetPeers, PeerCount, Stats, PeersTable: empty payload
    return Frame.of(c.type().code(), seq, w.toArray());
  }

  public static Frame encode(Reply r) {
    WireWriter w = new WireWriter(16);
    w.u16(r.status().code());
    if (!r.isOk()) {
      w.bytes(r.detail().getBytes(StandardCharsets.UTF_8));
    } else {
      body(w, r.body());
    }
    return Frame.of(r.commandCode() | CommandType.REPLY_BIT, r.seq(), w.toArray());
  }

  public static Frame encode(int seq, Event e) {
    // RECV is the hot path: size its payload exactly so the writer never grows
    WireWriter w = new WireWriter(e instanceof Event.Recv r ? 6 + 6 + 1 + 4 + r.data().length() : 32);
    if (e instanceof Event.Boot b) {
      boot(w, b.info());
    } else if (e instanceof Event.Recv r) {
      w.mac(r.src()).mac(r.dst()).u8(r.rssi()).u32(r.timeMs()).bytes(r.data());
    } else if (e instanceof Event.SendDone s) {
      w.u16(s.cmdSeq()).mac(s.mac()).u8(s.acked() ? 1 : 0);
    } else if (e instanceof Event.Log l) {
      w.u8(l.level()).bytes(l.text().getBytes(StandardCharsets.UTF_8));
    } else if (e instanceof Event.Overflow o) {
      w.u32(o.rxDropped()).u32(o.serialCorrupt()).u32(o.serialOversize()).u32(o.busyRefused());
    }
    return Frame.of(e.type(), seq, w.toArray());
  }

  private static void peer(WireWriter w, PeerRecord p) {
    PeerOptions o = p.options();
    int flags = (o.encrypt() ? PEER_ENCRYPT : 0) | (o.lmk().isPresent() ? PEER_HAS_LMK : 0);
    w.mac(p.mac()).u8(flags).u8(o.channel()).u8(o.ifidx().ifidx());
    o.lmk().ifPresent(w::key);
  }

  private static void boot(WireWriter w, BootInfo b) {
    byte[] fw = b.fwVersion().getBytes(StandardCharsets.UTF_8);
    w.u8(b.protoVersion()).u8(b.apiGen()).mac(b.staMac()).mac(b.apMac()).u8(b.channel()).u8(b.maxDataLen())
        .u8(b.maxPeers()).u8(b.maxEncrypt()).u8(b.queueDepth()).u32(b.freeMem()).u8(fw.length).bytes(fw);
  }

  private static void body(WireWriter w, ReplyBody body) {
    if (body instanceof BootInfo b) {
      boot(w, b);
    } else if (body instanceof ReplyBody.Pong p) {
      w.u32(p.uptimeMs()).bytes(p.data());
    } else if (body instanceof ConfigValue v) {
      w.u8(v.param().code()).i32(v.value());
    } else if (body instanceof PeerRecord p) {
      peer(w, p);
    } else if (body instanceof ReplyBody.PeerList l) {
      w.u8(l.peers().size());
      l.peers().forEach(p -> peer(w, p));
    } else if (body instanceof ReplyBody.PeerCounts c) {
      w.u8(c.total()).u8(c.encrypted());
    } else if (body instanceof ReplyBody.SendResult s) {
      w.u8(s.allAcked() ? 1 : 0).u8(s.acks().size());
      s.acks().forEach(a -> w.mac(a.mac()).u8(a.acked() ? 1 : 0));
    } else if (body instanceof ReplyBody.StatsResult s) {
      w.u32(s.txPkts()).u32(s.txResponses()).u32(s.txFailures()).u32(s.rxPackets()).u32(s.rxDropped());
    } else if (body instanceof ReplyBody.PeersTableResult t) {
      w.u8(t.entries().size());
      t.entries().forEach(e -> w.mac(e.mac()).u8(e.rssi()).u32(e.timeMs()));
    }
    // Empty: nothing after the status
  }

  // ---------------------------------------------------------------- decoding

  /** Decodes a frame of any kind. Commands and events take their seq from {@code f.seq()}. */
  public static Message decode(Frame f) {
    if (f.version() != Frame.VERSION) {
      throw new EspNowException(EspNowError.VERSION_MISMATCH,
          "protocol version " + f.version() + " is not supported (this side speaks " + Frame.VERSION + ")");
    }
    int t = f.type();
    if (CommandType.isCommandCode(t)) {
      return decodeCommand(f);
    } else if (CommandType.isReplyCode(t)) {
      return decodeReply(f);
    } else if (CommandType.isEventCode(t)) {
      return decodeEvent(f);
    }
    throw new EspNowException(EspNowError.UNKNOWN_COMMAND, String.format("type 0x%02X is not a message type", t));
  }

  public static Command decodeCommand(Frame f) {
    try {
      return command(f);
    } catch (IllegalArgumentException e) {
      throw invalid(e);
    }
  }

  public static Reply decodeReply(Frame f) {
    try {
      return reply(f);
    } catch (IllegalArgumentException e) {
      throw invalid(e);
    }
  }

  public static Event decodeEvent(Frame f) {
    try {
      return event(f);
    } catch (IllegalArgumentException e) {
      throw invalid(e);
    }
  }

  /** A field out of range for its record (e.g. more encrypted peers than peers) is an argument error. */
  private static EspNowException invalid(IllegalArgumentException e) {
    return e instanceof NumberFormatException ? EspNowException.arg("bad number") : EspNowException.arg(e.getMessage());
  }

  private static Command command(Frame f) {
    CommandType type = CommandType.fromCode(f.type());
    if (type == null) {
      throw new EspNowException(EspNowError.UNKNOWN_COMMAND, String.format("unknown command 0x%02X", f.type()));
    }
    WireReader r = new WireReader(f.payload(), type.name());
    Command c = switch (type) {
      case HELLO -> new Command.Hello(r.u8());
      case PING -> new Command.Ping(r.rest());
      case RESET -> new Command.Reset();
      case INIT -> new Command.Init();
      case DEINIT -> new Command.Deinit();
      case CONFIG_GET -> new Command.ConfigGet(ConfigParam.fromCode(r.u8()));
      case CONFIG_SET -> configSet(r, f.payload().length);
      case SET_PMK -> new Command.SetPmk(Key.pmk(r.bytes(16)));
      case ADD_PEER -> new Command.AddPeer(peer(r));
      case DEL_PEER -> new Command.DelPeer(r.mac());
      case MOD_PEER -> new Command.ModPeer(peer(r));
      case GET_PEER -> new Command.GetPeer(r.mac());
      case GET_PEERS -> new Command.GetPeers();
      case PEER_COUNT -> new Command.PeerCount();
      case SEND -> send(r);
      case STATS -> new Command.Stats();
      case PEERS_TABLE -> new Command.PeersTable();
    };
    r.end();
    return c;
  }

  private static Command.ConfigSet configSet(WireReader r, int len) {
    if (len == 0 || len % 5 != 0 || len > 20) {
      throw new EspNowException(EspNowError.BAD_LENGTH, "CONFIG_SET takes 1..4 (param:u8 value:i32) pairs, got "
          + len + " bytes");
    }
    List<ConfigValue> values = new ArrayList<>();
    while (r.remaining() > 0) {
      values.add(new ConfigValue(ConfigParam.fromCode(r.u8()), r.i32()));
    }
    return new Command.ConfigSet(values);
  }

  private static Command.Send send(WireReader r) {
    int flags = r.u8();
    if ((flags & ~(SEND_SYNC | SEND_TO_ALL)) != 0) {
      throw EspNowException.arg(String.format("unknown SEND flags 0x%02X", flags));
    }
    Mac mac = r.mac();
    return new Command.Send((flags & SEND_SYNC) != 0, (flags & SEND_TO_ALL) != 0, mac, r.rest());
  }

  private static PeerRecord peer(WireReader r) {
    Mac mac = r.mac();
    int flags = r.u8();
    int channel = r.u8();
    int ifidx = r.u8();
    if ((flags & ~(PEER_ENCRYPT | PEER_HAS_LMK)) != 0) {
      throw EspNowException.arg(String.format("unknown peer flags 0x%02X", flags));
    }
    Optional<Key> lmk = (flags & PEER_HAS_LMK) != 0 ? Optional.of(Key.lmk(r.bytes(16))) : Optional.empty();
    return new PeerRecord(mac, new PeerOptions(lmk, channel, Interface.fromIfidx(ifidx), (flags & PEER_ENCRYPT) != 0));
  }

  private static Reply reply(Frame f) {
    int cmdCode = f.type() & ~CommandType.REPLY_BIT;
    CommandType type = CommandType.fromCode(cmdCode);
    WireReader r = new WireReader(f.payload(), "reply");
    EspNowError status = EspNowError.fromCode(r.u16());
    if (status != EspNowError.OK) {
      return Reply.error(f.seq(), cmdCode, status, r.restUtf8());
    }
    if (type == null) {
      throw new EspNowException(EspNowError.UNKNOWN_COMMAND,
          String.format("OK reply to unknown command 0x%02X", cmdCode));
    }
    ReplyBody body = switch (type) {
      case HELLO -> bootInfo(r);
      case PING -> new ReplyBody.Pong(r.u32(), r.rest());
      case CONFIG_GET -> new ConfigValue(ConfigParam.fromCode(r.u8()), r.i32());
      case GET_PEER -> peer(r);
      case GET_PEERS -> {
        int n = r.u8();
        List<PeerRecord> peers = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          peers.add(peer(r));
        }
        yield new ReplyBody.PeerList(peers);
      }
      case PEER_COUNT -> new ReplyBody.PeerCounts(r.u8(), r.u8());
      case SEND -> {
        boolean all = r.u8() != 0;
        int n = r.u8();
        List<ReplyBody.PeerAck> acks = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          acks.add(new ReplyBody.PeerAck(r.mac(), r.u8() != 0));
        }
        yield new ReplyBody.SendResult(all, acks);
      }
      case STATS -> new ReplyBody.StatsResult(r.u32(), r.u32(), r.u32(), r.u32(), r.u32());
      case PEERS_TABLE -> {
        int n = r.u8();
        List<ReplyBody.PeerRssi> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          entries.add(new ReplyBody.PeerRssi(r.mac(), r.i8(), r.u32()));
        }
        yield new ReplyBody.PeersTableResult(entries);
      }
      case RESET, INIT, DEINIT, CONFIG_SET, SET_PMK, ADD_PEER, DEL_PEER, MOD_PEER -> ReplyBody.Empty.INSTANCE;
    };
    r.end();
    return Reply.ok(f.seq(), type, body);
  }

  private static Event event(Frame f) {
    WireReader r = new WireReader(f.payload(), "event");
    Event e = switch (f.type()) {
      case Event.BOOT -> new Event.Boot(bootInfo(r));
      case Event.RECV -> new Event.Recv(r.mac(), r.mac(), r.i8(), r.u32(), r.rest());
      case Event.SEND_DONE -> new Event.SendDone(r.u16(), r.mac(), r.u8() != 0);
      case Event.LOG -> new Event.Log(r.u8(), r.restUtf8());
      case Event.OVERFLOW -> new Event.Overflow(r.u32(), r.u32(), r.u32(), r.u32());
      default -> throw new EspNowException(EspNowError.UNKNOWN_COMMAND,
          String.format("unknown event 0x%02X", f.type()));
    };
    r.end();
    return e;
  }

  private static BootInfo bootInfo(WireReader r) {
    int proto = r.u8();
    int apiGen = r.u8();
    Mac sta = r.mac();
    Mac ap = r.mac();
    int channel = r.u8();
    int maxData = r.u8();
    int maxPeers = r.u8();
    int maxEnc = r.u8();
    int depth = r.u8();
    long free = r.u32();
    int fwLen = r.u8();
    return new BootInfo(proto, apiGen, sta, ap, channel, maxData, maxPeers, maxEnc, depth, free, r.utf8(fwLen));
  }
}
