package io.nowmesh.mesh.routing;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.nowmesh.mesh.serialization.MeshControl;

/**
 * One replicated routing fact: gateway {@code gateway} (cluster address + uid) heard {@code node}
 * on its radio {@code radio} with {@code rssi} dBm at {@code lastSeen} (epoch ms, the gateway's
 * clock). MACs are kept as longs so the value serializes compactly with Jackson CBOR.
 */
public record Sighting(
    @JsonProperty("node") long node,
    @JsonProperty("radio") long radio,
    @JsonProperty("gateway") String gateway,
    @JsonProperty("uid") long gatewayUid,
    @JsonProperty("rssi") int rssi,
    @JsonProperty("lastSeen") long lastSeen) implements MeshControl {

  @JsonCreator
  public Sighting {}

  /** The LWWMap key: one entry per (node, radio); only the radio's own gateway writes it. */
  public String key() {
    return Long.toHexString(node) + "@" + Long.toHexString(radio);
  }
}
