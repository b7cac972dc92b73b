package io.nowmesh.mesh.envelope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.mesh.envelope.DecodeResult.DecodeFailure;
import io.nowmesh.mesh.envelope.DecodeResult.Decoded;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The golden vectors in docs/mesh-vectors.json, shared with the MicroPython leaf library. */
class EnvelopeVectorsTest {
  private static JsonNode vectors;

  @BeforeAll
  static void load() throws Exception {
    Path file = Path.of(System.getProperty("basedir", ".")).resolve("../docs/mesh-vectors.json");
    vectors = new ObjectMapper().readTree(Files.readString(file));
  }

  @Test
  void encodesEveryValidVectorByteForByte() {
    assertTrue(vectors.get("valid").size() >= 8);
    for (JsonNode v : vectors.get("valid")) {
      Envelope e = new Envelope(MessageType.valueOf(v.get("type").asText()), v.get("ack_requested").asBoolean(),
          v.get("hops").asInt(), Mac.parse(v.get("origin").asText()), v.get("id").asLong(),
          Mac.parse(v.get("destination").asText()), v.get("ref").asLong(), hex(v.get("payload_hex").asText()));
      assertArrayEquals(hex(v.get("hex").asText()), EnvelopeCodec.encode(e), v.get("name").asText());
    }
  }

  @Test
  void decodesEveryValidVectorToItsFields() {
    for (JsonNode v : vectors.get("valid")) {
      String name = v.get("name").asText();
      Envelope e = assertInstanceOf(Decoded.class, EnvelopeCodec.decode(hex(v.get("hex").asText())), name).envelope();
      assertEquals(v.get("type").asText(), e.type().name(), name);
      assertEquals(v.get("ack_requested").asBoolean(), e.ackRequested(), name);
      assertEquals(v.get("hops").asInt(), e.hops(), name);
      assertEquals(v.get("origin").asText(), e.origin().toString(), name);
      assertEquals(v.get("id").asLong(), e.messageId(), name);
      assertEquals(v.get("destination").asText(), e.destination().toString(), name);
      assertEquals(v.get("ref").asLong(), e.ref(), name);
      assertArrayEquals(hex(v.get("payload_hex").asText()), e.payload(), name);
    }
  }

  @Test
  void refusesEveryInvalidVectorNamingTheRule() {
    assertTrue(vectors.get("invalid").size() >= 10);
    for (JsonNode v : vectors.get("invalid")) {
      DecodeFailure f = assertInstanceOf(DecodeFailure.class, EnvelopeCodec.decode(hex(v.get("hex").asText())),
          v.get("name").asText());
      assertEquals(v.get("reason").asText(), f.reason().name(), v.get("name").asText());
      assertTrue(f.detail().startsWith(f.reason().name()), f.detail());
    }
  }

  @Test
  void statesThePayloadRoomLeft() {
    assertEquals(230, EnvelopeCodec.room(MessageType.DATA));
    assertEquals(230, EnvelopeCodec.room(MessageType.REQUEST));
    assertEquals(226, EnvelopeCodec.room(MessageType.ACK));
    assertEquals(226, EnvelopeCodec.room(MessageType.RESPONSE));
  }

  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }
}
