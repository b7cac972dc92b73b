/** Runnable NowMesh applications and the nowmesh command line. */
package io.nowmesh.examples;
