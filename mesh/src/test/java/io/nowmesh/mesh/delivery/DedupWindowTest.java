package io.nowmesh.mesh.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowmesh.actors.espnow.Mac;
import org.junit.jupiter.api.Test;

class DedupWindowTest {
  static final Mac A = Mac.parse("24:0a:c4:00:00:01");

  @Test
  void suppressesADuplicateWithinTheWindowOnly() {
    DedupWindow<MessageKey> w = new DedupWindow<>(1000, 100);
    assertTrue(w.firstSighting(MessageKey.envelope(A, 1), 0));
    assertFalse(w.firstSighting(MessageKey.envelope(A, 1), 999));
    assertTrue(w.firstSighting(MessageKey.envelope(A, 2), 999));
    assertTrue(w.firstSighting(MessageKey.envelope(A, 1), 1001), "forgotten after the window");
  }

  @Test
  void staysBoundedAndForgetsTheOldestFirst() {
    DedupWindow<MessageKey> w = new DedupWindow<>(60_000, 3);
    for (int i = 0; i < 10; i++) {
      assertTrue(w.firstSighting(MessageKey.envelope(A, i), i));
      assertTrue(w.size() <= 3);
    }
    assertFalse(w.firstSighting(MessageKey.envelope(A, 9), 10));
    assertTrue(w.firstSighting(MessageKey.envelope(A, 0), 11));
  }

  @Test
  void rawKeysDependOnSourceAndPayload() {
    Mac b = Mac.parse("24:0a:c4:00:00:02");
    assertEquals(MessageKey.raw(A, new byte[] {1, 2}), MessageKey.raw(A, new byte[] {1, 2}));
    assertNotEquals(MessageKey.raw(A, new byte[] {1, 2}), MessageKey.raw(b, new byte[] {1, 2}));
    assertNotEquals(MessageKey.raw(A, new byte[] {1, 2}), MessageKey.raw(A, new byte[] {1, 3}));
    assertNotEquals(MessageKey.raw(A, new byte[] {1}), MessageKey.envelope(A, 1));
  }
}
