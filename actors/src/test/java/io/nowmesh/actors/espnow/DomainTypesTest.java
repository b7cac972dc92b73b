package io.nowmesh.actors.espnow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DomainTypesTest {

  private static void assertArg(org.junit.jupiter.api.function.Executable e, String fragment) {
    EspNowException ex = assertThrows(EspNowException.class, e);
    assertEquals(EspNowError.ESP_ERR_ESPNOW_ARG, ex.error());
    assertTrue(ex.getMessage().contains(fragment), ex.getMessage());
    assertTrue(ex.getMessage().startsWith("ESP_ERR_ESPNOW_ARG (0x3066)"), ex.getMessage());
  }

  @Test
  void macParsesAndPrints() {
    Mac m = Mac.parse("24:0A:c4:ab:cd:EF");
    assertEquals("24:0a:c4:ab:cd:ef", m.toString());
    assertEquals(m, Mac.parse("24-0a-c4-ab-cd-ef"));
    assertEquals(m, Mac.of(m.toBytes()));
    assertEquals("240ac4abcdef", m.toHex());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "24:0a:c4:ab:cd", "24:0a:c4:ab:cd:ef:01", "24:0a:c4:ab:cd:eg", "240ac4abcdef",
      "2:0a:c4:ab:cd:ef1"})
  void macRejectsMalformedText(String text) {
    assertArg(() -> Mac.parse(text), "aa:bb:cc:dd:ee:ff");
  }

  @Test
  void macRejectsWrongLengthsAndNull() {
    assertArg(() -> Mac.of(new byte[5]), "6 bytes");
    assertArg(() -> Mac.of((byte[]) null), "6 bytes");
    assertArg(() -> Mac.parse(null), "required");
    assertArg(() -> Mac.ofLong(1L << 48), "48 bits");
  }

  @Test
  void macKnowsBroadcastAndMulticast() {
    assertTrue(Mac.BROADCAST.isBroadcast());
    assertTrue(Mac.BROADCAST.isMulticast());
    assertTrue(Mac.parse("01:00:5e:00:00:2a").isMulticast());
    assertFalse(Mac.parse("01:00:5e:00:00:2a").isBroadcast());
    assertFalse(Mac.parse("24:0a:c4:00:00:01").isGroup());
    assertTrue(Mac.ZERO.isZero());
  }

  @Property(tries = 200)
  void macRoundTripsThroughTextAndBytes(@ForAll @LongRange(min = 0, max = 0xFFFF_FFFF_FFFFL) long v) {
    Mac m = Mac.ofLong(v);
    assertEquals(m, Mac.parse(m.toString()));
    assertEquals(m, Mac.of(m.toBytes()));
    assertEquals(v, m.toLong());
  }

  @Test
  void keysMustBe16BytesAndAreRedacted() {
    assertArg(() -> Key.lmk(new byte[15]), "16 bytes");
    assertArg(() -> Key.pmk(new byte[17]), "16 bytes");
    assertArg(() -> Key.fromHex(Key.Kind.LMK, "00"), "32 hex digits");
    assertArg(() -> Key.fromHex(Key.Kind.LMK, "zz112233445566778899aabbccddeeff"), "hex");
    Key k = Key.fromHex(Key.Kind.LMK, "00112233445566778899aabbccddeeff");
    assertFalse(k.toString().contains("0011"));
    assertTrue(k.toString().contains("redacted"));
    assertEquals(8, k.fingerprint().length());
    assertEquals(k, Key.lmk(k.toBytes()));
    assertFalse(k.equals(Key.pmk(k.toBytes())), "a PMK and an LMK are different keys");
  }

  @Test
  void peerOptionsEnforceTheApiRules() {
    Key lmk = Key.lmk(new byte[16]);
    assertArg(() -> new PeerOptions(Optional.empty(), 15, Interface.STA, false), "channel");
    assertArg(() -> new PeerOptions(Optional.empty(), -1, Interface.STA, false), "channel");
    assertArg(() -> new PeerOptions(Optional.empty(), 0, Interface.STA, true), "lmk");
    assertArg(() -> new PeerOptions(Optional.of(Key.pmk(new byte[16])), 0, Interface.STA, false), "LMK");
    assertArg(() -> Interface.fromIfidx(2), "ifidx");
    assertArg(() -> PeerOptions.encrypted(lmk).validateFor(Mac.BROADCAST), "cannot be encrypted");
    assertArg(() -> PeerOptions.encrypted(lmk).validateFor(Mac.parse("01:00:5e:00:00:01")), "cannot be encrypted");
    assertEquals(14, PeerOptions.DEFAULT.withChannel(14).channel());
    assertEquals(Interface.AP, PeerOptions.DEFAULT.withInterface(Interface.AP).ifidx());
    assertFalse(PeerOptions.encrypted(lmk).toString().contains("00000000"));
  }

  @Test
  void errorCodesAreTheEspIdfNumbers() {
    assertEquals(EspNowError.ESP_ERR_ESPNOW_BASE + 1, EspNowError.ESP_ERR_ESPNOW_NOT_INIT.code());
    assertEquals(EspNowError.ESP_ERR_ESPNOW_BASE + 4, EspNowError.ESP_ERR_ESPNOW_FULL.code());
    assertEquals(EspNowError.ESP_ERR_ESPNOW_BASE + 9, EspNowError.ESP_ERR_ESPNOW_CHAN.code());
    for (EspNowError e : EspNowError.values()) {
      assertEquals(e, EspNowError.fromCode(e.code()));
    }
    assertEquals(EspNowError.FAILED, EspNowError.fromCode(0x1234));
    assertEquals("ESP_ERR_ESPNOW_FULL (0x3068)", EspNowError.ESP_ERR_ESPNOW_FULL.label());
    assertTrue(EspNowError.BUSY.isTransient());
    assertFalse(EspNowError.ESP_ERR_ESPNOW_ARG.isTransient());
  }
}
