package io.nowmesh.actors.device;

import static io.nowmesh.actors.device.DeviceFixture.WAIT;
import static io.nowmesh.actors.device.DeviceFixture.ok;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import io.nowmesh.actors.device.DeviceActor.*;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.actors.espnow.PeerOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Regressions around reboots. (1) A command written just before the radio rebooted is executed by the fresh firmware,
 * which answers ESP_ERR_ESPNOW_NOT_INIT right after its BOOT event. That reply used to overtake the
 * reboot notice (BOOT went receiver → parent → sender, replies receiver → sender) and reach the
 * application as Refused(NOT_INIT). A command on the wire across a reboot is Interrupted.
 * (2) The replay pipelines INIT, SET_PMK and GET_PEERS; a BUSY on INIT retried it behind the other
 * two, which then failed with NOT_INIT, and the failed resync was never repeated: the radio stayed
 * without its PMK and peers. A resync that ends with errors is now retried (bounded).
 */
class RebootRaceTest {
  static final ActorTestKit testKit = ActorTestKit.create(DeviceFixture.config(""));

  @AfterAll
  static void cleanup() {
    testKit.shutdownTestKit();
  }

  static int ids;

  @RepeatedTest(10)
  void aReplyFromTheRebootedFirmwareDoesNotOvertakeTheBoot() {
    int id = ++ids;
    Mac peer = Mac.ofLong(0x02_00_00_00_50_00L + id);
    try (FakeRadio radio = new FakeRadio("race" + id, Mac.ofLong(0x24_0A_C4_00_50_00L + id))) {
      ActorRef<DeviceActor.Command> d = testKit.spawn(DeviceActor.create(radio.host, DeviceFixture.settings(testKit)),
          "race-" + id);
      DeviceFixture.awaitConnected(testKit, d);
      ok(testKit, d, Done.class, r -> new AddPeer(peer, PeerOptions.DEFAULT, r));

      radio.pause(); // the SEND reaches the radio but waits there...
      TestProbe<Outcome<SendResult>> probe = testKit.createTestProbe();
      d.tell(new Send(peer, "racing".getBytes(), true, probe.ref()));
      probe.awaitAssert(WAIT, () -> {
        assertTrue(radio.backlogTypes().contains(io.nowmesh.actors.link.CommandType.SEND.code()));
        return null;
      });
      radio.reboot(); // ...the firmware restarts (BOOT goes out)...
      radio.resume(); // ...and the fresh firmware answers the SEND with NOT_INIT, right behind the BOOT.
      Outcome<?> o = probe.expectMessageClass(Outcome.class, WAIT);
      assertInstanceOf(Outcome.Interrupted.class, o, o::toString);

      // And the device goes on: replayed, a send works again.
      TestProbe<Outcome<SendResult>> again = testKit.createTestProbe();
      again.awaitAssert(WAIT, () -> {
        d.tell(new Send(peer, "after".getBytes(), true, again.ref()));
        Outcome<?> a = again.expectMessageClass(Outcome.class, WAIT);
        assertInstanceOf(Outcome.Ok.class, a, a::toString);
        return null;
      });
      testKit.stop(d, WAIT);
    }
  }

  @org.junit.jupiter.api.Test
  void aResyncThatFailsIsRetriedUntilTheRadioHasItsPmkAndPeers() {
    int id = ++ids;
    Mac peer = Mac.ofLong(0x02_00_00_00_50_00L + id);
    io.nowmesh.actors.espnow.Key pmk = io.nowmesh.actors.espnow.Key.pmk(new byte[16]);
    try (FakeRadio radio = new FakeRadio("resync" + id, Mac.ofLong(0x24_0A_C4_00_50_00L + id))) {
      ActorRef<DeviceActor.Command> d = testKit.spawn(DeviceActor.create(radio.host, DeviceFixture.settings(testKit)),
          "resync-" + id);
      DeviceFixture.awaitConnected(testKit, d);
      ok(testKit, d, Done.class, r -> new SetPmk(pmk, r));
      ok(testKit, d, Done.class, r -> new AddPeer(peer, PeerOptions.DEFAULT, r));

      radio.busyOnce.add(io.nowmesh.actors.link.CommandType.INIT.code());
      radio.reboot();
      TestProbe<Object> until = testKit.createTestProbe();
      until.awaitAssert(WAIT, () -> {
        assertTrue(radio.pmk().isPresent(), "PMK replayed");
        assertTrue(radio.peers().stream().anyMatch(p -> p.mac().equals(peer)), "peer replayed");
        return null;
      });
      TestProbe<Outcome<SendResult>> probe = testKit.createTestProbe();
      d.tell(new Send(peer, "after".getBytes(), true, probe.ref()));
      Outcome<?> o = probe.expectMessageClass(Outcome.class, WAIT);
      assertInstanceOf(Outcome.Ok.class, o, o::toString);
      testKit.stop(d, WAIT);
    }
  }
}
