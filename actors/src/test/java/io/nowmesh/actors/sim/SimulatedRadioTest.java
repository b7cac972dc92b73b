package io.nowmesh.actors.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowmesh.actors.espnow.EspNowError;
import io.nowmesh.actors.espnow.Key;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.actors.espnow.PeerOptions;
import io.nowmesh.actors.link.BootInfo;
import io.nowmesh.actors.link.Bytes;
import io.nowmesh.actors.link.Command;
import io.nowmesh.actors.link.CommandType;
import io.nowmesh.actors.link.ConfigParam;
import io.nowmesh.actors.link.ConfigValue;
import io.nowmesh.actors.link.Event;
import io.nowmesh.actors.link.Frame;
import io.nowmesh.actors.link.PeerRecord;
import io.nowmesh.actors.link.Reply;
import io.nowmesh.actors.link.ReplyBody;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulated radio answers the whole protocol over its in-memory transport, through the codec. */
class SimulatedRadioTest {
  private static final Mac RADIO = Mac.parse("24:0a:c4:00:00:01");
  private static final Mac LEAF = Mac.parse("24:0a:c4:00:00:02");
  private static final Bytes PING = Bytes.ofUtf8("ping");

  private SimulatedAir air;
  private SimulatedRadio radio;
  private VirtualNode leaf;
  private RadioClient host;
  private final Set<CommandType> answered = EnumSet.noneOf(CommandType.class);

  @BeforeEach
  void setUp() {
    air = new SimulatedAir();
    radio = SimulatedRadio.start(air, RADIO, 0, 0, 1, new SimulatedRadio.Settings(4, 50, "sim-test"));
    leaf = air.addNode(LEAF, 3, 0, 1);
    host = new RadioClient(radio.hostTransport());
  }

  @AfterEach
  void tearDown() {
    host.close();
    radio.close();
    leaf.close();
  }

  private Reply ok(Command c) throws Exception {
    Reply r = host.call(c);
    assertEquals(EspNowError.OK, r.status(), () -> c + " -> " + r);
    assertEquals(c.type().code(), r.commandCode());
    answered.add(c.type());
    return r;
  }

  private Reply refused(Command c, EspNowError expected) throws Exception {
    Reply r = host.call(c);
    assertEquals(expected, r.status(), () -> c + " -> " + r);
    answered.add(c.type());
    return r;
  }

  @Test
  void bootsAndAnswersHello() throws Exception {
    RadioClient.Numbered first = host.awaitNumbered(Event.Boot.class);
    assertEquals(0, first.seq(), "BOOT is event 0");
    Event.Boot boot = (Event.Boot) first.event();
    BootInfo info = boot.info();
    assertEquals(BootInfo.API_GEN_SIMULATED, info.apiGen());
    assertEquals(RADIO, info.staMac());
    assertEquals(Mac.parse("24:0a:c4:00:00:02"), info.apMac());
    assertEquals(4, info.queueDepth());
    assertEquals(250, info.maxDataLen());
    assertEquals(20, info.maxPeers());
    assertEquals(6, info.maxEncrypt());
    BootInfo hello = ok(Command.Hello.v1()).bodyAs(BootInfo.class);
    assertEquals(info.staMac(), hello.staMac());
    refused(new Command.Hello(2), EspNowError.VERSION_MISMATCH);
  }

