package io.nowmesh.mesh.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.receptionist.Receptionist;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import com.typesafe.config.ConfigFactory;
import io.nowmesh.actors.device.DeviceActor;
import io.nowmesh.actors.device.Outcome;
import io.nowmesh.actors.espnow.EspNowError;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.actors.link.BootInfo;
import io.nowmesh.mesh.Mesh;
import io.nowmesh.mesh.radio.RadioOutcome;
import io.nowmesh.mesh.radio.ReceivedFrame;
import io.nowmesh.mesh.routing.Route;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The adapter from the mesh's {@code RadioPort} to the device actor protocol, against a scripted
 * device actor (the DeviceActor's own behaviour is tested in the actors module).
 */
class DeviceRadioPortTest {
  static final ActorTestKit testKit = ActorTestKit.create(ConfigFactory.parseString(
      "akka.remote.artery.canonical.port = 0\nakka.cluster.jmx.enabled = off").withFallback(ConfigFactory.load()));

  static final Mac RADIO = Mac.parse("aa:00:00:00:00:01");
  static final Mac NODE = Mac.parse("24:0a:c4:00:00:01");
  static final Mac ABSENT = Mac.parse("24:0a:c4:00:00:02");
  static final Mac UNPLUGGED = Mac.parse("24:0a:c4:00:00:03");
  static final Mac GROUP = Mac.parse("03:4e:4d:00:00:05");

  @AfterAll
  static void cleanup() {
    testKit.shutdownTestKit();
  }

  /** Follows the DeviceActor contract: group MACs must be added first, unicast acks per destination. */
  static Behavior<DeviceActor.Command> scriptedDevice(ActorRef<Object> spy) {
    Set<Mac> peers = new HashSet<>();
    return Behaviors.receive(DeviceActor.Command.class)
        .onMessage(DeviceActor.Send.class, s -> {
          spy.tell(s);
          if (s.to().isMulticast() && !peers.contains(s.to())) {
            s.replyTo().tell(new Outcome.Refused<>(EspNowError.ESP_ERR_ESPNOW_NOT_FOUND, "peer is not registered"));
          } else if (s.to().equals(UNPLUGGED)) {
            s.replyTo().tell(new Outcome.LinkDown<>("port vanished"));
          } else {
            boolean acked = !s.to().equals(ABSENT);
            s.replyTo().tell(new Outcome.Ok<>(new DeviceActor.SendResult(acked, Map.of(s.to(), acked))));
          }
          return Behaviors.same();
        })
        .onMessage(DeviceActor.AddPeer.class, a -> {
          spy.tell(a);
          peers.add(a.mac());
          a.replyTo().tell(new Outcome.Ok<>(Done.getInstance()));
          return Behaviors.same();
        })
        .onMessage(DeviceActor.Subscribe.class, s -> {
          spy.tell(s);
          return Behaviors.same();
        })
        .onMessage(DeviceActor.Unsubscribe.class, u -> {
          spy.tell(u);
          return Behaviors.same();
        })
        .onMessage(DeviceActor.GetStatus.class, g -> {
          g.replyTo().tell(new Outcome.Ok<>(new DeviceActor.Status("sim:" + RADIO, true, Optional.of(
              new BootInfo(1, BootInfo.API_GEN_SIMULATED, RADIO, RADIO, 1, 250, 20, 6, 8, 100_000, "test")), 0)));
          return Behaviors.same();
        })
        .build();
  }

  private static RadioOutcome send(DeviceRadioPort port, Mac to) throws Exception {
    return port.send(to, new byte[] {1}).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void mapsEachDeviceOutcomeToOneRadioOutcome() throws Exception {
    TestProbe<Object> spy = testKit.createTestProbe();
    ActorRef<DeviceActor.Command> device = testKit.spawn(scriptedDevice(spy.ref()));
    DeviceRadioPort port = new DeviceRadioPort(testKit.system(), device, RADIO, Duration.ofSeconds(3));
    assertEquals(RadioOutcome.ACKED, send(port, NODE));
    assertEquals(true, spy.expectMessageClass(DeviceActor.Send.class).sync(), "sync send: the MAC ack is the answer");
    assertEquals(RadioOutcome.NOT_ACKED, send(port, ABSENT));
    RadioOutcome.Failed f = assertInstanceOf(RadioOutcome.Failed.class, send(port, UNPLUGGED));
    assertEquals(EspNowError.FAILED, f.error());
  }

  @Test
  void registersAGroupMacAsPeerOnFirstUse() throws Exception {
    TestProbe<Object> spy = testKit.createTestProbe();
    ActorRef<DeviceActor.Command> device = testKit.spawn(scriptedDevice(spy.ref()));
    DeviceRadioPort port = new DeviceRadioPort(testKit.system(), device, RADIO, Duration.ofSeconds(3));
    assertEquals(RadioOutcome.ACKED, send(port, GROUP));
    spy.expectMessageClass(DeviceActor.Send.class);
    assertEquals(GROUP, spy.expectMessageClass(DeviceActor.AddPeer.class).mac());
    spy.expectMessageClass(DeviceActor.Send.class);
    assertEquals(RadioOutcome.ACKED, send(port, GROUP));
    spy.expectMessageClass(DeviceActor.Send.class);
    spy.expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void deliversReceivedMessagesUntilClosed() throws Exception {
    TestProbe<Object> spy = testKit.createTestProbe();
    ActorRef<DeviceActor.Command> device = testKit.spawn(scriptedDevice(spy.ref()));
    DeviceRadioPort port = new DeviceRadioPort(testKit.system(), device, RADIO, Duration.ofSeconds(3));
    LinkedBlockingQueue<ReceivedFrame> frames = new LinkedBlockingQueue<>();
    AutoCloseable sub = port.subscribe(frames::add);
    ActorRef<DeviceActor.Received> subscriber = spy.expectMessageClass(DeviceActor.Subscribe.class).subscriber();
    subscriber.tell(new DeviceActor.Received(NODE, RADIO, -61, 5, new byte[] {7}, Instant.ofEpochMilli(1234)));
    ReceivedFrame f = frames.poll(10, TimeUnit.SECONDS);
    assertEquals(NODE, f.source());
    assertEquals(-61, f.rssi());
    assertEquals(1234, f.timestampMillis());
    sub.close();
    assertEquals(subscriber, spy.expectMessageClass(DeviceActor.Unsubscribe.class).subscriber());
  }

  @Test
  void attachesLocalDevicesListedByTheReceptionist() throws Exception {
    Cluster.get(testKit.system()).manager().tell(Join.create(Cluster.get(testKit.system()).selfMember().address()));
    TestProbe<Object> spy = testKit.createTestProbe();
    ActorRef<DeviceActor.Command> device = testKit.spawn(scriptedDevice(spy.ref()));
    Mesh mesh = Mesh.get(testKit.system());
    testKit.system().receptionist().tell(Receptionist.register(DeviceActor.SERVICE_KEY, device));
    // the mesh subscribes to the radio it found
    ActorRef<DeviceActor.Received> subscriber = spy.expectMessageClass(DeviceActor.Subscribe.class, Duration.ofSeconds(15))
        .subscriber();
    subscriber.tell(new DeviceActor.Received(NODE, Mac.BROADCAST, -50, 5, "hi".getBytes(), Instant.now()));
    spy.awaitAssert(Duration.ofSeconds(15), () -> {
      List<Route> routes = mesh.routes(NODE).toCompletableFuture().get(3, TimeUnit.SECONDS);
      assertEquals(List.of(RADIO), routes.stream().map(Route::radio).toList());
      return null;
    });
  }
}
