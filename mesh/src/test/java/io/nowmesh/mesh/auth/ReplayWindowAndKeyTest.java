package io.nowmesh.mesh.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.nowmesh.actors.espnow.EspNowError;
import io.nowmesh.actors.espnow.EspNowException;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.mesh.MeshSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayWindowAndKeyTest {
  static final Mac A = Mac.parse("24:0a:c4:00:00:01");
  static final Mac B = Mac.parse("24:0a:c4:00:00:02");
  static final String HEX = "000102030405060708090a0b0c0d0e0f";

  @Test
  void acceptsEachCounterOnceAndOutOfOrderWithinTheWindow() {
    ReplayWindow w = new ReplayWindow(8);
    assertTrue(w.accept(A, 100));
    assertFalse(w.accept(A, 100));
    assertTrue(w.accept(A, 105));
    assertTrue(w.accept(A, 103), "late but within the window and unseen");
    assertFalse(w.accept(A, 103));
    assertTrue(w.accept(A, 105 + ReplayWindow.WIDTH));
    assertFalse(w.accept(A, 105), "fell behind the window");
    assertTrue(w.accept(B, 1), "each origin has its own window");
  }

  @Test
  void tracksAtMostMaxOrigins() {
    ReplayWindow w = new ReplayWindow(3);
    for (int i = 0; i < 1000; i++) {
      w.accept(Mac.ofLong(0x24_0a_c4_00_00_00L | i), 1);
      assertTrue(w.trackedOrigins() <= 3);
    }
  }

  @Test
  void keyIsRedactedAndRefusesWrongLengthsByRule() {
    MeshKey k = MeshKey.fromHex(HEX);
    assertFalse(k.toString().contains(HEX));
    assertFalse(k.toString().contains("0102"));
    assertEquals(32, MeshKey.fromHex(HEX + HEX).length());
    EspNowException e = assertThrows(EspNowException.class, () -> MeshKey.fromHex("0011"));
    assertEquals(EspNowError.ESP_ERR_ESPNOW_ARG, e.error());
    assertThrows(EspNowException.class, () -> MeshKey.of(new byte[24]));
    assertThrows(EspNowException.class, () -> MeshKey.fromHex("zz" + HEX.substring(2)));
  }

  @Test
  void settingsReadTheKeyFromConfigOrFileAndNeverPrintIt(@TempDir Path dir) throws Exception {
    MeshSettings fromConfig = MeshSettings.from(ConfigFactory.parseString("nowmesh.mesh.auth.key = \"" + HEX + "\"")
        .withFallback(ConfigFactory.load()));
    assertEquals(MeshKey.fromHex(HEX), fromConfig.authKey().orElseThrow());
    assertFalse(fromConfig.toString().contains(HEX), fromConfig.toString());
    Path file = dir.resolve("mesh.key");
    Files.writeString(file, HEX + HEX + "\n");
    MeshSettings fromFile = MeshSettings.from(ConfigFactory.parseString(
        "nowmesh.mesh.auth.key-file = \"" + file.toString().replace("\\", "/") + "\"").withFallback(ConfigFactory.load()));
    assertEquals(32, fromFile.authKey().orElseThrow().length());
    assertTrue(MeshSettings.from(ConfigFactory.load()).authKey().isEmpty() || System.getenv("NOWMESH_MESH_KEY") != null
        || System.getenv("NOWMESH_MESH_KEY_FILE") != null);
  }
}
