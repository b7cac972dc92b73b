package io.nowmesh.actors.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowmesh.actors.espnow.EspNowError;
import io.nowmesh.actors.espnow.EspNowException;
import io.nowmesh.actors.espnow.Interface;
import io.nowmesh.actors.espnow.Key;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.actors.espnow.PeerOptions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PeerTableTest {

  static Mac mac(int i) {
    return Mac.ofLong(0x02_00_00_00_00_00L | i);
  }

  static Key lmk(int b) {
    byte[] k = new byte[16];
    java.util.Arrays.fill(k, (byte) b);
    return Key.lmk(k);
  }

  static void add(PeerTable t, Mac m, PeerOptions o) {
    t.planAdd(m, o);
    t.commitAdd(m, o, true);
  }

  static EspNowError errorOf(Runnable r) {
    return assertThrows(EspNowException.class, r::run).error();
  }

  @Test
  void refusesTwentyFirstPeerWithFull() {
    PeerTable t = new PeerTable();
    for (int i = 1; i <= 20; i++) {
      add(t, mac(i), PeerOptions.DEFAULT);
    }
    EspNowException e = assertThrows(EspNowException.class, () -> t.planAdd(mac(21), PeerOptions.DEFAULT));
    assertEquals(EspNowError.ESP_ERR_ESPNOW_FULL, e.error());
    assertTrue(e.getMessage().contains("ESP_ERR_ESPNOW_FULL"), e.getMessage());
    assertEquals(20, t.pinnedCount());
  }

  @Test
  void refusesSeventhEncryptedPeer() {
    PeerTable t = new PeerTable();
    for (int i = 1; i <= 6; i++) {
      add(t, mac(i), PeerOptions.encrypted(lmk(i)));
    }
    assertEquals(EspNowError.ESP_ERR_ESPNOW_FULL, errorOf(() -> t.planAdd(mac(7), PeerOptions.encrypted(lmk(7)))));
    // An unencrypted seventh peer is still fine.
    assertInstanceOf(PeerTable.Register.class, t.planAdd(mac(7), PeerOptions.DEFAULT));
    assertEquals(6, t.encryptedCount());
  }

  @Test
  void refusesEncryptingASeventhPeerByModify() {
    PeerTable t = new PeerTable();
    for (int i = 1; i <= 6; i++) {
      add(t, mac(i), PeerOptions.encrypted(lmk(i)));
    }
    add(t, mac(7), PeerOptions.DEFAULT);
    assertEquals(EspNowError.ESP_ERR_ESPNOW_FULL, errorOf(() -> t.planModify(mac(7), PeerOptions.encrypted(lmk(7)))));
    // Re-keying an already encrypted peer does not need a new encrypted slot.
    t.planModify(mac(1), PeerOptions.encrypted(lmk(9)));
  }

  @Test
  void refusesDuplicateWithExist() {
    PeerTable t = new PeerTable();
    add(t, mac(1), PeerOptions.DEFAULT);
    assertEquals(EspNowError.ESP_ERR_ESPNOW_EXIST, errorOf(() -> t.planAdd(mac(1), PeerOptions.DEFAULT)));
  }

  @Test
  void unknownPeerIsNotFoundForGetModDel() {
    PeerTable t = new PeerTable();
    assertEquals(EspNowError.ESP_ERR_ESPNOW_NOT_FOUND, errorOf(() -> t.getPeer(mac(1))));
    assertEquals(EspNowError.ESP_ERR_ESPNOW_NOT_FOUND, errorOf(() -> t.planModify(mac(1), PeerOptions.DEFAULT)));
    assertEquals(EspNowError.ESP_ERR_ESPNOW_NOT_FOUND, errorOf(() -> t.planDelete(mac(1))));
  }

  @Test
  void refusesEncryptionOnBroadcastAndMulticastWithArg() {
    PeerTable t = new PeerTable();
    PeerOptions enc = PeerOptions.encrypted(lmk(1));
    assertEquals(EspNowError.ESP_ERR_ESPNOW_ARG, errorOf(() -> t.planAdd(Mac.BROADCAST, enc)));
    assertEquals(EspNowError.ESP_ERR_ESPNOW_ARG, errorOf(() -> t.planAdd(Mac.parse("01:00:5e:00:00:01"), enc)));
    PeerOptions lmkOnly = new PeerOptions(Optional.of(lmk(1)), 0, Interface.STA, false);
    assertEquals(EspNowError.ESP_ERR_ESPNOW_ARG, errorOf(() -> t.planAdd(Mac.BROADCAST, lmkOnly)));
    add(t, Mac.BROADCAST, PeerOptions.DEFAULT);
    assertEquals(EspNowError.ESP_ERR_ESPNOW_ARG, errorOf(() -> t.planModify(Mac.BROADCAST, enc)));
  }

  @Test
  void refusesZeroOrMissingMac() {
    PeerTable t = new PeerTable();
    assertEquals(EspNowError.ESP_ERR_ESPNOW_ARG, errorOf(() -> t.planAdd(Mac.ZERO, PeerOptions.DEFAULT)));
    assertEquals(EspNowError.ESP_ERR_ESPNOW_ARG, errorOf(() -> t.planAdd(null, PeerOptions.DEFAULT)));
  }

  @Test
  void deleteFreesTheSlot() {
    PeerTable t = new PeerTable();
    for (int i = 1; i <= 20; i++) {
      add(t, mac(i), PeerOptions.DEFAULT);
    }
    t.planDelete(mac(5));
    t.commitDelete(mac(5));
    assertEquals(19, t.pinnedCount());
    assertInstanceOf(PeerTable.Register.class, t.planAdd(mac(21), PeerOptions.DEFAULT));
  }

  @Test
  void modifyKeepsPinningAndUpdatesOptions() {
    PeerTable t = new PeerTable();
    add(t, mac(1), PeerOptions.DEFAULT);
    PeerOptions ch6 = PeerOptions.DEFAULT.withChannel(6);
    t.planModify(mac(1), ch6);
    t.commitModify(mac(1), ch6);
    assertEquals(6, t.getPeer(mac(1)).options().channel());
    assertTrue(t.getPeer(mac(1)).pinned());
  }

  @Test
  void sendToRegisteredPeerIsReady() {
    PeerTable t = new PeerTable();
    add(t, mac(1), PeerOptions.DEFAULT);
    assertInstanceOf(PeerTable.Ready.class, t.planSend(mac(1), true));
  }

  @Test
  void sendToUnregisteredUnicastRegistersItVirtuallyWhenEnabled() {
    PeerTable t = new PeerTable();
    assertEquals(new PeerTable.RegisterVirtual(Optional.empty()), t.planSend(mac(1), true));
    assertEquals(EspNowError.ESP_ERR_ESPNOW_NOT_FOUND, errorOf(() -> t.planSend(mac(1), false)));
  }

  @Test
  void sendToUnregisteredGroupAddressIsNotFoundEvenWithVirtualPeers() {
    PeerTable t = new PeerTable();
    assertEquals(EspNowError.ESP_ERR_ESPNOW_NOT_FOUND, errorOf(() -> t.planSend(Mac.BROADCAST, true)));
    add(t, Mac.BROADCAST, PeerOptions.DEFAULT);
    assertInstanceOf(PeerTable.Ready.class, t.planSend(Mac.BROADCAST, true));
  }

  @Test
  void virtualPeersAreInvisibleToTheApplication() {
    PeerTable t = new PeerTable();
    t.commitAdd(mac(1), PeerOptions.DEFAULT, false);
    assertEquals(0, t.pinnedCount());
    assertEquals(1, t.registeredCount());
    assertEquals(List.of(), t.pinnedPeers());
    assertEquals(EspNowError.ESP_ERR_ESPNOW_NOT_FOUND, errorOf(() -> t.getPeer(mac(1))));
    assertEquals(EspNowError.ESP_ERR_ESPNOW_NOT_FOUND, errorOf(() -> t.planDelete(mac(1))));
    assertEquals(List.of(mac(1)), t.virtualPeers());
  }

  @Test
  void evictsLeastRecentlyUsedUnpinnedPeer() {
    PeerTable t = new PeerTable();
    add(t, mac(100), PeerOptions.DEFAULT); // pinned: never a victim
    for (int i = 1; i <= 19; i++) {
      t.commitAdd(mac(i), PeerOptions.DEFAULT, false);
    }
    // Use mac(1) again: mac(2) is now the least recently used.
    t.sendStarted(mac(1));
    t.sendFinished(mac(1));
    assertEquals(new PeerTable.RegisterVirtual(Optional.of(mac(2))), t.planSend(mac(50), true));
  }

  @Test
  void neverEvictsAPeerWithASendInFlight() {
    PeerTable t = new PeerTable();
    for (int i = 1; i <= 20; i++) {
      t.commitAdd(mac(i), PeerOptions.DEFAULT, false);
    }
    t.sendStarted(mac(1));
    t.sendStarted(mac(2));
    for (int i = 3; i <= 20; i++) {
      t.sendStarted(mac(i));
    }
    assertEquals(new PeerTable.WaitForSlot(), t.planSend(mac(50), true));
    assertEquals(new PeerTable.WaitForSlot(), t.planAdd(mac(50), PeerOptions.DEFAULT));
    t.sendFinished(mac(7));
    assertEquals(new PeerTable.RegisterVirtual(Optional.of(mac(7))), t.planSend(mac(50), true));
  }

  @Test
  void pinnedPeersAreNeverEvictedAndFillTheRadio() {
    PeerTable t = new PeerTable();
    for (int i = 1; i <= 20; i++) {
      add(t, mac(i), PeerOptions.DEFAULT);
    }
    EspNowException e = assertThrows(EspNowException.class, () -> t.planSend(mac(50), true));
    assertEquals(EspNowError.ESP_ERR_ESPNOW_FULL, e.error());
  }

  @Test
  void explicitAddEvictsAVirtualPeerWhenTheRadioIsFull() {
    PeerTable t = new PeerTable();
    for (int i = 1; i <= 20; i++) {
      t.commitAdd(mac(i), PeerOptions.DEFAULT, false);
    }
    assertEquals(new PeerTable.Register(Optional.of(mac(1))), t.planAdd(mac(30), PeerOptions.DEFAULT));
  }

  @Test
  void explicitAddOfAVirtualPeerPinsIt() {
    PeerTable t = new PeerTable();
    t.commitAdd(mac(1), PeerOptions.DEFAULT, false);
    assertEquals(new PeerTable.Pin(false), t.planAdd(mac(1), PeerOptions.DEFAULT));
    assertEquals(new PeerTable.Pin(true), t.planAdd(mac(1), PeerOptions.DEFAULT.withChannel(3)));
    t.commitAdd(mac(1), PeerOptions.DEFAULT, true);
    assertTrue(t.getPeer(mac(1)).pinned());
    assertEquals(EspNowError.ESP_ERR_ESPNOW_EXIST, errorOf(() -> t.planAdd(mac(1), PeerOptions.DEFAULT)));
  }

  @Test
  void hundredDestinationsCycleThroughTwentySlots() {
    PeerTable t = new PeerTable();
    add(t, Mac.BROADCAST, PeerOptions.DEFAULT);
    int evictions = 0;
    for (int round = 0; round < 2; round++) {
      for (int i = 1; i <= 100; i++) {
        PeerTable.SendPlan plan = t.planSend(mac(i), true);
        if (plan instanceof PeerTable.RegisterVirtual rv) {
          if (rv.evict().isPresent()) {
            t.commitDelete(rv.evict().get());
            evictions++;
          }
          t.commitAdd(mac(i), PeerOptions.DEFAULT, false);
        }
        t.sendStarted(mac(i));
        t.sendFinished(mac(i));
        assertTrue(t.registeredCount() <= 20);
      }
    }
    assertEquals(200 - 19, evictions);
    assertTrue(t.isRegistered(Mac.BROADCAST));
  }

  @Test
  void rebootReplaysPmkThenPinnedPeersAndForgetsVirtualOnes() {
    PeerTable t = new PeerTable();
    Key pmk = Key.pmk(new byte[16]);
    t.setPmk(pmk);
    add(t, mac(2), PeerOptions.encrypted(lmk(2)));
    add(t, mac(1), PeerOptions.DEFAULT);
    t.commitAdd(mac(9), PeerOptions.DEFAULT, false);
    PeerTable.Replay r = t.radioRebooted();
    assertEquals(Optional.of(pmk), r.pmk());
    assertEquals(List.of(mac(1), mac(2)), r.peers().stream().map(PeerTable.Entry::mac).toList());
    assertFalse(t.isRegistered(mac(9)));
    assertEquals(2, t.registeredCount());
  }

  @Test
  void snapshotRoundTripsEverything() {
    PeerTable t = new PeerTable(10, 3);
    t.setPmk(Key.pmk(new byte[16]));
    add(t, mac(1), PeerOptions.encrypted(lmk(1)));
    t.commitAdd(mac(2), PeerOptions.DEFAULT, false);
    PeerTable copy = PeerTable.from(t.snapshot());
    assertEquals(t.snapshot(), copy.snapshot());
    assertEquals(10, copy.maxTotal());
    assertEquals(3, copy.maxEncrypted());
  }

  @Test
  void snapshotNeverShowsKeyBytes() {
    PeerTable t = new PeerTable();
    byte[] k = new byte[16];
    java.util.Arrays.fill(k, (byte) 0x5A);
    t.setPmk(Key.pmk(k));
    add(t, mac(1), PeerOptions.encrypted(Key.lmk(k)));
    String s = t.snapshot().toString();
    assertFalse(s.toLowerCase().contains("5a5a"), s);
    assertFalse(s.contains("90, 90"), s);
  }

  @Test
  void advertisedLimitsAreEnforced() {
    PeerTable t = new PeerTable(3, 1);
    add(t, mac(1), PeerOptions.encrypted(lmk(1)));
    assertEquals(EspNowError.ESP_ERR_ESPNOW_FULL, errorOf(() -> t.planAdd(mac(2), PeerOptions.encrypted(lmk(2)))));
    add(t, mac(2), PeerOptions.DEFAULT);
    add(t, mac(3), PeerOptions.DEFAULT);
    assertEquals(EspNowError.ESP_ERR_ESPNOW_FULL, errorOf(() -> t.planAdd(mac(4), PeerOptions.DEFAULT)));
  }

  @Test
  void setPmkRefusesAnLmk() {
    PeerTable t = new PeerTable();
    assertEquals(EspNowError.ESP_ERR_ESPNOW_ARG, errorOf(() -> t.setPmk(lmk(1))));
  }

  @Test
  void reconcileDeletesStrangersAddsMissingFixesDifferentAndForgetsLostVirtuals() {
    PeerTable t = new PeerTable();
    add(t, mac(1), PeerOptions.DEFAULT);                 // on the radio, same
    add(t, mac(2), PeerOptions.DEFAULT.withChannel(6));  // on the radio, different
    add(t, mac(3), PeerOptions.DEFAULT);                 // missing on the radio
    t.commitAdd(mac(4), PeerOptions.DEFAULT, false);     // virtual, missing: forget
    List<io.nowmesh.actors.link.Command> todo = t.reconcile(List.of(
        io.nowmesh.actors.link.PeerRecord.of(mac(1)),
        io.nowmesh.actors.link.PeerRecord.of(mac(2)),
        io.nowmesh.actors.link.PeerRecord.of(mac(9))));   // unknown to the host
    assertEquals(List.of(
        new io.nowmesh.actors.link.Command.DelPeer(mac(9)),
        new io.nowmesh.actors.link.Command.ModPeer(new io.nowmesh.actors.link.PeerRecord(mac(2), PeerOptions.DEFAULT.withChannel(6))),
        new io.nowmesh.actors.link.Command.AddPeer(io.nowmesh.actors.link.PeerRecord.of(mac(3)))), todo);
    assertFalse(t.isRegistered(mac(4)));
  }
}
