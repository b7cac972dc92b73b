package io.nowmesh.mesh.radio;

import io.nowmesh.actors.espnow.Mac;

/** One ESP-NOW payload a radio heard: radio-level source and destination, signal, when, bytes. */
public record ReceivedFrame(Mac source, Mac destination, int rssi, long timestampMillis, byte[] payload) {}
