package io.nowmesh.examples.cli;

import com.typesafe.config.ConfigFactory;
import io.nowmesh.examples.cluster.MeshClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Option;

/** How send, listen and ping reach a running mesh: as a client member joining through seeds. */
final class ClientOptions {
  @Option(names = "--seed", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:25520",
      description = "A gateway of the mesh to join through (repeatable). Default: ${DEFAULT-VALUE}.")
  List<String> seeds = new ArrayList<>();

  @Option(names = "--bind", paramLabel = "HOST", defaultValue = "127.0.0.1",
      description = "Address this client listens on (gateways connect back to it). Default: ${DEFAULT-VALUE}.")
  String bind;

  @Option(names = "--join-timeout", defaultValue = "15s", converter = DurationConverter.class,
      description = "How long to wait for the mesh. Default: ${DEFAULT-VALUE}.")
  Duration joinTimeout;

  @Option(names = "--config", paramLabel = "FILE",
      description = "A HOCON file with settings for this client, e.g. nowmesh.mesh.tls when the mesh uses TLS "
          + "(the client then needs its own mesh-CA certificate, see docs/security.md).")
  java.nio.file.Path config;

  List<String> checkedSeeds() {
    for (String s : seeds) {
      int colon = s.lastIndexOf(':');
      boolean ok = colon > 0 && s.substring(colon + 1).matches("\\d{1,5}")
          && Integer.parseInt(s.substring(colon + 1)) > 0 && Integer.parseInt(s.substring(colon + 1)) < 65536;
      if (!ok) {
        throw new NowMeshCli.UsageError("--seed is HOST:PORT with a port 1..65535, got '" + s + "'");
      }
    }
    return seeds;
  }

  MeshClient join() throws TimeoutException, InterruptedException {
    com.typesafe.config.Config extra = ConfigFactory.empty();
    if (config != null) {
      if (!java.nio.file.Files.isReadable(config)) {
        throw new NowMeshCli.UsageError("cannot read " + config + ": no such file, or not readable");
      }
      try {
        extra = ConfigFactory.parseFile(config.toFile());
      } catch (com.typesafe.config.ConfigException e) {
        throw new NowMeshCli.UsageError(e.getMessage().replace('\n', ' '));
      }
    }
    try {
      return MeshClient.join(checkedSeeds(), bind, joinTimeout, extra);
    } catch (io.nowmesh.mesh.security.TlsSettingsException e) {
      throw new NowMeshCli.UsageError(config + ": " + e.getMessage().replace('\n', ' '));
    }
  }
}
