package io.nowmesh.actors.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowmesh.actors.espnow.EspNowError;
import io.nowmesh.actors.espnow.EspNowException;
import io.nowmesh.actors.espnow.Key;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.actors.espnow.PeerOptions;
import io.nowmesh.actors.link.Bytes;
import io.nowmesh.actors.link.ReplyBody;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The air's semantics, through virtual nodes. */
class SimulatedAirTest {
  private static final Mac A = Mac.parse("02:00:00:00:00:0a");
  private static final Mac B = Mac.parse("02:00:00:00:00:0b");
  private static final Mac C = Mac.parse("02:00:00:00:00:0c");
  private static final Bytes HELLO = Bytes.ofUtf8("hello");
  private static final Duration WAIT = Duration.ofSeconds(2);

  private static Key lmk(int fill) {
    byte[] b = new byte[16];
    java.util.Arrays.fill(b, (byte) fill);
    return Key.lmk(b);
  }

  @Test
  void unicastIsAckedAndDeliveredWhenReachable() throws Exception {
    SimulatedAir air = new SimulatedAir();
    VirtualNode a = air.addNode(A, 0, 0, 1);
    VirtualNode b = air.addNode(B, 5, 0, 1);
    a.addPeer(B);
    assertTrue(a.send(B, HELLO, true));
    Received r = b.recv(WAIT).orElseThrow();
    assertEquals(A, r.src());
    assertEquals(B, r.dst());
    assertEquals(HELLO, r.data());
    assertEquals(air.rssiAt(5), r.rssi());
    assertEquals(new ReplyBody.StatsResult(1, 1, 0, 0, 0), a.stats());
    assertEquals(new ReplyBody.StatsResult(0, 0, 0, 1, 0), b.stats());
  }

  @Test
  void noAckOnAnotherChannelOutOfRangeOrInactive() throws Exception {
    SimulatedAir air = new SimulatedAir();
    VirtualNode a = air.addNode(A, 0, 0, 1);
    VirtualNode b = air.addNode(B, 5, 0, 6);
    a.addPeer(B);
    assertFalse(a.send(B, HELLO, true), "different channel");
    b.setChannel(1);
    b.setActive(false);
    assertFalse(a.send(B, HELLO, true), "Wi-Fi inactive");
    b.setActive(true);
    b.moveTo(1000, 0);
    assertFalse(a.send(B, HELLO, true), "out of range");
    b.moveTo(5, 0);
    assertTrue(a.send(B, HELLO, true), "reachable again");
    assertTrue(a.send(B, HELLO, false), "async send reports success at once");
    ReplyBody.StatsResult s = a.stats();
    assertEquals(5, s.txPkts());
    assertEquals(2, s.txResponses());
    assertEquals(3, s.txFailures());
    assertEquals(2, b.stats().rxPackets());
  }

  @Test
  void unicastToAStationThatLeftTheAirIsNotAcked() {
    SimulatedAir air = new SimulatedAir();
    VirtualNode a = air.addNode(A, 0, 0, 1);
    VirtualNode b = air.addNode(B, 1, 0, 1);
    a.addPeer(B);
    b.close();
    assertFalse(a.send(B, HELLO, true));
  }

  @Test
  void rssiFallsWithDistance() {
    SimulatedAir air = new SimulatedAir();
    int previous = 1;
    for (double d : new double[] {0.5, 1, 2, 5, 10, 20, 50, 100}) {
      int r = air.rssiAt(d);
      assertTrue(r < previous, "rssi at " + d + " m = " + r + " should be below " + previous);
      assertTrue(r >= -127 && r <= 0);
      previous = r;
    }
    assertEquals(-40, air.rssiAt(1));
    air.addNode(A, 0, 0, 1);
    air.addNode(B, 3, 4, 1);
    assertEquals(Optional.of(air.rssiAt(5)), air.rssiBetween(A, B));
  }

  @Test
  void aFullReceiveBufferDropsAndCountsButStillAcks() throws Exception {
    SimulatedAir air = new SimulatedAir();
    VirtualNode a = air.addNode(A, 0, 0, 1);
    VirtualNode b = air.addNode(B, 1, 0, 1);
    a.addPeer(B);
    Bytes full = Bytes.of(new byte[250]);
    for (int i = 0; i < 5; i++) {
      assertTrue(a.send(B, full, true), "dropped packets are still acknowledged");
    }
    // the default rxbuf (526) holds two 250-byte messages
    assertEquals(new ReplyBody.StatsResult(0, 0, 0, 2, 3), b.stats());
    assertTrue(b.recv(WAIT).isPresent());
    assertTrue(b.recv(WAIT).isPresent());
    assertTrue(b.recv(Duration.ofMillis(20)).isEmpty());
    assertTrue(a.send(B, full, true));
    assertEquals(3, b.stats().rxPackets());
  }