  @Test
  void answersEveryCommandOfTheProtocol() throws Exception {
    host.awaitEvent(Event.Boot.class);
    ok(Command.Hello.v1());
    assertEquals(PING, ok(new Command.Ping(PING)).bodyAs(ReplyBody.Pong.class).data());

    // before INIT: peer commands and SET_PMK are NOT_INIT
    refused(new Command.AddPeer(PeerRecord.of(LEAF)), EspNowError.ESP_ERR_ESPNOW_NOT_INIT);
    refused(Command.Send.to(LEAF, PING, true), EspNowError.ESP_ERR_ESPNOW_NOT_INIT);
    refused(new Command.SetPmk(Key.pmk(new byte[16])), EspNowError.ESP_ERR_ESPNOW_NOT_INIT);
    refused(new Command.PeerCount(), EspNowError.ESP_ERR_ESPNOW_NOT_INIT);

    assertEquals(new ConfigValue(ConfigParam.RXBUF, 526),
        ok(new Command.ConfigGet(ConfigParam.RXBUF)).bodyAs(ConfigValue.class));
    ok(Command.ConfigSet.of(ConfigParam.RXBUF, 2048));
    assertEquals(2048, ok(new Command.ConfigGet(ConfigParam.RXBUF)).bodyAs(ConfigValue.class).value());
    refused(Command.ConfigSet.of(ConfigParam.CHANNEL, 15), EspNowError.ESP_ERR_ESPNOW_ARG);
    refused(Command.ConfigSet.of(ConfigParam.RATE, 11), EspNowError.UNSUPPORTED);
    refused(new Command.ConfigGet(ConfigParam.RATE), EspNowError.UNSUPPORTED);
    ok(new Command.ConfigSet(List.of(new ConfigValue(ConfigParam.TIMEOUT_MS, 10),
        new ConfigValue(ConfigParam.CHANNEL, 1))));
    assertEquals(1, ok(new Command.ConfigGet(ConfigParam.CHANNEL)).bodyAs(ConfigValue.class).value());

    ok(new Command.Init());
    ok(new Command.Init()); // idempotent
    ok(new Command.SetPmk(Key.pmk(new byte[16])));
    ok(new Command.AddPeer(PeerRecord.of(LEAF)));
    refused(new Command.AddPeer(PeerRecord.of(LEAF)), EspNowError.ESP_ERR_ESPNOW_EXIST);
    ok(new Command.ModPeer(new PeerRecord(LEAF, PeerOptions.DEFAULT.withChannel(1))));
    assertEquals(1, ok(new Command.GetPeer(LEAF)).bodyAs(PeerRecord.class).options().channel());
    refused(new Command.GetPeer(Mac.parse("24:0a:c4:00:00:99")), EspNowError.ESP_ERR_ESPNOW_NOT_FOUND);
    assertEquals(1, ok(new Command.GetPeers()).bodyAs(ReplyBody.PeerList.class).peers().size());
    assertEquals(new ReplyBody.PeerCounts(1, 0), ok(new Command.PeerCount()).bodyAs(ReplyBody.PeerCounts.class));

    ReplyBody.SendResult sync = ok(Command.Send.to(LEAF, PING, true)).bodyAs(ReplyBody.SendResult.class);
    assertEquals(ReplyBody.SendResult.of(List.of(new ReplyBody.PeerAck(LEAF, true))), sync);
    assertEquals(PING, leaf.recv(Duration.ofSeconds(2)).orElseThrow().data());

    int asyncSeq = host.send(Command.Send.to(LEAF, PING, false));
    Reply queued = host.awaitReply(asyncSeq);
    assertEquals(ReplyBody.SendResult.QUEUED, queued.body());
    Event.SendDone done = host.awaitEvent(Event.SendDone.class);
    assertEquals(new Event.SendDone(asyncSeq, LEAF, true), done);

    ReplyBody.SendResult all = ok(Command.Send.toAll(PING, true)).bodyAs(ReplyBody.SendResult.class);
    assertTrue(all.allAcked());
    refused(Command.Send.to(Mac.parse("24:0a:c4:00:00:99"), PING, true), EspNowError.ESP_ERR_ESPNOW_NOT_FOUND);

    leaf.addPeer(RADIO);
    leaf.send(RADIO, Bytes.ofUtf8("up"), true);
    Event.Recv recv = host.awaitEvent(Event.Recv.class);
    assertEquals(LEAF, recv.src());
    assertEquals(RADIO, recv.dst());
    assertEquals(air.rssiAt(3), recv.rssi());
    assertEquals(Bytes.ofUtf8("up"), recv.data());

    ReplyBody.StatsResult stats = ok(new Command.Stats()).bodyAs(ReplyBody.StatsResult.class);
    assertEquals(3, stats.txPkts(), "sync, async and to-all; the refused send is not counted");
    assertEquals(3, stats.txResponses());
    assertEquals(1, stats.rxPackets());
    ReplyBody.PeersTableResult table = ok(new Command.PeersTable()).bodyAs(ReplyBody.PeersTableResult.class);
    assertEquals(LEAF, table.entries().get(0).mac());

    ok(new Command.ModPeer(new PeerRecord(LEAF, PeerOptions.DEFAULT.withChannel(6))));
    refused(Command.Send.to(LEAF, PING, true), EspNowError.ESP_ERR_ESPNOW_CHAN);
    Event.Log log = host.awaitEvent(Event.Log.class);
    assertEquals(Event.Log.WARNING, log.level());
    assertTrue(log.text().contains("channel 6"), log.text());

    ok(new Command.DelPeer(LEAF));
    refused(new Command.DelPeer(LEAF), EspNowError.ESP_ERR_ESPNOW_NOT_FOUND);
    ok(new Command.Deinit());
    refused(new Command.GetPeers(), EspNowError.ESP_ERR_ESPNOW_NOT_INIT);

    ok(new Command.Reset());
    Event.Boot boot = host.awaitEventMatching(Event.Boot.class, b -> true);
    assertEquals(RADIO, boot.info().staMac());
    refused(new Command.PeerCount(), EspNowError.ESP_ERR_ESPNOW_NOT_INIT);

    assertEquals(EnumSet.allOf(CommandType.class), answered, "every command of protocol.md §3 was answered");
  }

