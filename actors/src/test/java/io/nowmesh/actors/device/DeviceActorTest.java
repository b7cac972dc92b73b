package io.nowmesh.actors.device;

import static io.nowmesh.actors.device.DeviceFixture.WAIT;
import static io.nowmesh.actors.device.DeviceFixture.ok;
import static io.nowmesh.actors.device.DeviceFixture.refused;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import io.nowmesh.actors.device.DeviceActor.*;
import io.nowmesh.actors.espnow.EspNowError;
import io.nowmesh.actors.espnow.Key;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.actors.espnow.PeerOptions;
import io.nowmesh.actors.link.Command;
import io.nowmesh.actors.link.ConfigParam;
import io.nowmesh.actors.link.PeerRecord;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every command and error path of the device actor, against a scripted radio. */
class DeviceActorTest {
  static final ActorTestKit testKit = ActorTestKit.create(DeviceFixture.config(""));
  static final AtomicInteger ids = new AtomicInteger();

  FakeRadio radio;
  ActorRef<DeviceActor.Command> device;

  @AfterAll
  static void cleanup() {
    testKit.shutdownTestKit();
  }

  @AfterEach
  void closeRadio() {
    if (device != null) {
      testKit.stop(device, WAIT); // or it would keep reconnecting to a closed radio
    }
    if (radio != null) {
      radio.close();
    }
  }

  static Mac mac(int i) {
    return Mac.ofLong(0x02_00_00_00_10_00L | i);
  }

  static Key lmk(int b) {
    byte[] k = new byte[16];
    Arrays.fill(k, (byte) b);
    return Key.lmk(k);
  }

  ActorRef<DeviceActor.Command> start() {
    return start(DeviceFixture.settings(testKit));
  }

  ActorRef<DeviceActor.Command> start(DeviceSettings settings) {
    int id = ids.incrementAndGet();
    radio = new FakeRadio("dev" + id, Mac.ofLong(0x24_0A_C4_00_00_00L | id));
    ActorRef<DeviceActor.Command> device = testKit.spawn(DeviceActor.create(radio.host, settings), "device-" + id);
    DeviceFixture.awaitConnected(testKit, device);
    this.device = device;
    return device;
  }

  @Test
  void connectsSaysHelloAndInitialisesTheRadio() {
    ActorRef<DeviceActor.Command> d = start();
    Status s = ok(testKit, d, GetStatus::new);
    assertEquals(radio.mac, s.mac().orElseThrow());
    assertTrue(radio.seen.get(0) instanceof Command.Hello, radio.seen.toString());
    assertTrue(radio.seen.stream().anyMatch(c -> c instanceof Command.Init));
  }

  @Test
  void blockingIoRunsOnTheDedicatedDispatcherOnly() {
    int id = ids.incrementAndGet();
    radio = new FakeRadio("threads" + id, Mac.ofLong(0x24_0A_C4_00_00_00L | id));
    java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
    io.nowmesh.actors.link.Transport t = radio.host;
    io.nowmesh.actors.link.Transport recording = new io.nowmesh.actors.link.Transport() {
      public void open() throws java.io.IOException {
        threads.add(Thread.currentThread().getName());
        t.open();
      }

      public int read(byte[] b, int off, int len) throws java.io.IOException {
        threads.add(Thread.currentThread().getName());
        return t.read(b, off, len);
      }

      public void write(byte[] b, int off, int len) throws java.io.IOException {
        threads.add(Thread.currentThread().getName());
        t.write(b, off, len);
      }

      public boolean isOpen() {
        return t.isOpen();
      }

      public String describe() {
        return t.describe();
      }

      public void close() {
        t.close();
      }
    };
    device = testKit.spawn(DeviceActor.create(recording, DeviceFixture.settings(testKit)), "device-" + id);
    DeviceFixture.awaitConnected(testKit, device);
    ok(testKit, device, Done.class, r -> new AddPeer(mac(1), PeerOptions.DEFAULT, r));
    ok(testKit, device, SendResult.class, r -> new Send(mac(1), "t".getBytes(), true, r));
    assertFalse(threads.isEmpty());
    assertTrue(threads.stream().allMatch(n -> n.contains("nowmesh.device.blocking-io-dispatcher")), threads::toString);
  }

