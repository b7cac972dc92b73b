package io.nowmesh.actors.espnow;

/** The local Wi-Fi interface a peer is registered on ({@code ifidx}): STA_IF = 0, AP_IF = 1. */
public enum Interface {
  STA(0),
  AP(1);

  private final int ifidx;

  Interface(int ifidx) {
    this.ifidx = ifidx;
  }

  public int ifidx() {
    return ifidx;
  }

  public static Interface fromIfidx(int ifidx) {
    return switch (ifidx) {
      case 0 -> STA;
      case 1 -> AP;
      default -> throw EspNowException.arg("ifidx must be 0 (STA_IF) or 1 (AP_IF), got " + ifidx);
    };
  }
}
