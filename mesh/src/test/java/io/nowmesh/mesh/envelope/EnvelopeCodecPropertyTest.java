package io.nowmesh.mesh.envelope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.mesh.envelope.DecodeResult.DecodeFailure;
import io.nowmesh.mesh.envelope.DecodeResult.Decoded;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class EnvelopeCodecPropertyTest {

  @Property
  void decodeOfEncodeIsIdentity(@ForAll("envelopes") Envelope e) {
    byte[] wire = EnvelopeCodec.encode(e);
    assertEquals(e, assertInstanceOf(Decoded.class, EnvelopeCodec.decode(wire)).envelope());
    assertEquals(true, wire.length <= 250);
  }

  @Property(tries = 2000)
  void garbageNeverThrowsAndAlwaysGetsAResult(@ForAll @Size(max = 300) byte[] garbage) {
    DecodeResult r = EnvelopeCodec.decode(garbage);
    assertNotNull(r);
    if (r instanceof Decoded d) {
      // whatever parses must re-encode to exactly the same bytes: no silent normalisation
      assertArrayEquals(garbage, EnvelopeCodec.encode(d.envelope()));
    }
  }

  @Property(tries = 2000)
  void garbageBehindTheMagicNeverThrows(@ForAll @Size(max = 260) byte[] tail, @ForAll byte versionType) {
    byte[] frame = new byte[tail.length + 2];
    frame[0] = (byte) 0xA7;
    frame[1] = versionType;
    System.arraycopy(tail, 0, frame, 2, tail.length);
    DecodeResult r = EnvelopeCodec.decode(frame);
    if (r instanceof Decoded d) {
      assertArrayEquals(frame, EnvelopeCodec.encode(d.envelope()));
    } else {
      assertNotNull(((DecodeFailure) r).reason());
    }
  }

  @Property
  void refusesAPayloadLargerThanTheRoom(@ForAll("types") MessageType type) {
    byte[] big = new byte[EnvelopeCodec.room(type) + 1];
    long ref = type.hasRef() ? 1 : 0;
    assertThrows(IllegalArgumentException.class,
        () -> new Envelope(type, false, 1, Mac.ZERO, 1, Mac.BROADCAST, ref, big));
  }

  @Provide
  Arbitrary<MessageType> types() {
    return Arbitraries.of(MessageType.class);
  }

  @Provide
  Arbitrary<Envelope> envelopes() {
    Arbitrary<Mac> macs = Arbitraries.longs().between(0, 0xFFFF_FFFF_FFFFL).map(Mac::ofLong);
    Arbitrary<Long> u32 = Arbitraries.longs().between(0, 0xFFFF_FFFFL);
    return Combinators.combine(types(), Arbitraries.of(true, false), Arbitraries.integers().between(0, 255),
            macs, u32, macs, u32, Arbitraries.bytes().array(byte[].class).ofMaxSize(230))
        .as((t, ack, hops, o, id, d, ref, p) -> {
          byte[] payload = p.length > EnvelopeCodec.room(t) ? java.util.Arrays.copyOf(p, EnvelopeCodec.room(t)) : p;
          return new Envelope(t, ack, hops, o, id, d, t.hasRef() ? ref : 0, payload);
        });
  }
}