  @Test
  void keepsReopeningAFailingPortWithBackoffUntilItWorks() {
    int id = ids.incrementAndGet();
    radio = new FakeRadio("flaky" + id, Mac.ofLong(0x24_0A_C4_00_00_00L | id));
    AtomicInteger opens = new AtomicInteger();
    DeviceActor.TransportFactory flaky = () -> {
      if (opens.incrementAndGet() <= 3) {
        throw new java.io.IOException("port busy (attempt " + opens.get() + ")");
      }
      radio.host.open();
      return radio.host;
    };
    device = testKit.spawn(DeviceActor.create(flaky, DeviceFixture.settings(testKit), "flaky"), "device-" + id);
    DeviceFixture.awaitConnected(testKit, device);
    assertEquals(4, opens.get());
    assertEquals(0, ok(testKit, device, GetStatus::new).reconnectAttempts(), "reset once connected");
  }

  @Test
  void addsGetsModifiesAndDeletesPeers() {
    ActorRef<DeviceActor.Command> d = start();
    ok(testKit, d, Done.class, r -> new AddPeer(mac(1), PeerOptions.DEFAULT, r));
    ok(testKit, d, Done.class, r -> new AddPeer(mac(2), PeerOptions.encrypted(lmk(2)), r));
    assertEquals(new PeerCount(2, 1), ok(testKit, d, GetPeerCount::new));
    assertEquals(List.of(mac(1), mac(2)), ok(testKit, d, GetPeers::new).stream().map(PeerInfo::mac).toList());
    ok(testKit, d, Done.class, r -> new ModPeer(mac(1), PeerOptions.DEFAULT.withChannel(1), r));
    assertEquals(1, ok(testKit, d, PeerInfo.class, r -> new GetPeer(mac(1), r)).options().channel());
    assertEquals(List.of(mac(1), mac(2)), radio.peers().stream().map(PeerRecord::mac).toList());
    ok(testKit, d, Done.class, r -> new DelPeer(mac(1), r));
    assertEquals(List.of(mac(2)), radio.peers().stream().map(PeerRecord::mac).toList());
    refused(testKit, d, EspNowError.ESP_ERR_ESPNOW_NOT_FOUND, PeerInfo.class, r -> new GetPeer(mac(1), r));
  }

  @Test
  void refusesTwentyFirstPeerBeforeTheWire() {
    ActorRef<DeviceActor.Command> d = start();
    for (int i = 1; i <= 20; i++) {
      int n = i;
      ok(testKit, d, Done.class, r -> new AddPeer(mac(n), PeerOptions.DEFAULT, r));
    }
    int before = radio.seen.size();
    Outcome.Refused<Done> r = refused(testKit, d, EspNowError.ESP_ERR_ESPNOW_FULL,
        Done.class, x -> new AddPeer(mac(21), PeerOptions.DEFAULT, x));
    assertTrue(r.detail().contains("ESP_ERR_ESPNOW_FULL"), r.detail());
    assertEquals(before, radio.seen.size(), "nothing reached the wire");
  }

  @Test
  void refusesSeventhEncryptedPeer() {
    ActorRef<DeviceActor.Command> d = start();
    for (int i = 1; i <= 6; i++) {
      int n = i;
      ok(testKit, d, Done.class, r -> new AddPeer(mac(n), PeerOptions.encrypted(lmk(n)), r));
    }
    refused(testKit, d, EspNowError.ESP_ERR_ESPNOW_FULL, Done.class, r -> new AddPeer(mac(7), PeerOptions.encrypted(lmk(7)), r));
    assertEquals(6, radio.peers().size());
  }

