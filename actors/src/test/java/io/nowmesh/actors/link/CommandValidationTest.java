package io.nowmesh.actors.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowmesh.actors.espnow.EspNowError;
import io.nowmesh.actors.espnow.EspNowException;
import io.nowmesh.actors.espnow.Key;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.actors.espnow.PeerOptions;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every protocol rule is refused with the status the radio would answer, naming the rule. */
class CommandValidationTest {
  private static final Mac PEER = Mac.parse("24:0a:c4:ab:cd:ef");

  private static EspNowException refused(EspNowError expected, org.junit.jupiter.api.function.Executable e) {
    EspNowException ex = assertThrows(EspNowException.class, e);
    assertEquals(expected, ex.error(), ex.getMessage());
    return ex;
  }

  private static Frame raw(CommandType t, String payloadHex) {
    return Frame.of(t.code(), 1, HexFormat.of().parseHex(payloadHex));
  }

  @Test
  void sendRefusesMoreThan250Bytes() {
    EspNowException ex = refused(EspNowError.ESP_ERR_ESPNOW_ARG,
        () -> Command.Send.to(PEER, Bytes.of(new byte[251]), true));
    assertTrue(ex.getMessage().contains("MAX_DATA_LEN"));
    // and on the wire
    byte[] p = new byte[1 + 6 + 251];
    p[0] = 1;
    PEER.writeTo(p, 1);
    refused(EspNowError.ESP_ERR_ESPNOW_ARG, () -> MessageCodec.decode(Frame.of(0x30, 1, p)));
  }

  @Test
  void sendToAllIgnoresTheMac() {
    assertEquals(Mac.ZERO, new Command.Send(true, true, PEER, Bytes.EMPTY).mac());
  }

  @Test
  void peerRecordsRefuseEncryptionToGroupAddresses() {
    Key lmk = Key.lmk(new byte[16]);
    refused(EspNowError.ESP_ERR_ESPNOW_ARG, () -> new PeerRecord(Mac.BROADCAST, PeerOptions.encrypted(lmk)));
    refused(EspNowError.ESP_ERR_ESPNOW_ARG,
        () -> new PeerRecord(Mac.parse("33:33:00:00:00:01"), PeerOptions.encrypted(lmk)));
    // lmk without encrypt on a group MAC is refused too
    refused(EspNowError.ESP_ERR_ESPNOW_ARG, () -> new PeerRecord(Mac.BROADCAST,
        new PeerOptions(java.util.Optional.of(lmk), 0, io.nowmesh.actors.espnow.Interface.STA, false)));
  }

  @Test
  void peerRecordsOnTheWireAreValidated() {
    // mac flags channel ifidx
    refused(EspNowError.ESP_ERR_ESPNOW_ARG, () -> MessageCodec.decode(raw(CommandType.ADD_PEER, "240ac4abcdef000f00")));
    refused(EspNowError.ESP_ERR_ESPNOW_ARG, () -> MessageCodec.decode(raw(CommandType.ADD_PEER, "240ac4abcdef000002")));
    refused(EspNowError.ESP_ERR_ESPNOW_ARG, () -> MessageCodec.decode(raw(CommandType.ADD_PEER, "240ac4abcdef010000")));
    refused(EspNowError.ESP_ERR_ESPNOW_ARG, () -> MessageCodec.decode(raw(CommandType.ADD_PEER, "240ac4abcdef040000")));
    refused(EspNowError.ESP_ERR_ESPNOW_ARG, () -> MessageCodec.decode(
        raw(CommandType.ADD_PEER, "ffffffffffff030000" + "00".repeat(16))));
    refused(EspNowError.BAD_LENGTH, () -> MessageCodec.decode(raw(CommandType.ADD_PEER, "240ac4abcdef020000" + "00")));
    refused(EspNowError.BAD_LENGTH, () -> MessageCodec.decode(raw(CommandType.DEL_PEER, "240ac4abcd")));
  }

