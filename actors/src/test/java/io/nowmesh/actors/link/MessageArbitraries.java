package io.nowmesh.actors.link;

import io.nowmesh.actors.espnow.Interface;
import io.nowmesh.actors.espnow.Key;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.actors.espnow.PeerOptions;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** jqwik generators for every protocol message, covering the full range of every field. */
final class MessageArbitraries {
  private MessageArbitraries() {}

  static Arbitrary<Mac> macs() {
    return Arbitraries.longs().between(0, 0xFFFF_FFFF_FFFFL).map(Mac::ofLong)
        .edgeCases(c -> c.add(Mac.BROADCAST, Mac.ZERO));
  }

  static Arbitrary<Mac> unicastMacs() {
    return macs().map(m -> Mac.ofLong(m.toLong() & ~0x0100_0000_0000L));
  }

  static Arbitrary<Bytes> bytes(int max) {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(max).map(Bytes::of);
  }

  static Arbitrary<Key> keys(Key.Kind kind) {
    return Arbitraries.bytes().array(byte[].class).ofSize(16).map(b -> Key.of(kind, b));
  }

  static Arbitrary<Long> u32() {
    return Arbitraries.longs().between(0, 0xFFFF_FFFFL);
  }

  static Arbitrary<ConfigValue> configValues() {
    return Combinators.combine(Arbitraries.of(ConfigParam.class), Arbitraries.integers())
        .as(ConfigValue::new);
  }

  static Arbitrary<PeerRecord> peers() {
    Arbitrary<PeerRecord> unicast = Combinators.combine(unicastMacs(), keys(Key.Kind.LMK).optional(),
        Arbitraries.integers().between(0, 14), Arbitraries.of(Interface.class), Arbitraries.of(true, false))
        .as((mac, lmk, ch, ifx, enc) -> new PeerRecord(mac, new PeerOptions(lmk, ch, ifx, enc && lmk.isPresent())));
    Arbitrary<PeerRecord> group = Combinators.combine(macs().map(m -> Mac.ofLong(m.toLong() | 0x0100_0000_0000L)),
        Arbitraries.integers().between(0, 14), Arbitraries.of(Interface.class))
        .as((mac, ch, ifx) -> new PeerRecord(mac, new PeerOptions(Optional.empty(), ch, ifx, false)));
    return Arbitraries.oneOf(unicast, group);
  }

  static Arbitrary<Command> commands() {
    return Arbitraries.oneOf(
        Arbitraries.integers().between(0, 255).map(Command.Hello::new),
        bytes(64).map(Command.Ping::new),
        Arbitraries.just(new Command.Reset()),
        Arbitraries.just(new Command.Init()),
        Arbitraries.just(new Command.Deinit()),
        Arbitraries.of(ConfigParam.class).map(Command.ConfigGet::new),
        configValues().list().ofMinSize(1).ofMaxSize(4).map(Command.ConfigSet::new),
        keys(Key.Kind.PMK).map(Command.SetPmk::new),
        peers().map(Command.AddPeer::new),
        macs().map(Command.DelPeer::new),
        peers().map(Command.ModPeer::new),
        macs().map(Command.GetPeer::new),
        Arbitraries.just(new Command.GetPeers()),
        Arbitraries.just(new Command.PeerCount()),
        Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(true, false), macs(), bytes(250))
            .as(Command.Send::new),
        Arbitraries.just(new Command.Stats()),
        Arbitraries.just(new Command.PeersTable()));
  }

  static Arbitrary<BootInfo> bootInfos() {
    Arbitrary<Integer> u8 = Arbitraries.integers().between(0, 255);
    return Combinators.combine(u8, u8, macs(), macs(), u8, u8, u8, u8).flatAs((pv, ag, sta, ap, ch, md, mp, me) ->
        Combinators.combine(u8, u32(), Arbitraries.strings().ofMaxLength(60))
            .as((qd, free, fw) -> new BootInfo(pv, ag, sta, ap, ch, md, mp, me, qd, free, fw)));
  }

  static Arbitrary<ReplyBody> bodiesFor(CommandType t) {
    return switch (t) {
      case HELLO -> bootInfos().map(b -> b);
      case PING -> Combinators.combine(u32(), bytes(64)).as(ReplyBody.Pong::new);
      case CONFIG_GET -> configValues().map(v -> v);
      case GET_PEER -> peers().map(p -> p);
      case GET_PEERS -> peers().list().ofMaxSize(20).map(ReplyBody.PeerList::new);
      case PEER_COUNT -> Arbitraries.integers().between(0, 20).flatMap(total ->
          Arbitraries.integers().between(0, Math.min(total, 6)).map(enc -> new ReplyBody.PeerCounts(total, enc)));
      case SEND -> Combinators.combine(Arbitraries.of(true, false),
          Combinators.combine(macs(), Arbitraries.of(true, false)).as(ReplyBody.PeerAck::new).list().ofMaxSize(20))
          .as(ReplyBody.SendResult::new);
      case STATS -> Combinators.combine(u32(), u32(), u32(), u32(), u32()).as(ReplyBody.StatsResult::new);
      case PEERS_TABLE -> Combinators.combine(macs(), Arbitraries.integers().between(-128, 127), u32())
          .as(ReplyBody.PeerRssi::new).list().ofMaxSize(20).map(ReplyBody.PeersTableResult::new);
      default -> Arbitraries.just(ReplyBody.Empty.INSTANCE);
    };
  }

  static Arbitrary<Reply> replies() {
    Arbitrary<Integer> seqs = Arbitraries.integers().between(0, 0xFFFF);
    Arbitrary<Reply> ok = Combinators.combine(seqs, Arbitraries.of(CommandType.class))
        .flatAs((seq, t) -> bodiesFor(t).map(b -> Reply.ok(seq, t, b)));
    Arbitrary<Reply> err = Combinators.combine(seqs, Arbitraries.integers().between(1, 0x3F),
        Arbitraries.of(io.nowmesh.actors.espnow.EspNowError.class)
            .filter(e -> e != io.nowmesh.actors.espnow.EspNowError.OK),
        Arbitraries.strings().ofMaxLength(40)).as(Reply::error);
    return Arbitraries.oneOf(ok, err);
  }

  static Arbitrary<Event> events() {
    return Arbitraries.oneOf(
        bootInfos().map(Event.Boot::new),
        Combinators.combine(macs(), macs(), Arbitraries.integers().between(-128, 127), u32(), bytes(250))
            .as(Event.Recv::new),
        Combinators.combine(Arbitraries.integers().between(0, 0xFFFF), macs(), Arbitraries.of(true, false))
            .as(Event.SendDone::new),
        Combinators.combine(Arbitraries.integers().between(0, 255), Arbitraries.strings().ofMaxLength(200))
            .as(Event.Log::new),
        Combinators.combine(u32(), u32(), u32(), u32()).as(Event.Overflow::new));
  }
}