  @Test
  void refusesDuplicatesUnknownPeersAndEncryptedBroadcast() {
    ActorRef<DeviceActor.Command> d = start();
    ok(testKit, d, Done.class, r -> new AddPeer(mac(1), PeerOptions.DEFAULT, r));
    refused(testKit, d, EspNowError.ESP_ERR_ESPNOW_EXIST, Done.class, r -> new AddPeer(mac(1), PeerOptions.DEFAULT, r));
    refused(testKit, d, EspNowError.ESP_ERR_ESPNOW_NOT_FOUND, Done.class, r -> new DelPeer(mac(9), r));
    refused(testKit, d, EspNowError.ESP_ERR_ESPNOW_NOT_FOUND, Done.class, r -> new ModPeer(mac(9), PeerOptions.DEFAULT, r));
    refused(testKit, d, EspNowError.ESP_ERR_ESPNOW_ARG,
        Done.class, r -> new AddPeer(Mac.BROADCAST, PeerOptions.encrypted(lmk(1)), r));
    refused(testKit, d, EspNowError.ESP_ERR_ESPNOW_ARG, SendResult.class, r -> new Send(mac(1), new byte[251], true, r));
  }

  @Test
  void sendsToOnePeerAndReportsAcks() {
    ActorRef<DeviceActor.Command> d = start();
    ok(testKit, d, Done.class, r -> new AddPeer(mac(1), PeerOptions.DEFAULT, r));
    ok(testKit, d, Done.class, r -> new AddPeer(mac(2), PeerOptions.DEFAULT, r));
    radio.deaf.add(mac(2));
    SendResult one = ok(testKit, d, SendResult.class, r -> new Send(mac(1), "hi".getBytes(), true, r));
    assertEquals(new SendResult(true, Map.of(mac(1), true)), one);
    SendResult deaf = ok(testKit, d, SendResult.class, r -> new Send(mac(2), "hi".getBytes(), true, r));
    assertEquals(new SendResult(false, Map.of(mac(2), false)), deaf);
    SendResult async = ok(testKit, d, SendResult.class, r -> new Send(mac(2), "hi".getBytes(), false, r));
    assertTrue(async.allAcked());
    assertTrue(async.acks().isEmpty());
  }

  @Test
  void sendToAllSkipsBroadcastAndSaysWhichPeersAcked() {
    ActorRef<DeviceActor.Command> d = start();
    ok(testKit, d, Done.class, r -> new AddPeer(mac(1), PeerOptions.DEFAULT, r));
    ok(testKit, d, Done.class, r -> new AddPeer(mac(2), PeerOptions.DEFAULT, r));
    ok(testKit, d, Done.class, r -> new AddPeer(Mac.BROADCAST, PeerOptions.DEFAULT, r));
    radio.deaf.add(mac(2));
    SendResult all = ok(testKit, d, SendResult.class, r -> new SendToAll("x".getBytes(), true, r));
    assertEquals(new SendResult(false, Map.of(mac(1), true, mac(2), false)), all);
  }

  @Test
  void broadcastNeedsRegistrationAndAlwaysReportsSuccess() {
    ActorRef<DeviceActor.Command> d = start();
    refused(testKit, d, EspNowError.ESP_ERR_ESPNOW_NOT_FOUND, SendResult.class, r -> new Send(Mac.BROADCAST, "b".getBytes(), true, r));
    ok(testKit, d, Done.class, r -> new AddPeer(Mac.BROADCAST, PeerOptions.DEFAULT, r));
    SendResult b = ok(testKit, d, SendResult.class, r -> new Send(Mac.BROADCAST, "b".getBytes(), true, r));
    assertTrue(b.allAcked());
  }

  @Test
  void sendToUnregisteredPeerRegistersItOnDemand() {
    ActorRef<DeviceActor.Command> d = start();
    SendResult s = ok(testKit, d, SendResult.class, r -> new Send(mac(5), "v".getBytes(), true, r));
    assertTrue(s.allAcked());
    // The virtual peer is on the radio but not in the application's view.
    assertEquals(1, radio.peers().size());
    assertEquals(new PeerCount(0, 0), ok(testKit, d, GetPeerCount::new));
  }

  @Test
  void sendToAllDoesNotReachVirtualPeers() {
    ActorRef<DeviceActor.Command> d = start();
    ok(testKit, d, SendResult.class, r -> new Send(mac(9), "v".getBytes(), true, r));
    ok(testKit, d, Done.class, r -> new AddPeer(mac(1), PeerOptions.DEFAULT, r));
    SendResult all = ok(testKit, d, SendResult.class, r -> new SendToAll("all".getBytes(), true, r));
    assertEquals(Map.of(mac(1), true), all.acks());
    assertEquals(List.of(mac(1)), radio.peers().stream().map(PeerRecord::mac).toList());
    // The virtual peer comes back on demand.
    assertTrue(ok(testKit, d, SendResult.class, r -> new Send(mac(9), "v2".getBytes(), true, r)).allAcked());
  }

