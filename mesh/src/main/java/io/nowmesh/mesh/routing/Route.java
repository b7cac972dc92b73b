package io.nowmesh.mesh.routing;

import akka.actor.typed.ActorRef;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.mesh.gateway.Gateway;

/**
 * A way to reach a node right now: the gateway (live and reachable) whose radio heard it, with the
 * signal and age the ranking used. Higher {@code score} first.
 */
public record Route(Mac node, Mac radio, ActorRef<Gateway.Command> gateway, int rssi, long lastSeen, double score) {}
