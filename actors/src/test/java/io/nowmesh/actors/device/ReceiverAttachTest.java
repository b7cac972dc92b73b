package io.nowmesh.actors.device;

import static io.nowmesh.actors.device.DeviceFixture.WAIT;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.DispatcherSelector;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.actors.link.BootInfo;
import io.nowmesh.actors.link.CommandType;
import io.nowmesh.actors.link.Event;
import io.nowmesh.actors.link.InMemoryTransport;
import io.nowmesh.actors.link.MessageCodec;
import io.nowmesh.actors.link.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The receiver's start-up notice can reach the device actor after the link opened, which then
 * attaches the same link a second time. That repeat must not make the receiver forget that this link
 * already answered HELLO: a BOOT after it is a reboot, and the sender must hear of it first, in
 * stream order, before any reply from the rebooted firmware.
 */
class ReceiverAttachTest {
  static final ActorTestKit testKit = ActorTestKit.create(DeviceFixture.config(""));

  @AfterAll
  static void cleanup() {
    testKit.shutdownTestKit();
  }

  @Test
  void aRepeatedAttachOfTheSameLinkKeepsTheHelloAnswerSoABootIsSeenAsAReboot() throws Exception {
    InMemoryTransport.Pair pair = InMemoryTransport.pair("attach-twice");
    pair.host().open();
    pair.radio().open();
    TestProbe<DeviceActor.Command> parent = testKit.createTestProbe();
    TestProbe<SenderActor.Command> sender = testKit.createTestProbe();
    ActorRef<ReceiverActor.Command> receiver = testKit.spawn(
        ReceiverActor.create(parent.ref(), sender.ref(), DeviceFixture.settings(testKit)),
        DispatcherSelector.fromConfig(DeviceSettings.DISPATCHER_PATH));
    parent.expectMessageClass(DeviceActor.ChildStarted.class, WAIT);

    Mac mac = Mac.parse("24:0a:c4:00:77:01");
    BootInfo info = BootInfo.standard(BootInfo.API_GEN_SIMULATED, mac, Mac.parse("24:0a:c4:00:77:02"), 1, 4, 0, "t");
    receiver.tell(new ReceiverActor.Attach(pair.host(), 1));
    byte[] hello = MessageCodec.encode(Reply.ok(1, CommandType.HELLO, info)).toWire();
    pair.radio().write(hello, 0, hello.length);
    sender.expectMessageClass(SenderActor.ReplyArrived.class, WAIT);

    receiver.tell(new ReceiverActor.Attach(pair.host(), 1)); // the late repeat
    byte[] boot = MessageCodec.encode(0, new Event.Boot(info)).toWire();
    pair.radio().write(boot, 0, boot.length);
    sender.expectMessageClass(SenderActor.RadioRebooted.class, WAIT);
    testKit.stop(receiver, WAIT);
  }
}