  @Test
  void connectingRemovesPeersTheHostDidNotAdd() {
    int id = ids.incrementAndGet();
    radio = new FakeRadio("stale" + id, Mac.ofLong(0x24_0A_C4_00_00_00L | id));
    radio.preload(PeerRecord.of(mac(77)));
    ActorRef<DeviceActor.Command> d = testKit.spawn(
        DeviceActor.create(radio.host, DeviceFixture.settings(testKit)), "device-" + id);
    device = d;
    DeviceFixture.awaitConnected(testKit, d);
    assertEquals(List.of(), radio.peers());
    assertEquals(new PeerCount(0, 0), ok(testKit, d, GetPeerCount::new));
  }

  @Test
  void retriesNoMemWithBackoffThenSucceeds() {
    ActorRef<DeviceActor.Command> d = start();
    ok(testKit, d, Done.class, r -> new AddPeer(mac(1), PeerOptions.DEFAULT, r));
    radio.noMemSends.set(3);
    SendResult s = ok(testKit, d, SendResult.class, r -> new Send(mac(1), "m".getBytes(), true, r));
    assertTrue(s.allAcked());
    assertEquals(1, radio.delivered.size());
  }

  @Test
  void givesUpOnNoMemAfterMaxAttempts() {
    ActorRef<DeviceActor.Command> d = start();
    ok(testKit, d, Done.class, r -> new AddPeer(mac(1), PeerOptions.DEFAULT, r));
    radio.noMemSends.set(1000);
    Outcome.Refused<SendResult> r = refused(testKit, d, EspNowError.ESP_ERR_ESPNOW_NO_MEM,
        SendResult.class, x -> new Send(mac(1), "m".getBytes(), true, x));
    assertTrue(r.detail().contains("attempts"), r.detail());
  }

  @Test
  void timesOutWhenTheRadioGoesSilentAndNeverRetriesASend() {
    ActorRef<DeviceActor.Command> d = start();
    ok(testKit, d, Done.class, r -> new AddPeer(mac(1), PeerOptions.DEFAULT, r));
    radio.silent = true;
    int before = radio.seen.size();
    Outcome<SendResult> out = DeviceFixture.ask(testKit, d, SendResult.class, r -> new Send(mac(1), "s".getBytes(), true, r));
    assertInstanceOf(Outcome.TimedOut.class, out);
    assertEquals(before + 1, radio.seen.size(), "a SEND is never resent after a timeout");
  }

  @Test
  void warnsWhenAPeerIsOnAnotherChannel() {
    ActorRef<DeviceActor.Command> d = start();
    akka.actor.testkit.typed.javadsl.LoggingTestKit.warn("channel mismatch")
        .expect(testKit.system(), () -> ok(testKit, d, Done.class,
            r -> new AddPeer(mac(1), PeerOptions.DEFAULT.withChannel(6), r)));
  }

  @Test
  void retriesSideEffectFreeCommandsAfterATimeoutThenTimesOut() {
    ActorRef<DeviceActor.Command> d = start(DeviceSettings.from(DeviceFixture.config(
        "nowmesh.device.command-timeout = 200ms\nnowmesh.device.retry.max-attempts = 3")));
    radio.silent = true;
    Outcome<Integer> out = DeviceFixture.ask(testKit, d, Integer.class, r -> new GetConfig(ConfigParam.RXBUF, r));
    Outcome.TimedOut<Integer> t = assertInstanceOf(Outcome.TimedOut.class, out);
    assertTrue(t.detail().contains("3 attempts"), t.detail());
    assertEquals(3, radio.seen.stream().filter(c -> c instanceof Command.ConfigGet).count());
  }

