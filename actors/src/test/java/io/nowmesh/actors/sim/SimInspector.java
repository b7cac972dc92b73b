package io.nowmesh.actors.sim;

import io.nowmesh.actors.espnow.Key;
import io.nowmesh.actors.link.PeerRecord;
import java.util.List;

/**
 * Test-only view of a {@link SimulatedRadio}'s own state (what the firmware holds, not the host's
 * mirror), so reliability tests can check what a replay really restored on the radio side.
 */
public final class SimInspector {
  private SimInspector() {}

  /** The peers registered on the radio, in the order it registered them (as GET_PEERS lists them). */
  public static List<PeerRecord> peers(SimulatedRadio r) {
    return r.station.peers.list();
  }

  /** Whether the radio's PMK is {@code pmk} (compared, never exposed). */
  public static boolean hasPmk(SimulatedRadio r, Key pmk) {
    return r.station.pmk.equals(pmk);
  }

  /** Whether ESP-NOW is active on the radio (INIT done since its last boot). */
  public static boolean espnowActive(SimulatedRadio r) {
    return r.station.espnowActive;
  }
}