  @Test
  void broadcastReachesEveryoneInRangeOnTheChannel() throws Exception {
    SimulatedAir air = new SimulatedAir();
    VirtualNode a = air.addNode(A, 0, 0, 1);
    VirtualNode b = air.addNode(B, 10, 0, 1);
    VirtualNode c = air.addNode(C, 10, 0, 11);
    a.addPeer(Mac.BROADCAST);
    assertTrue(a.send(Mac.BROADCAST, HELLO, true));
    assertEquals(Mac.BROADCAST, b.recv(WAIT).orElseThrow().dst());
    assertTrue(c.recv(Duration.ofMillis(20)).isEmpty(), "other channel");
    assertTrue(a.recv(Duration.ofMillis(20)).isEmpty(), "not to itself");
  }

  @Test
  void multicastReachesMembersAndStationsWithTheGroupAsPeer() throws Exception {
    SimulatedAir air = new SimulatedAir();
    Mac group = Mac.parse("01:00:5e:00:00:2a");
    VirtualNode a = air.addNode(A, 0, 0, 1);
    VirtualNode b = air.addNode(B, 1, 0, 1);
    VirtualNode c = air.addNode(C, 1, 1, 1);
    VirtualNode d = air.addNode(Mac.parse("02:00:00:00:00:0d"), 1, 2, 1);
    a.addPeer(group);
    b.joinGroup(group);
    c.addPeer(group);
    assertTrue(a.send(group, HELLO, true));
    assertEquals(group, b.recv(WAIT).orElseThrow().dst());
    assertEquals(group, c.recv(WAIT).orElseThrow().dst());
    assertTrue(d.recv(Duration.ofMillis(20)).isEmpty(), "not a member");
    assertThrows(EspNowException.class, () -> b.joinGroup(B));
  }

  @Test
  void encryptedTrafficIsDeliveredOnlyWhenKeysMatch() throws Exception {
    SimulatedAir air = new SimulatedAir();
    VirtualNode a = air.addNode(A, 0, 0, 1);
    VirtualNode b = air.addNode(B, 1, 0, 1);
    a.addPeer(B, PeerOptions.encrypted(lmk(1)));
    b.addPeer(A, PeerOptions.encrypted(lmk(1)));
    assertTrue(a.send(B, HELLO, true));
    assertEquals(HELLO, b.recv(WAIT).orElseThrow().data());

    b.modPeer(A, PeerOptions.encrypted(lmk(2)));
    assertTrue(a.send(B, HELLO, true), "MAC-acked even though it cannot be decrypted");
    assertTrue(b.recv(Duration.ofMillis(20)).isEmpty(), "LMK mismatch: not delivered");
    assertEquals(1, b.undecryptable());

    b.modPeer(A, PeerOptions.encrypted(lmk(1)));
    b.setPmk(Key.pmk(new byte[16]));
    assertTrue(a.send(B, HELLO, true));
    assertTrue(b.recv(Duration.ofMillis(20)).isEmpty(), "PMK mismatch: not delivered");

    a.setPmk(Key.pmk(new byte[16]));
    assertTrue(a.send(B, HELLO, true));
    assertTrue(b.recv(WAIT).isPresent(), "same PMK and LMK again");

    b.delPeer(A);
    assertTrue(a.send(B, HELLO, true));
    assertTrue(b.recv(Duration.ofMillis(20)).isEmpty(), "receiver does not know the sender's key");
    assertEquals(3, b.undecryptable());
    assertEquals(2, b.stats().rxPackets());
  }

  @Test
  void plaintextFromAPeerRegisteredAsEncryptedIsNotDelivered() throws Exception {
    SimulatedAir air = new SimulatedAir();
    VirtualNode a = air.addNode(A, 0, 0, 1);
    VirtualNode b = air.addNode(B, 1, 0, 1);
    a.addPeer(B);
    b.addPeer(A, PeerOptions.encrypted(lmk(1)));
    assertTrue(a.send(B, HELLO, true));
    assertTrue(b.recv(Duration.ofMillis(20)).isEmpty());
  }

