package io.nowmesh.mesh.security;

/**
 * Refused TLS configuration: names the setting (its full config path) and the rule it broke.
 * The message never carries a password or a key, only paths and rules.
 */
public final class TlsSettingsException extends RuntimeException {
  private final String setting;

  public TlsSettingsException(String setting, String rule) {
    super(setting + ": " + rule);
    this.setting = setting;
  }

  /** The full config path of the offending setting, e.g. {@code nowmesh.mesh.tls.key-store}. */
  public String setting() {
    return setting;
  }
}
