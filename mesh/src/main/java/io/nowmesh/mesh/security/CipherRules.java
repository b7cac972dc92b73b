package io.nowmesh.mesh.security;

import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;

/** Checks that the protocol and cipher suites fit together and that this JDK offers them. */
final class CipherRules {
  private CipherRules() {}

  static void check(String base, String protocol, Set<String> protocols, List<String> algorithms) {
    if (!protocols.contains(protocol)) {
      throw new TlsSettingsException(base + ".protocol", "must be one of " + protocols.stream().sorted().toList());
    }
    if (algorithms.isEmpty()) {
      throw new TlsSettingsException(base + ".enabled-algorithms", "must list at least one cipher suite");
    }
    Set<String> supported = supportedSuites();
    boolean usable = false;
    for (String suite : algorithms) {
      if (!supported.contains(suite)) {
        // The name comes from config, so cap it before quoting it.
        String shown = suite.length() > 64 ? suite.substring(0, 64) + "..." : suite;
        throw new TlsSettingsException(base + ".enabled-algorithms",
            "lists a cipher suite this JVM does not support: " + printable(shown));
      }
      usable |= isTls13Suite(suite) == protocol.equals("TLSv1.3");
    }
    if (!usable) {
      throw new TlsSettingsException(base + ".enabled-algorithms",
          "has no cipher suite for " + protocol + " (TLS 1.3 suites are TLS_AES_* and TLS_CHACHA20_*)");
    }
  }

  /** TLS 1.3 suites carry no key-exchange part in their names, unlike every TLS 1.2 suite. */
  static boolean isTls13Suite(String suite) {
    return suite.startsWith("TLS_AES_") || suite.startsWith("TLS_CHACHA20_");
  }

  private static Set<String> supportedSuites() {
    try {
      return new HashSet<>(Arrays.asList(
          SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no default SSLContext", e);
    }
  }

  private static String printable(String s) {
    StringBuilder b = new StringBuilder();
    s.codePoints().forEach(c -> b.append(c >= 0x20 && c < 0x7f ? (char) c : '?'));
    return b.toString();
  }
}
