package io.nowmesh.mesh.serialization;

/** Marker for hot-path cluster messages (they carry envelopes): bound to {@link MeshWireSerializer}. */
public interface MeshWire {}
