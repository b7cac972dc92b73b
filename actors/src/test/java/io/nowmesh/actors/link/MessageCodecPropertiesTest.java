package io.nowmesh.actors.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowmesh.actors.espnow.EspNowError;
import io.nowmesh.actors.espnow.EspNowException;
import io.nowmesh.actors.espnow.Key;
import io.nowmesh.actors.espnow.Mac;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Every message survives encode → wire → decoder → decode unchanged. */
class MessageCodecPropertiesTest {

  @Provide
  Arbitrary<Command> commands() {
    return MessageArbitraries.commands();
  }

  @Provide
  Arbitrary<Reply> replies() {
    return MessageArbitraries.replies();
  }

  @Provide
  Arbitrary<Event> events() {
    return MessageArbitraries.events();
  }

  private static Frame throughWire(Frame f) {
    FrameDecoder d = new FrameDecoder();
    List<Frame> out = new ArrayList<>();
    d.feed(f.toWire(), out::add);
    assertEquals(1, out.size());
    assertEquals(f, out.get(0));
    return out.get(0);
  }

  @Property(tries = 500)
  void commandsRoundTrip(@ForAll("commands") Command c, @ForAll @IntRange(min = 1, max = 0xFFFF) int seq) {
    Frame f = throughWire(MessageCodec.encode(seq, c));
    assertEquals(c.type().code(), f.type());
    assertEquals(seq, f.seq());
    assertEquals(c, MessageCodec.decode(f));
  }

  @Property(tries = 500)
  void repliesRoundTrip(@ForAll("replies") Reply r) {
    Frame f = throughWire(MessageCodec.encode(r));
    assertEquals(r.commandCode() | 0x80, f.type());
    assertEquals(r, MessageCodec.decode(f));
  }

  @Property(tries = 500)
  void eventsRoundTrip(@ForAll("events") Event e, @ForAll @IntRange(min = 0, max = 0xFFFF) int seq) {
    Frame f = throughWire(MessageCodec.encode(seq, e));
    assertEquals(e.type(), f.type());
    assertEquals(e, MessageCodec.decode(f));
  }

  @Property(tries = 300)
  void truncatedCommandPayloadsAreBadLengthOrStillValid(@ForAll("commands") Command c) {
    Frame f = MessageCodec.encode(7, c);
    for (int cut = 0; cut < f.payload().length; cut++) {
      Frame shorter = Frame.of(f.type(), 7, java.util.Arrays.copyOf(f.payload(), cut));
      try {
        MessageCodec.decode(shorter);
      } catch (EspNowException e) {
        assertTrue(e.error() == EspNowError.BAD_LENGTH || e.error() == EspNowError.ESP_ERR_ESPNOW_ARG,
            "unexpected " + e.error());
      }
    }
  }

  @Property(tries = 300)
  void extraBytesAfterFixedPayloadsAreBadLength(@ForAll("commands") Command c) {
    boolean variable = c instanceof Command.Ping || c instanceof Command.Send;
    Frame f = MessageCodec.encode(7, c);
    byte[] longer = java.util.Arrays.copyOf(f.payload(), f.payload().length + 1);
    longer[longer.length - 1] = 1;
    Frame g = Frame.of(f.type(), 7, longer);
    if (variable) {
      return; // trailing bytes are data; a too-long Send/Ping is covered elsewhere
    }
    EspNowException e = assertThrows(EspNowException.class, () -> MessageCodec.decode(g));
    assertTrue(e.error() == EspNowError.BAD_LENGTH || e.error() == EspNowError.ESP_ERR_ESPNOW_ARG, e.toString());
  }

  @Property(tries = 200)
  void randomPayloadsNeverThrowAnythingButEspNowException(@ForAll @IntRange(min = 0, max = 255) int type,
      @ForAll byte[] payload) {
    if (payload.length > Frame.MAX_PAYLOAD) {
      return;
    }
    try {
      MessageCodec.decode(Frame.of(type, 1, payload));
    } catch (EspNowException expected) {
      assertFalse(expected.error() == EspNowError.OK);
    }
  }

  @Property(tries = 50)
  void keysNeverAppearInToString(@ForAll byte[] raw) {
    if (raw.length != 16) {
      return;
    }
    Key lmk = Key.lmk(raw);
    String hex = java.util.HexFormat.of().formatHex(raw);
    Command add = new Command.AddPeer(new PeerRecord(Mac.parse("24:0a:c4:00:00:01"),
        io.nowmesh.actors.espnow.PeerOptions.encrypted(lmk)));
    Command pmk = new Command.SetPmk(Key.pmk(raw));
    for (String s : List.of(add.toString(), pmk.toString(),
        Reply.ok(1, CommandType.GET_PEER, ((Command.AddPeer) add).peer()).toString())) {
      assertFalse(s.contains(hex), s);
      assertTrue(s.contains("redacted"), s);
    }
  }
}
