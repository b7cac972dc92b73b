package io.nowmesh.actors.reliability;

import static io.nowmesh.actors.reliability.ReliabilityFixture.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import io.nowmesh.actors.device.DeviceActor;
import io.nowmesh.actors.device.DeviceActor.*;
import io.nowmesh.actors.device.DeviceSettings;
import io.nowmesh.actors.device.EspNowRadio;
import io.nowmesh.actors.device.Outcome;
import io.nowmesh.actors.espnow.EspNowError;
import io.nowmesh.actors.espnow.EspNowException;
import io.nowmesh.actors.espnow.Interface;
import io.nowmesh.actors.espnow.Key;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.actors.espnow.PeerOptions;
import io.nowmesh.actors.link.ConfigParam;
import io.nowmesh.actors.link.PeerRecord;
import io.nowmesh.actors.sim.SimInspector;
import io.nowmesh.actors.sim.SimulatedAir;
import io.nowmesh.actors.sim.SimulatedRadio;
import io.nowmesh.actors.sim.VirtualNode;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Every rule the public API enforces, one test each, at the DeviceActor protocol and at the
 * EspNowRadio facade (and at the domain types, where a bad value cannot even be built): the error is
 * the typed ESP_ERR_ESPNOW_* code, the message names the error and the rule, and nothing that was
 * already accepted is lost (the host mirror, the radio's own table and PMK, and a working send).
 */
class ApiRefusalTest {
  static final ActorTestKit testKit = ActorTestKit.create(ReliabilityFixture.config("akka.loglevel = WARNING"));
  static int ids;

  @AfterAll
  static void cleanup() {
    testKit.shutdownTestKit();
  }

  SimulatedAir air;
  SimulatedRadio radio;
  VirtualNode keep;
  ActorRef<DeviceActor.Command> device;
  EspNowRadio facade;
  Key pmk = key(Key.Kind.PMK, 1);
  /** What the application has successfully set up; every refusal must leave exactly this. */
  final Map<Mac, PeerOptions> accepted = new LinkedHashMap<>();

  static Key key(Key.Kind kind, int b) {
    byte[] k = new byte[16];
    Arrays.fill(k, (byte) b);
    return Key.of(kind, k);
  }

  static Mac mac(int i) {
    return Mac.ofLong(0x02_00_00_00_40_00L + i);
  }

  @BeforeEach
  void start() {
    int id = ++ids;
    air = new SimulatedAir();
    radio = air.addRadio(Mac.ofLong(0x24_0A_C4_00_40_00L + id), 0, 0, 1);
    keep = air.addNode(mac(0), 2, 0, 1);
    device = spawn(radio, DeviceSettings.from(testKit.system().settings().config()), "refusals-" + id);
    facade = new EspNowRadio(device, testKit.system(), Duration.ofSeconds(20), false);
    ReliabilityFixture.ok(testKit, device, (ActorRef<Outcome<Done>> r) -> new SetPmk(pmk, r));
    add(keep.mac(), PeerOptions.DEFAULT);
    add(mac(1), PeerOptions.encrypted(key(Key.Kind.LMK, 2)));
  }

  static ActorRef<DeviceActor.Command> spawn(SimulatedRadio r, DeviceSettings s, String name) {
    ActorRef<DeviceActor.Command> d = testKit.spawn(DeviceActor.create(r.hostTransport(), s), name);
    ReliabilityFixture.awaitConnected(testKit, d);
    return d;
  }

  @AfterEach
  void stop() {
    testKit.stop(device, WAIT);
    keep.close();
    radio.close();
  }

  void add(Mac m, PeerOptions o) {
    ReliabilityFixture.ok(testKit, device, (ActorRef<Outcome<Done>> r) -> new AddPeer(m, o, r));
    accepted.put(m, o);
  }

  /** The refusal changed nothing: mirror, radio table, PMK, and a send still works. */
  void assertNothingLost() {
    Set<PeerInfo> expected = new HashSet<>();
    accepted.forEach((m, o) -> expected.add(new PeerInfo(m, o)));
    assertEquals(expected, new HashSet<>(ReliabilityFixture.ok(testKit, device, GetPeers::new)), "host mirror");
    Set<PeerRecord> onRadio = new HashSet<>();
    accepted.forEach((m, o) -> onRadio.add(new PeerRecord(m, o)));
    assertEquals(onRadio, new HashSet<>(SimInspector.peers(radio)), "the radio's own table");
    assertTrue(SimInspector.hasPmk(radio, pmk), "the radio's PMK");
    SendResult r = ReliabilityFixture.ok(testKit, device,
        (ActorRef<Outcome<SendResult>> ref) -> new Send(keep.mac(), "still works".getBytes(), true, ref));
    assertTrue(r.allAcked(), r::toString);
  }

  <T> void refusedByActor(EspNowError error, String rule, Function<ActorRef<Outcome<T>>, DeviceActor.Command> req) {
    ReliabilityFixture.refused(testKit, device, error, rule, req);
    assertNothingLost();
  }

  void refusedByFacade(EspNowError error, String rule, CompletionStage<?> call) {
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> call.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS));
    EspNowException x = assertInstanceOf(EspNowException.class, e.getCause(), e::toString);
    assertRule(error, rule, x);
    assertNothingLost();
  }

  /** A value the API cannot even represent: refused where it is built. */
  static void refusedByType(EspNowError error, String rule, Executable build) {
    assertRule(error, rule, assertThrows(EspNowException.class, build));
  }

  static void assertRule(EspNowError error, String rule, EspNowException x) {
    assertEquals(error, x.error(), x.getMessage());
    assertTrue(x.getMessage().startsWith(error.name()), "names the error: " + x.getMessage());
    assertTrue(x.getMessage().contains(rule), "names the rule '" + rule + "': " + x.getMessage());
  }

  @Test
  void refusesMalformedMacAddresses() {
    refusedByType(EspNowError.ESP_ERR_ESPNOW_ARG, "aa:bb:cc:dd:ee:ff", () -> Mac.parse("24:0a:c4:00:00"));
    refusedByType(EspNowError.ESP_ERR_ESPNOW_ARG, "aa:bb:cc:dd:ee:ff", () -> Mac.parse("24:0a:c4:00:00:zz"));
    refusedByType(EspNowError.ESP_ERR_ESPNOW_ARG, "exactly 6 bytes", () -> Mac.of(new byte[5]));
    refusedByType(EspNowError.ESP_ERR_ESPNOW_ARG, "exactly 6 bytes", () -> Mac.of(new byte[7]));
    refusedByType(EspNowError.ESP_ERR_ESPNOW_ARG, "48 bits", () -> Mac.ofLong(1L << 48));
    refusedByActor(EspNowError.ESP_ERR_ESPNOW_ARG, "not a valid peer address",
        (ActorRef<Outcome<Done>> r) -> new AddPeer(Mac.ZERO, PeerOptions.DEFAULT, r));
    refusedByActor(EspNowError.ESP_ERR_ESPNOW_ARG, "a peer MAC address is required",
        (ActorRef<Outcome<Done>> r) -> new AddPeer(null, PeerOptions.DEFAULT, r));
    refusedByActor(EspNowError.ESP_ERR_ESPNOW_ARG, "not a valid peer address",
        (ActorRef<Outcome<SendResult>> r) -> new Send(Mac.ZERO, new byte[1], true, r));
    refusedByFacade(EspNowError.ESP_ERR_ESPNOW_ARG, "not a valid peer address", facade.addPeer(Mac.ZERO));
    refusedByFacade(EspNowError.ESP_ERR_ESPNOW_ARG, "not a valid peer address", facade.send(Mac.ZERO, new byte[1]));
  }

  @Test
  void refusesA251BytePayloadAndAcceptsTwoHundredFifty() {
    refusedByActor(EspNowError.ESP_ERR_ESPNOW_ARG, "MAX_DATA_LEN",
        (ActorRef<Outcome<SendResult>> r) -> new Send(keep.mac(), new byte[251], true, r));
    refusedByActor(EspNowError.ESP_ERR_ESPNOW_ARG, "MAX_DATA_LEN",
        (ActorRef<Outcome<SendResult>> r) -> new Send(keep.mac(), new byte[251], false, r));
    refusedByActor(EspNowError.ESP_ERR_ESPNOW_ARG, "MAX_DATA_LEN",
        (ActorRef<Outcome<SendResult>> r) -> new SendToAll(new byte[251], true, r));
    refusedByFacade(EspNowError.ESP_ERR_ESPNOW_ARG, "MAX_DATA_LEN", facade.send(keep.mac(), new byte[251]));
    refusedByFacade(EspNowError.ESP_ERR_ESPNOW_ARG, "MAX_DATA_LEN", facade.send(null, new byte[251]));
    SendResult ok = ReliabilityFixture.ok(testKit, device,
        (ActorRef<Outcome<SendResult>> r) -> new Send(keep.mac(), new byte[250], true, r));
    assertTrue(ok.allAcked(), "250 bytes (MAX_DATA_LEN) is allowed");
  }

  @Test
  void refusesKeysOfTheWrongLengthOrRole() {
    for (int len : new int[] {0, 15, 17, 32}) {
      refusedByType(EspNowError.ESP_ERR_ESPNOW_ARG, "KEY_LEN", () -> Key.pmk(new byte[len]));
      refusedByType(EspNowError.ESP_ERR_ESPNOW_ARG, "KEY_LEN", () -> Key.lmk(new byte[len]));
    }
    refusedByType(EspNowError.ESP_ERR_ESPNOW_ARG, "32 hex digits", () -> Key.fromHex(Key.Kind.PMK, "00112233"));
    refusedByType(EspNowError.ESP_ERR_ESPNOW_ARG, "must be an LMK",
        () -> PeerOptions.encrypted(key(Key.Kind.PMK, 3)));
    refusedByType(EspNowError.ESP_ERR_ESPNOW_ARG, "needs a 16-byte lmk",
        () -> new PeerOptions(Optional.empty(), 0, Interface.STA, true));
    refusedByActor(EspNowError.ESP_ERR_ESPNOW_ARG, "PMK",
        (ActorRef<Outcome<Done>> r) -> new SetPmk(key(Key.Kind.LMK, 4), r));
    refusedByFacade(EspNowError.ESP_ERR_ESPNOW_ARG, "PMK", facade.setPmk(key(Key.Kind.LMK, 4)));
  }

  @Test
  void refusesChannelsOutOfRange() {
    for (int ch : new int[] {-1, 15}) {
      refusedByType(EspNowError.ESP_ERR_ESPNOW_ARG, "channel must be 0..14",
          () -> new PeerOptions(Optional.empty(), ch, Interface.STA, false));
      refusedByType(EspNowError.ESP_ERR_ESPNOW_ARG, "channel must be 0..14", () -> PeerOptions.DEFAULT.withChannel(ch));
      refusedByActor(EspNowError.ESP_ERR_ESPNOW_ARG, "channel must be 1..14",
          (ActorRef<Outcome<Done>> r) -> new SetConfig(Map.of(ConfigParam.CHANNEL, ch), r));
      refusedByFacade(EspNowError.ESP_ERR_ESPNOW_ARG, "channel must be 1..14",
          facade.config(Map.of(ConfigParam.CHANNEL, ch)));
    }
    assertEquals(1, (int) ReliabilityFixture.ok(testKit, device,
        (ActorRef<Outcome<Integer>> r) -> new GetConfig(ConfigParam.CHANNEL, r)), "still on channel 1");
  }

  @Test
  void refusesTheTwentyFirstPeer() {
    for (int i = 2; accepted.size() < 20; i++) {
      add(mac(i), PeerOptions.DEFAULT);
    }
    refusedByActor(EspNowError.ESP_ERR_ESPNOW_FULL, "MAX_TOTAL_PEER_NUM",
        (ActorRef<Outcome<Done>> r) -> new AddPeer(mac(99), PeerOptions.DEFAULT, r));
    refusedByFacade(EspNowError.ESP_ERR_ESPNOW_FULL, "MAX_TOTAL_PEER_NUM", facade.addPeer(Mac.BROADCAST));
    // With every slot pinned, a send to a new destination cannot borrow one either.
    refusedByActor(EspNowError.ESP_ERR_ESPNOW_FULL, "MAX_TOTAL_PEER_NUM",
        (ActorRef<Outcome<SendResult>> r) -> new Send(mac(98), new byte[1], true, r));
  }

  @Test
  void refusesTheSeventhEncryptedPeer() {
    for (int i = 2; accepted.values().stream().filter(PeerOptions::encrypt).count() < 6; i++) {
      add(mac(i), PeerOptions.encrypted(key(Key.Kind.LMK, i)));
    }
    refusedByActor(EspNowError.ESP_ERR_ESPNOW_FULL, "MAX_ENCRYPT_PEER_NUM",
        (ActorRef<Outcome<Done>> r) -> new AddPeer(mac(50), PeerOptions.encrypted(key(Key.Kind.LMK, 50)), r));
    refusedByActor(EspNowError.ESP_ERR_ESPNOW_FULL, "MAX_ENCRYPT_PEER_NUM",
        (ActorRef<Outcome<Done>> r) -> new ModPeer(keep.mac(), PeerOptions.encrypted(key(Key.Kind.LMK, 51)), r));
    refusedByFacade(EspNowError.ESP_ERR_ESPNOW_FULL, "MAX_ENCRYPT_PEER_NUM",
        facade.addPeer(mac(52), PeerOptions.encrypted(key(Key.Kind.LMK, 52))));
  }

  @Test
  void refusesEncryptionToBroadcastAndMulticast() {
    Mac multicast = Mac.parse("01:00:5e:00:00:01");
    PeerOptions enc = PeerOptions.encrypted(key(Key.Kind.LMK, 9));
    PeerOptions lmkOnly = new PeerOptions(Optional.of(key(Key.Kind.LMK, 9)), 0, Interface.STA, false);
    for (Mac group : new Mac[] {Mac.BROADCAST, multicast}) {
      refusedByActor(EspNowError.ESP_ERR_ESPNOW_ARG, "cannot be encrypted",
          (ActorRef<Outcome<Done>> r) -> new AddPeer(group, enc, r));
      refusedByActor(EspNowError.ESP_ERR_ESPNOW_ARG, "cannot be encrypted",
          (ActorRef<Outcome<Done>> r) -> new AddPeer(group, lmkOnly, r));
      refusedByFacade(EspNowError.ESP_ERR_ESPNOW_ARG, "cannot be encrypted", facade.addPeer(group, enc));
    }
    add(Mac.BROADCAST, PeerOptions.DEFAULT);
    refusedByActor(EspNowError.ESP_ERR_ESPNOW_ARG, "cannot be encrypted",
        (ActorRef<Outcome<Done>> r) -> new ModPeer(Mac.BROADCAST, enc, r));
  }

  @Test
  void refusesSendsAndPeerOpsOnUnregisteredPeers() {
    Mac stranger = mac(77);
    refusedByActor(EspNowError.ESP_ERR_ESPNOW_NOT_FOUND, "must be registered with add_peer",
        (ActorRef<Outcome<SendResult>> r) -> new Send(Mac.BROADCAST, new byte[1], true, r));
    refusedByFacade(EspNowError.ESP_ERR_ESPNOW_NOT_FOUND, "must be registered with add_peer",
        facade.send(Mac.parse("01:00:5e:00:00:02"), new byte[1]));
    refusedByActor(EspNowError.ESP_ERR_ESPNOW_NOT_FOUND, "add_peer first",
        (ActorRef<Outcome<Done>> r) -> new DelPeer(stranger, r));
    refusedByActor(EspNowError.ESP_ERR_ESPNOW_NOT_FOUND, "add_peer first",
        (ActorRef<Outcome<Done>> r) -> new ModPeer(stranger, PeerOptions.DEFAULT, r));
    refusedByActor(EspNowError.ESP_ERR_ESPNOW_NOT_FOUND, "add_peer first",
        (ActorRef<Outcome<PeerInfo>> r) -> new GetPeer(stranger, r));
    refusedByFacade(EspNowError.ESP_ERR_ESPNOW_NOT_FOUND, "add_peer first", facade.getPeer(stranger));
    refusedByActor(EspNowError.ESP_ERR_ESPNOW_EXIST, "already registered",
        (ActorRef<Outcome<Done>> r) -> new AddPeer(keep.mac(), PeerOptions.DEFAULT, r));

    // With virtual peers off the plain API holds: a unicast send needs add_peer first.
    testKit.stop(device, WAIT);
    device = spawn(radio, DeviceSettings.from(testKit.system().settings().config()).withVirtualPeers(false),
        "refusals-plain-" + ids);
    ReliabilityFixture.ok(testKit, device, (ActorRef<Outcome<Done>> r) -> new SetPmk(pmk, r));
    accepted.forEach((m, o) -> ReliabilityFixture.ok(testKit, device, (ActorRef<Outcome<Done>> r) ->
        new AddPeer(m, o, r)));
    facade = new EspNowRadio(device, testKit.system(), Duration.ofSeconds(20), false);
    refusedByActor(EspNowError.ESP_ERR_ESPNOW_NOT_FOUND, "add_peer first",
        (ActorRef<Outcome<SendResult>> r) -> new Send(stranger, new byte[1], true, r));
    refusedByFacade(EspNowError.ESP_ERR_ESPNOW_NOT_FOUND, "add_peer first", facade.send(stranger, new byte[1]));
  }

  @Test
  void refusesSendToAllWithNoUnicastPeer() {
    for (Mac m : accepted.keySet().toArray(new Mac[0])) {
      ReliabilityFixture.ok(testKit, device, (ActorRef<Outcome<Done>> r) -> new DelPeer(m, r));
    }
    accepted.clear();
    add(Mac.BROADCAST, PeerOptions.DEFAULT);
    Outcome<SendResult> out = ReliabilityFixture.ask(testKit, device,
        (ActorRef<Outcome<SendResult>> r) -> new SendToAll(new byte[1], true, r));
    Outcome.Refused<SendResult> refused = assertInstanceOf(Outcome.Refused.class, out, out::toString);
    assertEquals(EspNowError.ESP_ERR_ESPNOW_NOT_FOUND, refused.error());
    assertTrue(refused.detail().startsWith("ESP_ERR_ESPNOW_NOT_FOUND") && refused.detail().contains("unicast"),
        refused.detail());
    assertEquals(Set.of(new PeerRecord(Mac.BROADCAST, PeerOptions.DEFAULT)), new HashSet<>(SimInspector.peers(radio)));
  }
}
