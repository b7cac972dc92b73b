package io.nowmesh.mesh.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rules of {@code nowmesh.mesh.tls}: each refusal names its setting and never a password. */
class TlsSettingsTest {
  private static final String KS_PW = "unit-ks-pw-1a2b3c";
  private static final String TS_PW = "unit-ts-pw-4d5e6f";
  private static final String ENGINE = "akka.remote.artery.ssl.config-ssl-engine.";

  @TempDir static Path tmp;
  private static TestCerts certs;

  @BeforeAll
  static void makeCerts() throws Exception {
    certs = TestCerts.make(tmp.resolve("certs"), KS_PW, TS_PW, "gw-1");
  }

  private static Config tls(String extra) {
    return ConfigFactory.parseString(certs.tlsConfig("gw-1", certs) + "nowmesh.mesh.tls {\n" + extra + "\n}\n");
  }

  private static TlsSettingsException refused(String setting, Config config) {
    TlsSettingsException e = assertThrows(TlsSettingsException.class, () -> TlsSettings.from(config));
    assertEquals(setting, e.setting(), e.getMessage());
    assertFalse(e.getMessage().contains(KS_PW) || e.getMessage().contains(TS_PW), e.getMessage());
    return e;
  }

  @Test
  void offByDefaultAndThenTouchesNothing() {
    TlsSettings s = TlsSettings.from(ConfigFactory.empty());
    assertFalse(s.enabled());
    assertTrue(s.akkaOverlay().isEmpty());
    assertEquals("TlsSettings[enabled=false]", s.toString());
  }

  @Test
  void enabledGivesArteryTlsWithMutualAuthentication() {
    TlsSettings s = TlsSettings.from(tls(""));
    Config overlay = s.akkaOverlay();
    assertEquals("tls-tcp", overlay.getString("akka.remote.artery.transport"));
    assertTrue(overlay.getBoolean(ENGINE + "require-mutual-authentication"));
    assertTrue(overlay.getBoolean(ENGINE + "hostname-verification"));
    assertEquals("TLSv1.3", overlay.getString(ENGINE + "protocol"));
    assertEquals(certs.keyStore("gw-1").toString(), overlay.getString(ENGINE + "key-store"));
    assertEquals(KS_PW, overlay.getString(ENGINE + "key-store-password"));
    assertEquals(KS_PW, overlay.getString(ENGINE + "key-password"), "key password defaults to the store's");
    assertEquals(TS_PW, overlay.getString(ENGINE + "trust-store-password"));
    Config applied = s.applyTo(ConfigFactory.parseString("akka.remote.artery.transport = tcp"));
    assertEquals("tls-tcp", applied.getString("akka.remote.artery.transport"));
  }

  @Test
  void detectsASystemStartedWithoutTheOverlay() {
    Config app = tls("").withFallback(ConfigFactory.parseString("akka.remote.artery.transport = tcp"));
    TlsSettingsException e = assertThrows(TlsSettingsException.class, () -> TlsSettings.requireApplied(app));
    assertEquals("nowmesh.mesh.tls.enabled", e.setting());
    TlsSettings.requireApplied(TlsSettings.from(app).applyTo(app));
    TlsSettings.requireApplied(ConfigFactory.parseString("akka.remote.artery.transport = tcp"));
  }

  @Test
  void toStringRedactsPasswords() {
    String text = TlsSettings.from(tls("")).toString();
    assertFalse(text.contains(KS_PW) || text.contains(TS_PW), text);
    assertTrue(text.contains("keyStorePassword=(redacted)"), text);
  }

  @Test
  void readsPasswordsFromFilesIgnoringTheLineEnd() throws Exception {
    Path ks = Files.writeString(tmp.resolve("ks.pw"), KS_PW + "\n");
    Path ts = Files.writeString(tmp.resolve("ts.pw"), TS_PW + "\r\n");
    String hocon = certs.tlsConfig("gw-1", certs)
        .replace("key-store-password = " + TestCerts.quote(KS_PW),
            "key-store-password-file = " + TestCerts.quote(ks.toString()))
        .replace("trust-store-password = " + TestCerts.quote(TS_PW),
            "trust-store-password-file = " + TestCerts.quote(ts.toString()));
    Config overlay = TlsSettings.from(ConfigFactory.parseString(hocon)).akkaOverlay();
    assertEquals(KS_PW, overlay.getString(ENGINE + "key-store-password"));
    assertEquals(TS_PW, overlay.getString(ENGINE + "trust-store-password"));
  }

