package io.nowmesh.mesh.envelope;

/** The kinds of mesh envelope; the code is the low nibble of byte 1 on the wire. */
public enum MessageType {
  DATA(1),
  /** End-to-end acknowledgement: the receiver's application got message {@code ref}. */
  ACK(2),
  REQUEST(3),
  /** The answer to REQUEST {@code ref}. */
  RESPONSE(4);

  private final int code;

  MessageType(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** True for the types that carry a 4-byte {@code ref} after the fixed header. */
  public boolean hasRef() {
    return this == ACK || this == RESPONSE;
  }

  /** The type with this code, or null if version 1 does not define it. */
  static MessageType fromCode(int code) {
    for (MessageType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    return null;
  }
}
