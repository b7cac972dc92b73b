package io.nowmesh.mesh.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.nowmesh.actors.espnow.Limits;
import io.nowmesh.mesh.envelope.DecodeResult;
import io.nowmesh.mesh.envelope.EnvelopeCodec;

/**
 * Fuzzes the mesh envelope decoder with arbitrary ESP-NOW payloads (hostile air). Properties:
 * {@link EnvelopeCodec#decode} never throws, answers every input with either an envelope or a
 * failure naming its reason; a decoded envelope re-encodes to exactly the input bytes and fits in
 * one ESP-NOW payload.
 */
class EnvelopeFuzzTest {

  @FuzzTest(maxDuration = "10m")
  void decodesOrNamesTheRule(byte[] payload) {
    DecodeResult result = EnvelopeCodec.decode(payload);
    assertNotNull(result);
    if (result instanceof DecodeResult.Decoded d) {
      byte[] encoded = EnvelopeCodec.encode(d.envelope());
      assertArrayEquals(payload, encoded, "decoded envelope does not re-encode to its bytes");
      assertTrue(encoded.length <= Limits.MAX_DATA_LEN);
    } else {
      DecodeResult.DecodeFailure f = (DecodeResult.DecodeFailure) result;
      assertNotNull(f.reason());
      assertTrue(f.detail().startsWith(f.reason().name()), "detail names the rule: " + f.detail());
    }
  }
}
