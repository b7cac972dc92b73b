package io.nowmesh.mesh.gateway;

import akka.cluster.UniqueAddress;
import io.nowmesh.actors.espnow.Mac;

/**
 * A gateway's mesh origin: the MAC it puts in envelopes it originates. Derived from the cluster
 * member's unique address (locally administered, unicast: 02:xx:..), so every gateway can tell,
 * from membership alone, whether an envelope it hears was aired by the mesh itself.
 */
public final class MeshOrigin {
  private MeshOrigin() {}

  public static Mac of(UniqueAddress member) {
    long h = member.address().toString().hashCode() * 0x9E37_79B9_7F4A_7C15L ^ member.longUid();
    h ^= h >>> 29;
    return Mac.ofLong(0x02_00_00_00_00_00L | (h & 0x00_FF_FF_FF_FF_FFL));
  }
}
