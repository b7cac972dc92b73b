/** NowMesh gateways as an Akka Cluster routing ESP-NOW traffic between them. */
package io.nowmesh.mesh;