  @Test
  void scriptWritesGeneratedPasswordsOwnerOnly() throws Exception {
    TestCerts generated = TestCerts.makeWithGeneratedPasswords(tmp.resolve("generated"), "gw-g");
    Path pw = generated.dir.resolve("gw-g.p12.password");
    assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
        Files.getPosixFilePermissions(pw));
    assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
        Files.getPosixFilePermissions(generated.dir.resolve("ca.key")));
    String hocon = "nowmesh.mesh.tls { enabled = on\n"
        + " key-store = " + TestCerts.quote(generated.keyStore("gw-g").toString()) + "\n"
        + " key-store-password-file = " + TestCerts.quote(pw.toString()) + "\n"
        + " trust-store = " + TestCerts.quote(generated.trustStore().toString()) + "\n"
        + " trust-store-password-file = "
        + TestCerts.quote(generated.dir.resolve("truststore.p12.password").toString()) + " }";
    assertTrue(TlsSettings.from(ConfigFactory.parseString(hocon)).enabled());
  }

  @Test
  void refusesAWrongKeyStorePassword() {
    refused("nowmesh.mesh.tls.key-store",
        ConfigFactory.parseString(certs.tlsConfig("gw-1", certs).replace(KS_PW, "not-the-password")));
  }

  @Test
  void refusesAWrongTrustStorePassword() {
    refused("nowmesh.mesh.tls.trust-store",
        ConfigFactory.parseString(certs.tlsConfig("gw-1", certs).replace(TS_PW, "not-the-password")));
  }

  @Test
  void refusesATrustStoreAsKeyStore() {
    refused("nowmesh.mesh.tls.key-store", tls("key-store = " + TestCerts.quote(certs.trustStore().toString())
        + "\nkey-store-password = " + TestCerts.quote(TS_PW)));
  }

  @Test
  void refusesMissingStoresAndPasswords() {
    refused("nowmesh.mesh.tls.key-store", tls("key-store = \"\""));
    refused("nowmesh.mesh.tls.trust-store", tls("trust-store = \"/nonexistent/truststore.p12\""));
    refused("nowmesh.mesh.tls.key-store-password", tls("key-store-password = \"\""));
    refused("nowmesh.mesh.tls.key-store-password", tls("key-store-password-file = \"/etc/hostname\""));
    refused("nowmesh.mesh.tls.trust-store-password-file",
        tls("trust-store-password = \"\"\ntrust-store-password-file = \"/nonexistent\""));
  }

  @Test
  void refusesDevicesAndHugeFilesWithoutReadingThem() {
    refused("nowmesh.mesh.tls.key-store", tls("key-store = \"/dev/zero\""));
    refused("nowmesh.mesh.tls.trust-store-password-file",
        tls("trust-store-password = \"\"\ntrust-store-password-file = \"/dev/urandom\""));
  }

  @Test
  void refusesProtocolsAndSuitesThatCannotWork() {
    refused("nowmesh.mesh.tls.protocol", tls("protocol = \"TLSv1.1\""));
    refused("nowmesh.mesh.tls.enabled-algorithms", tls("enabled-algorithms = []"));
    refused("nowmesh.mesh.tls.enabled-algorithms", tls("enabled-algorithms = [\"TLS_NO_SUCH_SUITE\"]"));
    refused("nowmesh.mesh.tls.enabled-algorithms",
        tls("enabled-algorithms = [\"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256\"]"));
    TlsSettings tls12 = TlsSettings.from(tls("protocol = \"TLSv1.2\""));
    assertEquals("TLSv1.2", tls12.protocol());
  }

  @Test
  void refusesWrongTypesNamingTheSetting() {
    refused("nowmesh.mesh.tls.enabled", ConfigFactory.parseString("nowmesh.mesh.tls.enabled = maybe"));
    refused("nowmesh.mesh.tls.enabled-algorithms", tls("enabled-algorithms = {a = 1}"));
    refused("nowmesh.mesh.tls", ConfigFactory.parseString("nowmesh.mesh.tls = [1, 2]"));
  }

  @Test
  void shippedDefaultsHoldEverySetting() {
    Config reference = TlsSettings.reference().resolve().getConfig(TlsSettings.PATH);
    for (String key : List.of("enabled", "key-store", "key-store-password", "key-store-password-file",
        "key-password", "trust-store", "trust-store-password", "trust-store-password-file", "protocol",
        "enabled-algorithms", "hostname-verification")) {
      assertTrue(reference.hasPath(key), key);
    }
  }
}
