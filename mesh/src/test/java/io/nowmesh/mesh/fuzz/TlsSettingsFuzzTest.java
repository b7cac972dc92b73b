package io.nowmesh.mesh.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.nowmesh.mesh.security.TlsSettings;
import io.nowmesh.mesh.security.TlsSettingsException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzzes the TLS config loader with arbitrary HOCON text. Properties: {@link TlsSettings#from}
 * either succeeds or throws {@link TlsSettingsException} naming a {@code nowmesh.mesh.tls} setting;
 * no error message and no {@code toString} shows a configured password; an enabled result always
 * demands mutual authentication. Seeds: {@code TlsSettingsFuzzTestInputs/loadsOrRefusesWithTypedError}.
 */
class TlsSettingsFuzzTest {
  @FuzzTest(maxDuration = "10m")
  void loadsOrRefusesWithTypedError(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    Config config;
    try {
      config = ConfigFactory.parseString(text, NoIncludes.OPTIONS);
    } catch (ConfigException e) {
      return; // not HOCON: the parser's documented error, before our loader is involved
    }
    List<String> secrets = secretsIn(config);
    try {
      TlsSettings settings = TlsSettings.from(config);
      assertNoSecret(secrets, settings.toString(), config);
      if (settings.enabled()) {
        Config overlay = settings.akkaOverlay();
        assertEquals("tls-tcp", overlay.getString("akka.remote.artery.transport"));
        assertTrue(overlay.getBoolean(
            "akka.remote.artery.ssl.config-ssl-engine.require-mutual-authentication"));
      } else {
        assertTrue(settings.akkaOverlay().isEmpty(), "TLS off must not touch Akka's settings");
      }
    } catch (TlsSettingsException e) {
      assertTrue(e.setting().startsWith(TlsSettings.PATH), "names a TLS setting: " + e.setting());
      assertNoSecret(secrets, e.getMessage(), config);
    }
  }

  /** Password values long enough that finding one by accident in a message is implausible. */
  private static List<String> secretsIn(Config config) {
    List<String> out = new ArrayList<>();
    for (String key : List.of("key-store-password", "key-password", "trust-store-password")) {
      String path = TlsSettings.PATH + "." + key;
      try {
        if (config.hasPath(path)) {
          String v = config.getString(path);
          if (v.length() >= 12) {
            out.add(v);
          }
        }
      } catch (ConfigException e) {
        // not a resolvable string: the loader will refuse it, nothing to look for
      }
    }
    return out;
  }

  /** Fails if a secret shows up, unless the same text was also configured as a non-secret value. */
  private static void assertNoSecret(List<String> secrets, String shown, Config config) {
    String visible = nonSecretText(config);
    for (String s : secrets) {
      assertFalse(shown.contains(s) && !visible.contains(s), "a password appears in: " + shown);
    }
  }

  private static String nonSecretText(Config config) {
    StringBuilder b = new StringBuilder();
    for (String key : List.of("key-store", "trust-store", "protocol", "enabled-algorithms",
        "key-store-password-file", "trust-store-password-file")) {
      try {
        b.append(config.getValue(TlsSettings.PATH + "." + key).unwrapped()).append('\n');
      } catch (ConfigException e) {
        // absent or unresolvable: contributes no text
      }
    }
    return b.toString();
  }
}
