package io.nowmesh.examples.demo;

/** The demo's traffic patterns, grouped by the three kinds of ESP-NOW addressing. */
public enum Flow {
  UNICAST_UP(Kind.UNICAST, "node -> application", "telemetry readings, one application subscriber"),
  UNICAST_DOWN(Kind.UNICAST, "application -> node", "end-to-end acknowledged, routed by RSSI"),
  BROADCAST_UP(Kind.BROADCAST, "node -> applications", "one subscriber per gateway, each exactly once"),
  BROADCAST_DOWN(Kind.BROADCAST, "application -> nodes", "aired by every gateway, each node once"),
  MULTICAST_DOWN(Kind.MULTICAST, "application -> group", "members only"),
  MULTICAST_UP(Kind.MULTICAST, "member -> group", "other members and the group's subscriber");

  public enum Kind { UNICAST, BROADCAST, MULTICAST;
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final Kind kind;
  private final String route;
  private final String meaning;

  Flow(Kind kind, String route, String meaning) {
    this.kind = kind;
    this.route = route;
    this.meaning = meaning;
  }

  public Kind kind() {
    return kind;
  }

  public String route() {
    return route;
  }

  public String meaning() {
    return meaning;
  }
}