  @Test
  void commandOnTheWireWhenTheRadioRebootsIsInterrupted() {
    ActorRef<DeviceActor.Command> d = start();
    ok(testKit, d, Done.class, r -> new AddPeer(mac(1), PeerOptions.DEFAULT, r));
    radio.pause();
    TestProbe<Outcome<SendResult>> probe = testKit.createTestProbe();
    d.tell(new Send(mac(1), "lost?".getBytes(), true, probe.ref()));
    probe.awaitAssert(WAIT, () -> {
      assertTrue(radio.backlogTypes().contains(io.nowmesh.actors.link.CommandType.SEND.code()));
      return null;
    });
    radio.reboot();
    Outcome<?> o = probe.expectMessageClass(Outcome.class, WAIT);
    assertInstanceOf(Outcome.Interrupted.class, o, o::toString);
    radio.resume();
    DeviceFixture.awaitConnected(testKit, d);
    assertTrue(ok(testKit, d, SendResult.class, r -> new Send(mac(1), "again".getBytes(), true, r)).allAcked());
  }

  @Test
  void countsCorruptFramesFromTheRadio() throws Exception {
    ActorRef<DeviceActor.Command> d = start();
    radio.radio.write(new byte[] {0x05, 0x01, 0x41, 0x07, 0x09, 0x11, 0x00}); // bad CRC
    TestProbe<Object> until = testKit.createTestProbe();
    until.awaitAssert(WAIT, () -> {
      assertEquals(1, ok(testKit, d, GetStats::new).linkCorrupt());
      return null;
    });
  }

  @Test
  void fullReceiveBufferDropsAndCountsInsteadOfGrowing() throws Exception {
    ActorRef<DeviceActor.Command> d = start(DeviceSettings.from(DeviceFixture.config(
        "nowmesh.device.receive-buffer = 4")));
    for (int i = 0; i < 10; i++) {
      radio.receive(mac(2), new byte[] {(byte) i}, -50);
    }
    TestProbe<Object> until = testKit.createTestProbe();
    until.awaitAssert(WAIT, () -> {
      assertEquals(6, ok(testKit, d, GetStats::new).hostRxDropped());
      return null;
    });
    // The stream reads what was kept, oldest first.
    List<Received> kept = EspNowRadio.of(d, testKit.system()).messages().take(4)
        .runWith(akka.stream.javadsl.Sink.seq(), testKit.system()).toCompletableFuture()
        .get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    assertEquals(List.of(0, 1, 2, 3), kept.stream().map(m -> (int) m.data()[0]).toList());
  }

  @Test
  void configGetAndSet() {
    ActorRef<DeviceActor.Command> d = start();
    assertEquals((Integer) 1, ok(testKit, d, Integer.class, r -> new GetConfig(ConfigParam.CHANNEL, r)));
    ok(testKit, d, Done.class, r -> new SetConfig(Map.of(ConfigParam.CHANNEL, 6, ConfigParam.RXBUF, 1024), r));
    assertEquals((Integer) 6, ok(testKit, d, Integer.class, r -> new GetConfig(ConfigParam.CHANNEL, r)));
    assertEquals((Integer) 1024, ok(testKit, d, Integer.class, r -> new GetConfig(ConfigParam.RXBUF, r)));
    refused(testKit, d, EspNowError.UNSUPPORTED, Done.class, r -> new SetConfig(Map.of(ConfigParam.RATE, 3), r));
    refused(testKit, d, EspNowError.ESP_ERR_ESPNOW_ARG, Done.class, r -> new SetConfig(Map.of(ConfigParam.CHANNEL, 15), r));
  }

  @Test
  void deinitDropsPeersAndSendsFailNotInitUntilInit() {
    ActorRef<DeviceActor.Command> d = start();
    ok(testKit, d, Done.class, r -> new AddPeer(mac(1), PeerOptions.DEFAULT, r));
    ok(testKit, d, Deinit::new);
    assertEquals(new PeerCount(0, 0), ok(testKit, d, GetPeerCount::new));
    refused(testKit, d, EspNowError.ESP_ERR_ESPNOW_NOT_INIT, Done.class, r -> new AddPeer(mac(1), PeerOptions.DEFAULT, r));
    ok(testKit, d, Init::new);
    ok(testKit, d, Done.class, r -> new AddPeer(mac(1), PeerOptions.DEFAULT, r));
  }

