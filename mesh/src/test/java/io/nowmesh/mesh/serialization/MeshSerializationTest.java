package io.nowmesh.mesh.serialization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.javadsl.Adapter;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializer;
import akka.serialization.jackson.JacksonCborSerializer;
import com.typesafe.config.ConfigFactory;
import io.nowmesh.actors.espnow.EspNowError;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.mesh.gateway.Gateway;
import io.nowmesh.mesh.gateway.MeshFrame;
import io.nowmesh.mesh.routing.Sighting;
import java.io.NotSerializableException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Every message that crosses the cluster has an explicit serializer and survives a round trip. */
class MeshSerializationTest {
  static final ActorTestKit testKit = ActorTestKit.create(
      ConfigFactory.parseString("akka.remote.artery.canonical.port = 0").withFallback(ConfigFactory.load()));
  static final Serialization serialization = SerializationExtension.get(Adapter.toClassic(testKit.system()));

  @AfterAll
  static void cleanup() {
    testKit.shutdownTestKit();
  }

  private static Object roundTrip(Object o, Class<? extends Serializer> expected) throws Exception {
    Serializer s = serialization.findSerializerFor(o);
    assertInstanceOf(expected, s, "serializer for " + o.getClass().getSimpleName());
    byte[] bytes = s.toBinary(o);
    String manifest = akka.serialization.Serializers.manifestFor(s, o);
    return serialization.deserialize(bytes, s.identifier(), manifest).get();
  }

  @Test
  void transmitAndResultUseTheBinarySerializer() throws Exception {
    TestProbe<Gateway.TransmitResult> probe = testKit.createTestProbe();
    Gateway.Transmit t = new Gateway.Transmit(Mac.parse("24:0a:c4:00:00:01"), Mac.parse("aa:00:00:00:00:0a"),
        Gateway.Mode.REQUEST, new byte[] {1, 2, 3}, probe.ref());
    Gateway.Transmit back = (Gateway.Transmit) roundTrip(t, MeshWireSerializer.class);
    assertEquals(t.node(), back.node());
    assertEquals(t.radio(), back.radio());
    assertEquals(t.mode(), back.mode());
    assertArrayEquals(t.payload(), back.payload());
    assertEquals(t.replyTo(), back.replyTo());

    Gateway.TransmitResult r = new Gateway.TransmitResult(Gateway.Status.FAILED, Mac.parse("aa:00:00:00:00:0a"),
        EspNowError.ESP_ERR_ESPNOW_NO_MEM, null, "busy");
    Gateway.TransmitResult rb = (Gateway.TransmitResult) roundTrip(r, MeshWireSerializer.class);
    assertEquals(r, rb);
    Gateway.TransmitResult answered = new Gateway.TransmitResult(Gateway.Status.ANSWERED, Mac.BROADCAST, null,
        new byte[] {9}, "response");
    assertArrayEquals(new byte[] {9}, ((Gateway.TransmitResult) roundTrip(answered, MeshWireSerializer.class)).payload());
  }

  @Test
  void meshFrameUsesTheBinarySerializer() throws Exception {
    MeshFrame f = new MeshFrame(true, Mac.parse("02:00:00:00:00:01"), Mac.parse("aa:00:00:00:00:0a"),
        Mac.parse("24:0a:c4:00:00:05"), -67, 1_700_000_000_000L, new byte[] {(byte) 0xA7, 0x11});
    MeshFrame back = (MeshFrame) roundTrip(f, MeshWireSerializer.class);
    assertEquals(f.fromApp(), back.fromApp());
    assertEquals(f.publisher(), back.publisher());
    assertEquals(f.heardBy(), back.heardBy());
    assertEquals(f.source(), back.source());
    assertEquals(f.rssi(), back.rssi());
    assertEquals(f.timestampMillis(), back.timestampMillis());
    assertArrayEquals(f.bytes(), back.bytes());
  }

  @Test
  void sightingUsesJacksonCbor() throws Exception {
    Sighting s = new Sighting(0x240ac4000001L, 0xaa000000000aL, "akka://nowmesh@127.0.0.1:25520", 42L, -50, 123L);
    assertEquals(s, roundTrip(s, JacksonCborSerializer.class));
  }

  @Test
  void corruptBytesGiveATypedError() throws Exception {
    MeshWireSerializer s = (MeshWireSerializer) serialization.serializerFor(MeshFrame.class);
    assertThrows(NotSerializableException.class, () -> s.fromBinary(new byte[] {1, 2}, MeshWireSerializer.FRAME));
    assertThrows(NotSerializableException.class, () -> s.fromBinary(new byte[0], "?"));
  }

  @Test
  void javaSerializationIsOff() {
    assertEquals(false, testKit.system().settings().config().getBoolean("akka.actor.allow-java-serialization"));
  }

  @Test
  void nodeProtocolOutcomesAndMessagesUseTheBinarySerializer() throws Exception {
    TestProbe<io.nowmesh.mesh.Outcome> probe = testKit.createTestProbe();
    var send = new io.nowmesh.mesh.routing.NodeActor.Send(new byte[] {4, 5},
        io.nowmesh.mesh.routing.NodeActor.Delivery.END_TO_END, probe.ref());
    var sendBack = (io.nowmesh.mesh.routing.NodeActor.Send) roundTrip(send, MeshWireSerializer.class);
    assertArrayEquals(send.payload(), sendBack.payload());
    assertEquals(send.delivery(), sendBack.delivery());
    assertEquals(send.replyTo(), sendBack.replyTo());
    var req = new io.nowmesh.mesh.routing.NodeActor.Request(new byte[] {6}, probe.ref());
    assertEquals(req.replyTo(), ((io.nowmesh.mesh.routing.NodeActor.Request) roundTrip(req, MeshWireSerializer.class))
        .replyTo());
    Mac m = Mac.parse("aa:00:00:00:00:0a");
    for (io.nowmesh.mesh.Outcome o : java.util.List.of(new io.nowmesh.mesh.Outcome.Delivered(m, true),
        new io.nowmesh.mesh.Outcome.NotAcknowledged("no ack"), new io.nowmesh.mesh.Outcome.NoRoute(m),
        new io.nowmesh.mesh.Outcome.Failed(EspNowError.ESP_ERR_ESPNOW_IF, "wifi off"))) {
      assertEquals(o, roundTrip(o, MeshWireSerializer.class));
    }
    var answered = (io.nowmesh.mesh.Outcome.Answered) roundTrip(new io.nowmesh.mesh.Outcome.Answered(m, new byte[] {7}),
        MeshWireSerializer.class);
    assertArrayEquals(new byte[] {7}, answered.payload());
    var from = new io.nowmesh.mesh.MeshMessage.FromNode(m, 4_000_000_000L, Mac.BROADCAST, new byte[] {1}, -70, m);
    var fromBack = (io.nowmesh.mesh.MeshMessage.FromNode) roundTrip(from, MeshWireSerializer.class);
    assertEquals(from.messageId(), fromBack.messageId());
    assertEquals(from.destination(), fromBack.destination());
    assertArrayEquals(from.payload(), fromBack.payload());
    var raw = (io.nowmesh.mesh.MeshMessage.Raw) roundTrip(new io.nowmesh.mesh.MeshMessage.Raw(m, new byte[] {2}, -80, m),
        MeshWireSerializer.class);
    assertEquals(-80, raw.rssi());
    assertArrayEquals(new byte[] {2}, raw.payload());
  }
}
