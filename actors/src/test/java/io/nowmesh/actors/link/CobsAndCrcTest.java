package io.nowmesh.actors.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class CobsAndCrcTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void crc32cHasTheCastagnoliCheckValue() {
    assertEquals(0xE3069283, Crc32c.compute("123456789".getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void cobsMatchesTheCanonicalExamples() {
    assertEquals("0101", HEX.formatHex(Cobs.encode(HEX.parseHex("00"))));
    assertEquals("010101", HEX.formatHex(Cobs.encode(HEX.parseHex("0000"))));
    assertEquals("0311220244", HEX.formatHex(Cobs.encode(HEX.parseHex("11220044"))));
    assertEquals("0511223344", HEX.formatHex(Cobs.encode(HEX.parseHex("11223344"))));
    assertEquals("01", HEX.formatHex(Cobs.encode(new byte[0])));
  }

  @Test
  void aBodyEndingAtA254ByteBlockGetsAFinalCodeByte() {
    byte[] run = new byte[254];
    java.util.Arrays.fill(run, (byte) 7);
    byte[] enc = Cobs.encode(run);
    assertEquals(256, enc.length);
    assertEquals((byte) 0xFF, enc[0]);
    assertEquals(1, enc[255]);
    assertArrayEquals(run, Cobs.decode(enc));
    // the decoder also accepts the form without the final 0x01
    assertArrayEquals(run, Cobs.decode(java.util.Arrays.copyOf(enc, 255)));
  }

  @Test
  void invalidCobsIsRejectedNotThrown() {
    assertNull(Cobs.decode(HEX.parseHex("05010203")), "code points past the end");
    assertNull(Cobs.decode(HEX.parseHex("030100")), "zero inside a frame");
  }

  @Property(tries = 500)
  void cobsRoundTripsAndNeverEmitsZero(@ForAll @Size(max = 1100) byte[] data) {
    byte[] enc = Cobs.encode(data);
    for (byte b : enc) {
      assertTrue(b != 0);
    }
    assertTrue(enc.length <= Cobs.maxEncodedLength(data.length));
    assertArrayEquals(data, Cobs.decode(enc));
  }

  @Property(tries = 500)
  void cobsDecodeOfGarbageNeverThrows(@ForAll @Size(max = 600) byte[] garbage) {
    Cobs.decode(garbage);
    Cobs.decode(garbage, 0, garbage.length, new byte[8], 0); // too small a destination: -1, not an exception
  }
}