  @Test
  void aResyncWhoseSetPmkWasRefusedIsRunAgainUntilThePmkIsBack() {
    ActorRef<DeviceActor.Command> d = start();
    Key pmk = Key.pmk(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
    ok(testKit, d, Done.class, r -> new SetPmk(pmk, r));
    // A reboot between the replay's INIT and SET_PMK makes the radio refuse the PMK (NOT_INIT); the
    // resync must not count as done then, or the PMK stays lost until the next reboot.
    radio.notInitOnce.add(io.nowmesh.actors.link.CommandType.SET_PMK.code());
    radio.reboot();
    TestProbe<Object> probe = testKit.createTestProbe();
    probe.awaitAssert(DeviceFixture.WAIT, () -> {
      assertEquals(java.util.Optional.of(pmk), radio.pmk());
      return null;
    });
    assertTrue(radio.notInitOnce.isEmpty(), "the refusal was exercised");
    DeviceFixture.awaitConnected(testKit, d);
  }

  @Test
  void setPmkReachesTheRadio() {
    ActorRef<DeviceActor.Command> d = start();
    Key pmk = Key.pmk(new byte[16]);
    ok(testKit, d, Done.class, r -> new SetPmk(pmk, r));
    assertEquals(pmk, radio.pmk().orElseThrow());
    refused(testKit, d, EspNowError.ESP_ERR_ESPNOW_ARG, Done.class, r -> new SetPmk(lmk(1), r));
  }

  @Test
  void statsCombineRadioAndHostCounters() {
    ActorRef<DeviceActor.Command> d = start();
    ok(testKit, d, Done.class, r -> new AddPeer(mac(1), PeerOptions.DEFAULT, r));
    ok(testKit, d, SendResult.class, r -> new Send(mac(1), "s".getBytes(), true, r));
    Stats s = ok(testKit, d, GetStats::new);
    assertEquals(1, s.radio().txPkts());
  }

  @Test
  void subscribersGetReceivedMessagesAndRssiIsTracked() {
    ActorRef<DeviceActor.Command> d = start();
    TestProbe<Received> sub = testKit.createTestProbe();
    d.tell(new Subscribe(sub.ref()));
    // Subscribe is a tell: make sure it was processed before injecting.
    ok(testKit, d, GetStatus::new);
    radio.receive(mac(7), "hello".getBytes(), -42);
    Received m = sub.expectMessageClass(Received.class, WAIT);
    assertEquals(mac(7), m.src());
    assertArrayEquals("hello".getBytes(), m.data());
    assertEquals(-42, ok(testKit, d, GetRssiTable::new).get(mac(7)).rssi());
    d.tell(new Unsubscribe(sub.ref()));
    ok(testKit, d, GetStatus::new);
    radio.receive(mac(7), "again".getBytes(), -40);
    // Both are buffered for pull-style receive, in order; the former subscriber gets nothing more.
    assertArrayEquals("hello".getBytes(), ok(testKit, d, Received.class, r -> new Receive(WAIT, r)).data());
    assertArrayEquals("again".getBytes(), ok(testKit, d, Received.class, r -> new Receive(WAIT, r)).data());
    sub.expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void pullReceiveWaitsForAMessageOrTimesOut() {
    ActorRef<DeviceActor.Command> d = start();
    assertFalse(ok(testKit, d, Poll::new));
    assertInstanceOf(Outcome.TimedOut.class, DeviceFixture.ask(testKit, d, Received.class, r -> new Receive(Duration.ZERO, r)));
    assertInstanceOf(Outcome.TimedOut.class,
        DeviceFixture.ask(testKit, d, Received.class, r -> new Receive(Duration.ofMillis(100), r)));
    TestProbe<Outcome<Received>> waiting = testKit.createTestProbe();
    d.tell(new Receive(Duration.ofSeconds(-1), waiting.ref()));
    ok(testKit, d, GetStatus::new);
    radio.receive(mac(3), "late".getBytes(), -60);
    Outcome<?> got = waiting.expectMessageClass(Outcome.class, WAIT);
    assertArrayEquals("late".getBytes(), ((Received) ((Outcome.Ok<?>) got).value()).data());
  }
}
