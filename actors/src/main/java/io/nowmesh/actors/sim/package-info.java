/**
 * The embedded default radio world: a {@link io.nowmesh.actors.sim.SimulatedAir} shared by
 * {@link io.nowmesh.actors.sim.SimulatedRadio}s (which speak docs/protocol.md over an
 * {@link io.nowmesh.actors.link.InMemoryTransport}, exactly as the firmware does over USB) and
 * {@link io.nowmesh.actors.sim.VirtualNode}s (plain ESP-NOW leaf stations with an espnow-like API).
 *
 * <pre>
 *   SimulatedAir air = new SimulatedAir();                       // or new SimulatedAir(settings)
 *   SimulatedRadio radio = air.addRadio(mac, x, y, channel);     // BOOT is waiting on the host end
 *   Transport t = radio.hostTransport();                         // hand this to the device actor
 *   VirtualNode leaf = air.addNode(leafMac, x2, y2, channel);
 *   leaf.addPeer(mac); leaf.send(mac, data, true); leaf.recv(Duration.ofSeconds(1));
 * </pre>
 * The rules of the air (RSSI model, reach, acks, group delivery, encryption, receive buffer) are in
 * {@link io.nowmesh.actors.sim.SimulatedAir}'s class comment.
 */
package io.nowmesh.actors.sim;
