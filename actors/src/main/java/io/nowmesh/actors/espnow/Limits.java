package io.nowmesh.actors.espnow;

/** The hard limits of ESP-NOW, as the radio's {@code espnow} module exposes them. */
public final class Limits {
  /** Largest payload of one ESP-NOW message (espnow.MAX_DATA_LEN). */
  public static final int MAX_DATA_LEN = 250;
  /** Length of a PMK or LMK (espnow.KEY_LEN). */
  public static final int KEY_LEN = 16;
  /** Peers the radio can register (espnow.MAX_TOTAL_PEER_NUM). */
  public static final int MAX_TOTAL_PEER_NUM = 20;
  /** Encrypted peers the radio can register (espnow.MAX_ENCRYPT_PEER_NUM). */
  public static final int MAX_ENCRYPT_PEER_NUM = 6;
  /** Length of a MAC address (espnow.ADDR_LEN). */
  public static final int ADDR_LEN = 6;
  /** Highest 2.4 GHz Wi-Fi channel; channel 0 means "the radio's current channel". */
  public static final int MAX_CHANNEL = 14;

  private Limits() {}
}
