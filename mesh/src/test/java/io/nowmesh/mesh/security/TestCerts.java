package io.nowmesh.mesh.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Makes a CA and gateway keystores at test time by running scripts/make-certs.sh, so no private key
 * is ever committed and the script itself is exercised by every TLS test.
 */
final class TestCerts {
  final Path dir;
  final String keyStorePassword;
  final String trustStorePassword;

  private TestCerts(Path dir, String keyStorePassword, String trustStorePassword) {
    this.dir = dir;
    this.keyStorePassword = keyStorePassword;
    this.trustStorePassword = trustStorePassword;
  }

  /** Runs the script with passwords passed through the environment, as an operator would. */
  static TestCerts make(Path dir, String keyStorePassword, String trustStorePassword, String... gateways)
      throws IOException, InterruptedException {
    run(dir, keyStorePassword, trustStorePassword, gateways);
    return new TestCerts(dir, keyStorePassword, trustStorePassword);
  }

  /** Lets the script generate the passwords into 0600 files next to the stores. */
  static TestCerts makeWithGeneratedPasswords(Path dir, String... gateways)
      throws IOException, InterruptedException {
    run(dir, null, null, gateways);
    return new TestCerts(dir, null, null);
  }

  private static void run(Path dir, String keyStorePassword, String trustStorePassword, String... gateways)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("bash", script().toString(), dir.toString()));
    cmd.addAll(List.of(gateways));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("NOWMESH_TLS_KEY_STORE_PASSWORD");
    pb.environment().remove("NOWMESH_TLS_TRUST_STORE_PASSWORD");
    if (keyStorePassword != null) {
      pb.environment().put("NOWMESH_TLS_KEY_STORE_PASSWORD", keyStorePassword);
      pb.environment().put("NOWMESH_TLS_TRUST_STORE_PASSWORD", trustStorePassword);
    }
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException("make-certs.sh failed: " + new String(out, StandardCharsets.UTF_8));
    }
  }

  Path keyStore(String gateway) {
    return dir.resolve(gateway + ".p12");
  }

  Path trustStore() {
    return dir.resolve("truststore.p12");
  }

  /** HOCON for {@code nowmesh.mesh.tls} with this gateway's keystore and a given truststore. */
  String tlsConfig(String gateway, TestCerts trustFrom) {
    return "nowmesh.mesh.tls {\n"
        + "  enabled = on\n"
        + "  key-store = " + quote(keyStore(gateway).toString()) + "\n"
        + "  key-store-password = " + quote(keyStorePassword) + "\n"
        + "  trust-store = " + quote(trustFrom.trustStore().toString()) + "\n"
        + "  trust-store-password = " + quote(trustFrom.trustStorePassword) + "\n"
        + "}\n";
  }

  static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** scripts/make-certs.sh, found from the module directory surefire runs in. */
  static Path script() {
    Path d = Path.of("").toAbsolutePath();
    for (; d != null; d = d.getParent()) {
      Path s = d.resolve("scripts/make-certs.sh");
      if (Files.isRegularFile(s)) {
        return s;
      }
    }
    throw new IllegalStateException("scripts/make-certs.sh not found above " + Path.of("").toAbsolutePath());
  }
}
