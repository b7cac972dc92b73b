package io.nowmesh.actors.sim;

import io.nowmesh.actors.link.Bytes;
import io.nowmesh.actors.espnow.Mac;

/**
 * One message a station took off the air: what {@code irecv()} plus {@code peers_table} would tell.
 *
 * @param dst    the frame's destination: the receiver's MAC, broadcast, or a multicast group
 * @param rssi   dBm, -127..0
 * @param timeMs the receiver's ticks_ms when it arrived (wraps at 2^32)
 */
public record Received(Mac src, Mac dst, int rssi, long timeMs, Bytes data) {}
