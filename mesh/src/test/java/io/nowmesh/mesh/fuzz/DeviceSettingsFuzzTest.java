package io.nowmesh.mesh.fuzz;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.nowmesh.actors.device.DeviceSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Fuzzes the device settings loader ({@code nowmesh.device}, actors module) with arbitrary HOCON laid
 * over the shipped defaults. Properties: {@link DeviceSettings#from} either refuses with the config
 * library's {@link ConfigException} (which names the path) or an {@link IllegalArgumentException}
 * naming {@code nowmesh.device}, or returns settings a device actor can run with: no negative
 * durations, backoff minimums not above their maximums.
 */
class DeviceSettingsFuzzTest {
  private static final Config REFERENCE = ConfigFactory.defaultReference();

  @FuzzTest(maxDuration = "10m")
  void loadsUsableSettingsOrRefuses(byte[] input) {
    Config config;
    try {
      config = ConfigFactory.parseString(new String(input, StandardCharsets.UTF_8), NoIncludes.OPTIONS)
          .withFallback(REFERENCE).resolve();
    } catch (ConfigException e) {
      return; // not HOCON, or a substitution that does not resolve: refused before the loader
    }
    DeviceSettings s;
    try {
      s = DeviceSettings.from(config);
    } catch (ConfigException e) {
      return;
    } catch (IllegalArgumentException e) {
      assertTrue(String.valueOf(e.getMessage()).contains(DeviceSettings.PATH), "unnamed refusal: " + e);
      return;
    }
    for (Duration d : new Duration[] {s.commandTimeout(), s.syncSendTimeout(), s.retryMinBackoff(),
        s.retryMaxBackoff(), s.reconnectMinBackoff(), s.reconnectMaxBackoff(), s.reconnectQueueTimeout(),
        s.childMinBackoff(), s.childMaxBackoff(), s.helloTimeout(), s.managerRescanInterval()}) {
      assertFalse(d.isNegative(), "accepted a negative duration: " + s);
    }
    assertFalse(s.retryMinBackoff().compareTo(s.retryMaxBackoff()) > 0, "retry min > max: " + s);
    assertFalse(s.reconnectMinBackoff().compareTo(s.reconnectMaxBackoff()) > 0, "reconnect min > max: " + s);
    assertFalse(s.childMinBackoff().compareTo(s.childMaxBackoff()) > 0, "child-restart min > max: " + s);
  }
}