  @Test
  void twentyFirstPeerAndSeventhEncryptedPeerAreFull() throws Exception {
    ok(new Command.Init());
    for (int i = 0; i < 6; i++) {
      byte[] k = new byte[16];
      k[0] = (byte) i;
      ok(new Command.AddPeer(new PeerRecord(Mac.ofLong(0x240a_c400_1000L + i), PeerOptions.encrypted(Key.lmk(k)))));
    }
    refused(new Command.AddPeer(new PeerRecord(Mac.ofLong(0x240a_c400_2000L),
        PeerOptions.encrypted(Key.lmk(new byte[16])))), EspNowError.ESP_ERR_ESPNOW_FULL);
    for (int i = 6; i < 20; i++) {
      ok(new Command.AddPeer(PeerRecord.of(Mac.ofLong(0x240a_c400_1000L + i))));
    }
    Reply full = refused(new Command.AddPeer(PeerRecord.of(Mac.ofLong(0x240a_c400_3000L))),
        EspNowError.ESP_ERR_ESPNOW_FULL);
    assertTrue(full.detail().contains("MAX_TOTAL_PEER_NUM"), full.detail());
    assertEquals(new ReplyBody.PeerCounts(20, 6), ok(new Command.PeerCount()).bodyAs(ReplyBody.PeerCounts.class));
  }

