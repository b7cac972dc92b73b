package io.nowmesh.actors.link;

/** The command codes of docs/protocol.md §3; a reply's type is the command's code | 0x80. */
public enum CommandType {
  HELLO(0x01, true),
  PING(0x02, true),
  RESET(0x03, false),
  INIT(0x10, false),
  DEINIT(0x11, false),
  CONFIG_GET(0x12, true),
  CONFIG_SET(0x13, false),
  SET_PMK(0x14, false),
  ADD_PEER(0x20, false),
  DEL_PEER(0x21, false),
  MOD_PEER(0x22, false),
  GET_PEER(0x23, true),
  GET_PEERS(0x24, true),
  PEER_COUNT(0x25, true),
  SEND(0x30, false),
  STATS(0x31, true),
  PEERS_TABLE(0x32, true);

  public static final int REPLY_BIT = 0x80;
  private static final CommandType[] BY_CODE = new CommandType[0x40];

  static {
    for (CommandType t : values()) {
      BY_CODE[t.code] = t;
    }
  }

  private final int code;
  private final boolean retryable;

  CommandType(int code, boolean retryable) {
    this.code = code;
    this.retryable = retryable;
  }

  public int code() {
    return code;
  }

  public int replyCode() {
    return code | REPLY_BIT;
  }

  /** Without side effects, so the host may resend it after a timeout (protocol.md §6). */
  public boolean isRetryable() {
    return retryable;
  }

  /** The command with this code, or null if none. */
  public static CommandType fromCode(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
  }

  public static boolean isCommandCode(int type) {
    return type >= 0x01 && type <= 0x3F;
  }

  public static boolean isReplyCode(int type) {
    return type >= 0x81 && type <= 0xBF;
  }

  public static boolean isEventCode(int type) {
    return type >= 0x40 && type <= 0x7F;
  }
}
