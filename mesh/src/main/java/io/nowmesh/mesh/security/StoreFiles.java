package io.nowmesh.mesh.security;

import com.typesafe.config.Config;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Collections;

/**
 * Reads and checks keystores, truststores and password files named in {@code nowmesh.mesh.tls}.
 * Every file is size-capped before it is read, so a setting pointing at a device or a huge file
 * fails with a {@link TlsSettingsException} rather than exhausting memory.
 */
final class StoreFiles {
  /** Keystores of a few certificates are a few KiB; a megabyte means a wrong file. */
  static final long MAX_STORE_BYTES = 1 << 20;
  /** Passwords are short; anything longer is not a password file. */
  static final long MAX_PASSWORD_BYTES = 4096;

  private StoreFiles() {}

  /** A required, non-empty path setting. */
  static Path path(Config tls, String base, String key) {
    String value = TlsSettings.read(tls, key, () -> tls.getString(key));
    if (value.isBlank()) {
      throw new TlsSettingsException(base + "." + key, "must name a keystore file when TLS is enabled");
    }
    try {
      // Absolute, so the check here and Akka's later open read the same file whatever the working dir.
      return Path.of(value).toAbsolutePath();
    } catch (InvalidPathException | java.io.IOError | SecurityException e) {
      throw new TlsSettingsException(base + "." + key, "is not a valid file path");
    }
  }

  /**
   * A password given either inline ({@code <key>}, e.g. from an environment variable) or as a file
   * ({@code <key>-file}); exactly one of the two, non-empty.
   */
  static Secret password(Config tls, String base, String key) {
    String inline = TlsSettings.read(tls, key, () -> tls.getString(key));
    String fileKey = key + "-file";
    String file = TlsSettings.read(tls, fileKey, () -> tls.getString(fileKey));
    if (!inline.isEmpty() && !file.isEmpty()) {
      throw new TlsSettingsException(base + "." + key, "set either " + key + " or " + fileKey + ", not both");
    }
    if (file.isEmpty()) {
      if (inline.isEmpty()) {
        throw new TlsSettingsException(base + "." + key,
            "is required when TLS is enabled (inline, from its environment variable, or via " + fileKey + ")");
      }
      return Secret.of(inline);
    }
    String setting = base + "." + fileKey;
    Path p;
    try {
      p = Path.of(file);
    } catch (InvalidPathException e) {
      throw new TlsSettingsException(setting, "is not a valid file path");
    }
    String text = decodeUtf8(setting, readCapped(setting, p, MAX_PASSWORD_BYTES));
    // Editors and `echo` add a line end; it is never part of the password.
    String password = text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
        : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    if (password.isEmpty()) {
      throw new TlsSettingsException(setting, "names an empty password file");
    }
    return Secret.of(password);
  }

  static void checkKeyStore(String setting, Path file, Secret storePassword, Secret keyPassword) {
    KeyStore ks = load(setting, file, storePassword);
    try {
      boolean hasKey = false;
      for (String alias : Collections.list(ks.aliases())) {
        if (ks.isKeyEntry(alias)) {
          hasKey = true;
          ks.getKey(alias, keyPassword.toChars());
        }
      }
      if (!hasKey) {
        throw new TlsSettingsException(setting, "holds no private key (use a gateway keystore from make-certs.sh)");
      }
    } catch (GeneralSecurityException e) {
      throw new TlsSettingsException(setting, "its private key cannot be opened with key-password");
    }
  }

  static void checkTrustStore(String setting, Path file, Secret password) {
    KeyStore ks = load(setting, file, password);
    try {
      boolean hasCert = false;
      for (String alias : Collections.list(ks.aliases())) {
        hasCert |= ks.isCertificateEntry(alias);
      }
      if (!hasCert) {
        throw new TlsSettingsException(setting, "holds no trusted certificate (expected the mesh CA)");
      }
    } catch (GeneralSecurityException e) {
      throw new TlsSettingsException(setting, "cannot be listed");
    }
  }

  private static KeyStore load(String setting, Path file, Secret password) {
    byte[] bytes = readCapped(setting, file, MAX_STORE_BYTES);
    for (String type : new String[] {"PKCS12", "JKS"}) {
      try (InputStream in = new ByteArrayInputStream(bytes)) {
        KeyStore ks = KeyStore.getInstance(type);
        ks.load(in, password.toChars());
        return ks;
      } catch (IOException | GeneralSecurityException | RuntimeException e) {
        // Wrong type or wrong password; try the next type, then report. The JDK's message is
        // dropped: it does not help and should not be trusted to omit input bytes.
      }
    }
    throw new TlsSettingsException(setting,
        "is not a PKCS12 or JKS keystore that opens with its password");
  }

  private static byte[] readCapped(String setting, Path file, long max) {
    try {
      if (!Files.isRegularFile(file)) {
        throw new TlsSettingsException(setting, "names no regular file");
      }
      if (Files.size(file) > max) {
        throw new TlsSettingsException(setting, "names a file larger than " + max + " bytes");
      }
      try (InputStream in = Files.newInputStream(file)) {
        byte[] bytes = in.readNBytes((int) max + 1);
        if (bytes.length > max) { // grew since the size check
          throw new TlsSettingsException(setting, "names a file larger than " + max + " bytes");
        }
        return bytes;
      }
    } catch (IOException | SecurityException e) {
      throw new TlsSettingsException(setting, "names a file that cannot be read");
    }
  }

  private static String decodeUtf8(String setting, byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new TlsSettingsException(setting, "names a file that is not UTF-8 text");
    }
  }
}