  @Test
  void answersBusyBeyondQueueDepth() throws Exception {
    host.awaitEvent(Event.Boot.class);
    radio.pauseCommands();
    List<Integer> seqs = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      seqs.add(host.send(new Command.Stats()));
    }
    // commands 5 and 6 exceed queue_depth 4: refused at once, without executing
    assertEquals(EspNowError.BUSY, host.awaitReply(seqs.get(4)).status());
    assertEquals(EspNowError.BUSY, host.awaitReply(seqs.get(5)).status());
    radio.resumeCommands();
    for (int i = 0; i < 4; i++) {
      assertEquals(EspNowError.OK, host.awaitReply(seqs.get(i)).status());
    }
    assertEquals(2, radio.busyRefused());
    Event.Overflow o = host.awaitEventMatching(Event.Overflow.class, e -> e.busyRefused() == 2);
    assertEquals(0, o.rxDropped());
  }

  @Test
  void malformedCommandsGetProtocolErrors() throws Exception {
    host.awaitEvent(Event.Boot.class);
    host.sendRaw(Frame.of(0x3F, 100, new byte[0]).toWire());
    assertEquals(EspNowError.UNKNOWN_COMMAND, host.awaitReply(100).status());
    host.sendRaw(Frame.of(CommandType.DEL_PEER.code(), 101, new byte[3]).toWire());
    assertEquals(EspNowError.BAD_LENGTH, host.awaitReply(101).status());
    host.sendRaw(new Frame(2, CommandType.PING.code(), 102, new byte[0]).toWire());
    assertEquals(EspNowError.VERSION_MISMATCH, host.awaitReply(102).status());
    // send with 251 bytes of data
    byte[] p = new byte[1 + 6 + 251];
    LEAF.writeTo(p, 1);
    host.sendRaw(Frame.of(CommandType.SEND.code(), 103, p).toWire());
    assertEquals(EspNowError.ESP_ERR_ESPNOW_ARG, host.awaitReply(103).status());
    // garbage is counted as corrupt and reported in OVERFLOW
    host.sendRaw(new byte[] {5, 1, 2, 3, 4, 0});
    Event.Overflow o = host.awaitEventMatching(Event.Overflow.class, e -> e.serialCorrupt() == 1);
    assertEquals(1, radio.serialCorrupt());
    assertEquals(0, o.serialOversize());
    assertEquals(EspNowError.OK, host.call(new Command.Stats()).status(), "still answering after garbage");
  }

  @Test
  void aHostThatDoesNotReadMakesTheRadioDropAndCount() throws Exception {
    ok(new Command.Init());
    host.close(); // from now on nobody reads the host end
    leaf.addPeer(RADIO);
    // the 1 MiB pipe holds about 3,770 RECV frames; after that the 526-byte rxbuf fills and drops
    for (int i = 0; i < 6000; i++) {
      assertTrue(leaf.send(RADIO, new byte[250], true), "dropped frames are still acked");
    }
    ReplyBody.StatsResult s = radio.station.stats();
    assertTrue(s.rxDropped() > 0, "drops counted: " + s);
    assertEquals(6000, s.rxPackets() + s.rxDropped());
  }

  @Test
  void anUnpluggedRadioLeavesTheAirAndBootsAfreshWhenPluggedBack() throws Exception {
    ok(new Command.Init());
    ok(new Command.AddPeer(PeerRecord.of(LEAF)));
    leaf.addPeer(RADIO);
    assertTrue(leaf.send(RADIO, PING, true));
    radio.unplug();
    assertFalse(leaf.send(RADIO, PING, true), "a powerless radio does not ack");
    assertThrows(java.io.IOException.class, () -> radio.hostTransport().write(new byte[] {0}));
    assertThrows(java.io.IOException.class, radio.hostTransport()::open);
    host.close();

    radio.plugIn();
    radio.hostTransport().open();
    try (RadioClient again = new RadioClient(radio.hostTransport())) {
      again.sendRaw(new byte[] {0});
      assertEquals(EspNowError.OK, again.call(Command.Hello.v1()).status());
      assertEquals(EspNowError.ESP_ERR_ESPNOW_NOT_INIT, again.call(new Command.PeerCount()).status(),
          "the reboot forgot INIT and the peers");
      assertEquals(EspNowError.OK, again.call(new Command.Init()).status());
      assertEquals(new ReplyBody.PeerCounts(0, 0), again.call(new Command.PeerCount()).bodyAs(ReplyBody.PeerCounts.class));
      assertTrue(leaf.send(RADIO, PING, true), "back on the air");
      assertEquals(PING, again.awaitEvent(Event.Recv.class).data());
    }
  }

  @Test
  void aPowerCycleSendsBootWithEventSeqZero() throws Exception {
    assertEquals(0, host.awaitNumbered(Event.Boot.class).seq());
    ok(new Command.Init());
    leaf.addPeer(RADIO);
    leaf.send(RADIO, PING, true);
    leaf.send(RADIO, PING, true);
    RadioClient.Numbered r1 = host.awaitNumbered(Event.Recv.class);
    RadioClient.Numbered r2 = host.awaitNumbered(Event.Recv.class);
    assertTrue(r1.seq() > 0);
    assertEquals(r1.seq() + 1, r2.seq(), "events are numbered consecutively");
    radio.powerCycle();
    assertEquals(0, host.awaitNumbered(Event.Boot.class).seq(), "the counter restarts at boot");
  }

  @Test
  void radiosOnOneAirTalkToEachOther() throws Exception {
    Mac otherMac = Mac.parse("24:0a:c4:00:00:10");
    try (SimulatedRadio other = SimulatedRadio.start(air, otherMac, 10, 0, 1, SimulatedRadio.Settings.DEFAULT);
         RadioClient otherHost = new RadioClient(other.hostTransport())) {
      ok(new Command.Init());
      assertEquals(EspNowError.OK, otherHost.call(new Command.Init()).status());
      ok(new Command.AddPeer(PeerRecord.of(otherMac)));
      ok(Command.Send.to(otherMac, PING, true));
      Event.Recv r = otherHost.awaitEvent(Event.Recv.class);
      assertEquals(RADIO, r.src());
      assertEquals(air.rssiAt(10), r.rssi());
    }
  }
}
