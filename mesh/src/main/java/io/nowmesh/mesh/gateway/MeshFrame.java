package io.nowmesh.mesh.gateway;

import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.mesh.serialization.MeshWire;

/**
 * What gateways share on the cluster-wide frames topic: a frame one of them heard (for delivery to
 * every system's subscribers and re-airing by the other gateways), or, with {@code fromApp}, an
 * envelope an application asked every gateway to air.
 *
 * @param publisher mesh origin of the gateway that published it
 * @param heardBy   the radio that heard it (the publisher's origin when {@code fromApp})
 */
public record MeshFrame(boolean fromApp, Mac publisher, Mac heardBy, Mac source, int rssi, long timestampMillis,
    byte[] bytes) implements MeshWire {}
