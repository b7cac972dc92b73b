package io.nowmesh.mesh.security;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * TLS between gateways, read once from {@code nowmesh.mesh.tls} (defaults in
 * {@code nowmesh-tls-reference.conf}). When enabled, {@link #akkaOverlay()} turns Artery into
 * {@code tls-tcp} with mutual authentication, so only holders of a mesh-CA certificate can connect.
 *
 * <p>{@link #from(Config)} checks everything it can before the ActorSystem starts: that the stores
 * exist, open with their passwords, that the keystore holds a private key and the truststore at least
 * one certificate, and that protocol and cipher suites fit together. A bad setting fails with a
 * {@link TlsSettingsException} naming it, instead of with handshake errors at the first connection.
 * Passwords are never part of {@link #toString()} or of any exception message.
 */
public final class TlsSettings {
  public static final String PATH = "nowmesh.mesh.tls";
  /** The defaults, for callers whose config does not include the mesh module's reference.conf. */
  public static final String REFERENCE_RESOURCE = "nowmesh-tls-reference.conf";

  private static final Set<String> PROTOCOLS = Set.of("TLSv1.3", "TLSv1.2");

  private final boolean enabled;
  private final Path keyStore;
  private final Secret keyStorePassword;
  private final Secret keyPassword;
  private final Path trustStore;
  private final Secret trustStorePassword;
  private final String protocol;
  private final List<String> enabledAlgorithms;
  private final boolean hostnameVerification;

  private TlsSettings(boolean enabled, Path keyStore, Secret keyStorePassword, Secret keyPassword,
      Path trustStore, Secret trustStorePassword, String protocol, List<String> enabledAlgorithms,
      boolean hostnameVerification) {
    this.enabled = enabled;
    this.keyStore = keyStore;
    this.keyStorePassword = keyStorePassword;
    this.keyPassword = keyPassword;
    this.trustStore = trustStore;
    this.trustStorePassword = trustStorePassword;
    this.protocol = protocol;
    this.enabledAlgorithms = List.copyOf(enabledAlgorithms);
    this.hostnameVerification = hostnameVerification;
  }

  /**
   * Reads {@code nowmesh.mesh.tls} from an application config (e.g. {@code system.settings().config()}
   * or {@code ConfigFactory.load()}), falling back to the shipped defaults for missing settings.
   *
   * @throws TlsSettingsException if any setting is missing, malformed or unusable; never another
   *     exception for any config content
   */
  public static TlsSettings from(Config config) {
    Objects.requireNonNull(config, "config");
    Config tls;
    try {
      tls = config.withFallback(reference()).resolve().getConfig(PATH);
    } catch (ConfigException e) {
      throw new TlsSettingsException(PATH, "cannot be read: " + describe(e));
    }
    boolean enabled = read(tls, "enabled", () -> tls.getBoolean("enabled"));
    String protocol = read(tls, "protocol", () -> tls.getString("protocol"));
    List<String> algorithms = read(tls, "enabled-algorithms", () -> tls.getStringList("enabled-algorithms"));
    boolean hostnameVerification = read(tls, "hostname-verification", () -> tls.getBoolean("hostname-verification"));
    if (!enabled) {
      return new TlsSettings(false, null, Secret.EMPTY, Secret.EMPTY, null, Secret.EMPTY, protocol,
          algorithms, hostnameVerification);
    }
    CipherRules.check(PATH, protocol, PROTOCOLS, algorithms);
    Path keyStore = StoreFiles.path(tls, PATH, "key-store");
    Secret keyStorePassword = StoreFiles.password(tls, PATH, "key-store-password");
    Secret keyPassword = read(tls, "key-password", () -> Secret.of(tls.getString("key-password")));
    if (keyPassword.isEmpty()) {
      keyPassword = keyStorePassword;
    }
    Path trustStore = StoreFiles.path(tls, PATH, "trust-store");
    Secret trustStorePassword = StoreFiles.password(tls, PATH, "trust-store-password");
    StoreFiles.checkKeyStore(PATH + ".key-store", keyStore, keyStorePassword, keyPassword);
    StoreFiles.checkTrustStore(PATH + ".trust-store", trustStore, trustStorePassword);
    return new TlsSettings(true, keyStore, keyStorePassword, keyPassword, trustStore,
        trustStorePassword, protocol, algorithms, hostnameVerification);
  }

  /** The shipped defaults, parsed from the classpath resource (substitutions not yet resolved). */
  public static Config reference() {
    return ConfigFactory.parseResources(TlsSettings.class.getClassLoader(), REFERENCE_RESOURCE);
  }

  public boolean enabled() {
    return enabled;
  }

  /**
   * The settings to lay over the application config before the ActorSystem starts:
   * {@code overlay.withFallback(appConfig)}. Empty when TLS is off, so the application's own
   * transport settings stand. Holds the passwords, as Akka's SSL engine needs them: never log it
   * and keep {@code akka.log-config-on-start} off.
   */
  public Config akkaOverlay() {
    if (!enabled) {
      return ConfigFactory.empty();
    }
    String engine = "akka.remote.artery.ssl.config-ssl-engine.";
    return ConfigFactory.empty()
        .withValue("akka.remote.artery.transport", ConfigValueFactory.fromAnyRef("tls-tcp"))
        .withValue("akka.remote.artery.ssl.ssl-engine-provider",
            ConfigValueFactory.fromAnyRef("akka.remote.artery.tcp.ConfigSSLEngineProvider"))
        .withValue(engine + "key-store", ConfigValueFactory.fromAnyRef(keyStore.toString()))
        .withValue(engine + "key-store-password", ConfigValueFactory.fromAnyRef(keyStorePassword.reveal()))
        .withValue(engine + "key-password", ConfigValueFactory.fromAnyRef(keyPassword.reveal()))
        .withValue(engine + "trust-store", ConfigValueFactory.fromAnyRef(trustStore.toString()))
        .withValue(engine + "trust-store-password", ConfigValueFactory.fromAnyRef(trustStorePassword.reveal()))
        .withValue(engine + "protocol", ConfigValueFactory.fromAnyRef(protocol))
        .withValue(engine + "enabled-algorithms", ConfigValueFactory.fromIterable(enabledAlgorithms))
        .withValue(engine + "random-number-generator", ConfigValueFactory.fromAnyRef(""))
        // Not configurable: one-way TLS would let any client that trusts the CA's public cert in.
        .withValue(engine + "require-mutual-authentication", ConfigValueFactory.fromAnyRef(true))
        .withValue(engine + "hostname-verification", ConfigValueFactory.fromAnyRef(hostnameVerification));
  }

  /** {@code akkaOverlay().withFallback(config)}: the config to start a gateway's ActorSystem with. */
  public Config applyTo(Config config) {
    return akkaOverlay().withFallback(config);
  }

  /**
   * For code that receives an already running system (e.g. the {@code Mesh} extension): fails if
   * {@code nowmesh.mesh.tls} is on but the system was started without {@link #akkaOverlay()}, which
   * would otherwise run the cluster in plain TCP while the operator believes it is protected.
   *
   * @param systemConfig {@code system.settings().config()}
   */
  public static void requireApplied(Config systemConfig) {
    TlsSettings tls = from(systemConfig);
    if (!tls.enabled()) {
      return;
    }
    String transport;
    boolean mutual;
    try {
      transport = systemConfig.getString("akka.remote.artery.transport");
      mutual = "tls-tcp".equals(transport) && systemConfig.getBoolean(
          "akka.remote.artery.ssl.config-ssl-engine.require-mutual-authentication");
    } catch (ConfigException e) {
      throw new TlsSettingsException(PATH + ".enabled",
          "is on, but Akka's transport settings cannot be read: " + describe(e));
    }
    if (!mutual) {
      throw new TlsSettingsException(PATH + ".enabled",
          "is on, but the ActorSystem was started without TlsSettings.akkaOverlay() (transport "
              + ("tls-tcp".equals(transport) ? "tls-tcp without mutual authentication" : "is not tls-tcp") + ")");
    }
  }

  public String protocol() {
    return protocol;
  }

  public List<String> enabledAlgorithms() {
    return enabledAlgorithms;
  }

  public boolean hostnameVerification() {
    return hostnameVerification;
  }

  @Override
  public String toString() {
    if (!enabled) {
      return "TlsSettings[enabled=false]";
    }
    return "TlsSettings[enabled=true, keyStore=" + keyStore + ", keyStorePassword=" + keyStorePassword
        + ", trustStore=" + trustStore + ", trustStorePassword=" + trustStorePassword + ", protocol="
        + protocol + ", enabledAlgorithms=" + enabledAlgorithms + ", hostnameVerification="
        + hostnameVerification + "]";
  }

  /** Reads one setting, turning the library's exception into ours, named after the setting. */
  static <T> T read(Config tls, String key, java.util.function.Supplier<T> getter) {
    try {
      return getter.get();
    } catch (ConfigException e) {
      throw new TlsSettingsException(PATH + "." + key, describe(e));
    }
  }

  /** The kind of config problem, without the library's message (which may quote values). */
  static String describe(ConfigException e) {
    if (e instanceof ConfigException.Missing) {
      return "is missing";
    } else if (e instanceof ConfigException.WrongType) {
      return "has the wrong type";
    } else if (e instanceof ConfigException.UnresolvedSubstitution) {
      return "has an unresolved substitution";
    } else if (e instanceof ConfigException.NotResolved) {
      return "has unresolved substitutions";
    }
    return "is invalid (" + e.getClass().getSimpleName() + ")";
  }
}
