package io.nowmesh.mesh.serialization;

/** Marker for control messages and replicated values that cross the cluster: bound to Jackson CBOR. */
public interface MeshControl {}
