package io.nowmesh.examples.cli;

import com.typesafe.config.Config;
import io.nowmesh.mesh.Group;
import java.util.Map;
import java.util.TreeMap;

/**
 * Multicast groups by name (nowmesh.cli.groups in reference.conf or application.conf) or number.
 * Names keep shell commands readable; numbers work for groups nobody named.
 */
final class Groups {
  private final Map<String, Integer> byName = new TreeMap<>();

  Groups(Config config) {
    Config c = config.getConfig("nowmesh.cli.groups");
    for (String name : c.root().keySet()) {
      byName.put(name, c.getInt(name));
    }
  }

  Group resolve(String nameOrNumber) {
    Integer n = byName.get(nameOrNumber);
    if (n == null && nameOrNumber.matches("\\d{1,8}")) {
      n = Integer.parseInt(nameOrNumber);
    }
    if (n == null || n > 0xFFFFFF) {
      throw new NowMeshCli.UsageError("unknown group '" + nameOrNumber + "': give a number 0..16777215 or one of "
          + String.join(", ", byName.keySet()) + " (names are set in nowmesh.cli.groups)");
    }
    return new Group(n);
  }
}