  @Test
  void peerLimitsAreTwentyAndSixEncrypted() {
    SimulatedAir air = new SimulatedAir();
    VirtualNode a = air.addNode(A, 0, 0, 1);
    for (int i = 0; i < 6; i++) {
      a.addPeer(Mac.ofLong(0x0200_0000_1000L + i), PeerOptions.encrypted(lmk(i)));
    }
    EspNowException seventh = assertThrows(EspNowException.class,
        () -> a.addPeer(Mac.ofLong(0x0200_0000_1006L), PeerOptions.encrypted(lmk(7))));
    assertEquals(EspNowError.ESP_ERR_ESPNOW_FULL, seventh.error());
    for (int i = 6; i < 20; i++) {
      a.addPeer(Mac.ofLong(0x0200_0000_1000L + i));
    }
    EspNowException twentyFirst = assertThrows(EspNowException.class, () -> a.addPeer(Mac.ofLong(0x0200_0000_2000L)));
    assertEquals(EspNowError.ESP_ERR_ESPNOW_FULL, twentyFirst.error());
    EspNowException exists = assertThrows(EspNowException.class, () -> a.addPeer(Mac.ofLong(0x0200_0000_1000L)));
    assertEquals(EspNowError.ESP_ERR_ESPNOW_EXIST, exists.error());
    // making a 7th peer encrypted through mod_peer is FULL too
    EspNowException mod = assertThrows(EspNowException.class,
        () -> a.modPeer(Mac.ofLong(0x0200_0000_1010L), PeerOptions.encrypted(lmk(9))));
    assertEquals(EspNowError.ESP_ERR_ESPNOW_FULL, mod.error());
    assertEquals(20, a.getPeers().size());
  }

  @Test
  void sendRulesNameTheirErrors() {
    SimulatedAir air = new SimulatedAir();
    VirtualNode a = air.addNode(A, 0, 0, 1);
    assertEquals(EspNowError.ESP_ERR_ESPNOW_NOT_FOUND,
        assertThrows(EspNowException.class, () -> a.send(B, HELLO, true)).error());
    assertEquals(EspNowError.ESP_ERR_ESPNOW_NOT_FOUND,
        assertThrows(EspNowException.class, () -> a.send(null, HELLO, true)).error());
    a.addPeer(B, PeerOptions.DEFAULT.withChannel(6));
    assertEquals(EspNowError.ESP_ERR_ESPNOW_CHAN,
        assertThrows(EspNowException.class, () -> a.send(B, HELLO, true)).error());
    a.modPeer(B, PeerOptions.DEFAULT.withInterface(io.nowmesh.actors.espnow.Interface.AP));
    assertEquals(EspNowError.ESP_ERR_ESPNOW_IF,
        assertThrows(EspNowException.class, () -> a.send(B, HELLO, true)).error());
    a.modPeer(B, PeerOptions.DEFAULT);
    a.setActive(false);
    assertEquals(EspNowError.ESP_ERR_ESPNOW_IF,
        assertThrows(EspNowException.class, () -> a.send(B, HELLO, true)).error());
    a.setActive(true);
    assertEquals(EspNowError.ESP_ERR_ESPNOW_ARG,
        assertThrows(EspNowException.class, () -> a.send(B, new byte[251], true)).error());
    assertThrows(IllegalArgumentException.class, () -> air.addNode(A, 0, 0, 1), "duplicate MAC");
  }

  @Test
  void sendToAllSkipsGroupPeersAndReportsEachAck() throws Exception {
    SimulatedAir air = new SimulatedAir();
    VirtualNode a = air.addNode(A, 0, 0, 1);
    VirtualNode b = air.addNode(B, 1, 0, 1);
    a.addPeer(B);
    a.addPeer(C); // nobody there
    a.addPeer(Mac.BROADCAST);
    var acks = a.sendDetailed(null, HELLO);
    assertEquals(java.util.List.of(new ReplyBody.PeerAck(B, true), new ReplyBody.PeerAck(C, false)), acks);
    assertFalse(a.send(null, HELLO, true));
    assertTrue(b.recv(WAIT).isPresent());
  }

  @Test
  void lossIsSeededAndProportional() {
    SimulatedAir air = new SimulatedAir(SimulatedAir.Settings.DEFAULT.withLoss(0.3));
    VirtualNode a = air.addNode(A, 0, 0, 1);
    VirtualNode b = air.addNode(B, 1, 0, 1);
    b.onReceive(r -> { });
    a.addPeer(B);
    int acked = 0;
    for (int i = 0; i < 2000; i++) {
      if (a.send(B, HELLO, true)) {
        acked++;
      }
    }
    assertTrue(acked > 1250 && acked < 1550, "≈70% acked, got " + acked);
    assertEquals(acked, b.stats().rxPackets());
    air.setLossProbability(0);
    assertTrue(a.send(B, HELLO, true));
  }

  @Test
  void peersTableRecordsRssiOfSenders() throws Exception {
    SimulatedAir air = new SimulatedAir();
    VirtualNode a = air.addNode(A, 0, 0, 1);
    VirtualNode b = air.addNode(B, 10, 0, 1);
    a.addPeer(B);
    a.send(B, HELLO, true);
    var table = b.peersTable();
    assertEquals(1, table.size());
    assertEquals(A, table.get(0).mac());
    assertEquals(air.rssiAt(10), table.get(0).rssi());
  }
}