  @Test
  void setPmkNeeds16BytesAndAPmk() {
    refused(EspNowError.BAD_LENGTH, () -> MessageCodec.decode(raw(CommandType.SET_PMK, "00".repeat(15))));
    refused(EspNowError.BAD_LENGTH, () -> MessageCodec.decode(raw(CommandType.SET_PMK, "00".repeat(17))));
    refused(EspNowError.ESP_ERR_ESPNOW_ARG, () -> new Command.SetPmk(Key.lmk(new byte[16])));
  }

  @Test
  void configRules() {
    refused(EspNowError.ESP_ERR_ESPNOW_ARG, () -> MessageCodec.decode(raw(CommandType.CONFIG_GET, "09")));
    refused(EspNowError.BAD_LENGTH, () -> MessageCodec.decode(raw(CommandType.CONFIG_SET, "")));
    refused(EspNowError.BAD_LENGTH, () -> MessageCodec.decode(raw(CommandType.CONFIG_SET, "0100")));
    refused(EspNowError.BAD_LENGTH, () -> new Command.ConfigSet(List.of()));
    refused(EspNowError.BAD_LENGTH, () -> new Command.ConfigSet(List.of(new ConfigValue(ConfigParam.RXBUF, 1),
        new ConfigValue(ConfigParam.RXBUF, 1), new ConfigValue(ConfigParam.RXBUF, 1),
        new ConfigValue(ConfigParam.RXBUF, 1), new ConfigValue(ConfigParam.RXBUF, 1))));
  }

  @Test
  void pingCarriesAtMost64Bytes() {
    refused(EspNowError.BAD_LENGTH, () -> new Command.Ping(Bytes.of(new byte[65])));
    refused(EspNowError.BAD_LENGTH, () -> MessageCodec.decode(raw(CommandType.PING, "00".repeat(65))));
  }

  @Test
  void unknownTypesAndVersions() {
    refused(EspNowError.UNKNOWN_COMMAND, () -> MessageCodec.decode(Frame.of(0x3F, 1, new byte[0])));
    refused(EspNowError.UNKNOWN_COMMAND, () -> MessageCodec.decode(Frame.of(0x7F, 1, new byte[0])));
    refused(EspNowError.VERSION_MISMATCH, () -> MessageCodec.decode(new Frame(2, 0x31, 1, new byte[0])));
    refused(EspNowError.BAD_LENGTH, () -> MessageCodec.decode(raw(CommandType.STATS, "00")));
    refused(EspNowError.BAD_LENGTH, () -> MessageCodec.decode(raw(CommandType.HELLO, "")));
  }

  @Test
  void inconsistentRepliesAreArgErrorsNotCrashes() {
    // PEER_COUNT reply: status OK, total 1, encrypted 5
    refused(EspNowError.ESP_ERR_ESPNOW_ARG,
        () -> MessageCodec.decode(Frame.of(0xA5, 1, HexFormat.of().parseHex("00000105"))));
    refused(EspNowError.BAD_LENGTH, () -> MessageCodec.decode(Frame.of(0xB1, 1, HexFormat.of().parseHex("0000"))));
  }

  @Test
  void replyDetailIsCutAt96Bytes() {
    Reply r = Reply.error(1, CommandType.SEND, EspNowError.FAILED, "é".repeat(60));
    assertTrue(r.detail().getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= Reply.MAX_DETAIL);
    assertEquals(48, r.detail().length());
    assertThrows(IllegalArgumentException.class, () -> Reply.ok(1, CommandType.SEND, ReplyBody.Empty.INSTANCE));
    EspNowException ex = refused(EspNowError.ESP_ERR_ESPNOW_FULL,
        () -> Reply.error(1, CommandType.ADD_PEER, EspNowError.ESP_ERR_ESPNOW_FULL, "")
            .bodyAs(ReplyBody.Empty.class));
    assertTrue(ex.getMessage().contains("ESP_ERR_ESPNOW_FULL"));
  }
}
