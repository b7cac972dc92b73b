package io.nowmesh.mesh;

import io.nowmesh.actors.espnow.Mac;

/**
 * A multicast group: group number {@code n} (24 bits) is the locally administered multicast MAC
 * 03:4e:4d:nn:nn:nn (the same mapping as the leaf library's {@code group_mac}).
 */
public record Group(int number) {
  public Group {
    if (number < 0 || number > 0xFFFFFF) {
      throw new IllegalArgumentException("a group number has 24 bits (0..16777215), got " + number);
    }
  }

  public Mac mac() {
    return Mac.ofLong(0x03_4E_4D_00_00_00L | number);
  }

  /** The group whose MAC this is, or null if the MAC is not a mesh group address. */
  public static Group ofMac(Mac mac) {
    long v = mac.toLong();
    return (v & 0xFFFF_FF00_0000L) == 0x03_4E_4D_00_00_00L ? new Group((int) (v & 0xFFFFFF)) : null;
  }
}
