/** NowMesh host side of one ESP-NOW radio: domain types, wire protocol, device actor, simulation. */
package io.nowmesh.actors;
