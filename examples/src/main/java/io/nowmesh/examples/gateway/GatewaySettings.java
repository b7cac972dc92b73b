package io.nowmesh.examples.gateway;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValueFactory;
import io.nowmesh.examples.cli.NowMeshCli;
import io.nowmesh.examples.cluster.ClusterConfig;
import io.nowmesh.mesh.security.TlsSettings;
import io.nowmesh.mesh.security.TlsSettingsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A gateway's configuration file (examples/config/gateway.conf documents every key), read and
 * checked once; a mistake is reported as one line naming the file, the key and the rule.
 */
public record GatewaySettings(Path file, String host, int port, List<String> seeds, List<String> ports,
    boolean autoDetect, int baud, Config full) {

  public static GatewaySettings load(Path file) {
    if (!Files.isReadable(file)) {
      throw new NowMeshCli.UsageError("cannot read " + file + ": no such file, or not readable");
    }
    try {
      Config parsed = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
      Config all = parsed.withFallback(ConfigFactory.load()).resolve();
      Config g = all.getConfig("nowmesh.gateway");
      String host = g.getString("bind.host");
      int port = g.getInt("bind.port");
      List<String> seeds = g.getStringList("seeds");
      List<String> ports = g.getStringList("radios.ports");
      boolean auto = g.getBoolean("radios.auto-detect");
      int baud = g.getInt("radios.baud");
      check(file, port >= 0 && port <= 65535, "nowmesh.gateway.bind.port must be 1..65535 (0: any free port), got "
          + port);
      check(file, !host.isBlank() && !host.equals("0.0.0.0"),
          "nowmesh.gateway.bind.host must be the address other gateways reach this one at, got '" + host + "'");
      for (String s : seeds) {
        int colon = s.lastIndexOf(':');
        check(file, colon > 0 && s.substring(colon + 1).matches("\\d{1,5}"),
            "nowmesh.gateway.seeds entries are \"host:port\", got '" + s + "'");
      }
      check(file, baud >= 9600 && baud <= 5_000_000, "nowmesh.gateway.radios.baud must be 9600..5000000, got " + baud);
      Config akka = ClusterConfig.member(host, port, ClusterConfig.ROLE_GATEWAY, seeds)
          .withValue("nowmesh.device.manager.ports", ConfigValueFactory.fromIterable(ports))
          .withValue("nowmesh.device.manager.scan", ConfigValueFactory.fromAnyRef(auto))
          .withValue("nowmesh.device.manager.baud-rate", ConfigValueFactory.fromAnyRef(baud));
      Config full = ClusterConfig.load(akka.withFallback(parsed));
      // nowmesh.mesh.tls on: Artery becomes mutually authenticated tls-tcp (docs/security.md)
      return new GatewaySettings(file, host, port, seeds, ports, auto, baud, TlsSettings.from(full).applyTo(full));
    } catch (TlsSettingsException e) {
      throw new NowMeshCli.UsageError(file + ": " + e.getMessage().replace('\n', ' '));
    } catch (ConfigException e) {
      throw new NowMeshCli.UsageError(e.getMessage().replace('\n', ' '));
    }
  }

  private static void check(Path file, boolean ok, String rule) {
    if (!ok) {
      throw new NowMeshCli.UsageError(file + ": " + rule);
    }
  }
}
