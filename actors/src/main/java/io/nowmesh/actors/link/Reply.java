package io.nowmesh.actors.link;

import io.nowmesh.actors.espnow.EspNowError;
import io.nowmesh.actors.espnow.EspNowException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * The radio's answer to the command with the same {@code seq} (docs/protocol.md §2). When
 * {@code status} is OK, {@code body} is the command's result ({@link ReplyBody}) and {@code detail}
 * is empty; otherwise {@code body} is {@link ReplyBody.Empty} and {@code detail} is an optional
 * UTF-8 text of at most 96 bytes (longer text is cut at a character boundary).
 *
 * @param commandCode the code of the command answered (the reply's type without 0x80); a raw int so
 *                    that UNKNOWN_COMMAND replies to codes this host does not know stay representable
 */
public record Reply(int seq, int commandCode, EspNowError status, String detail, ReplyBody body)
    implements Message {
  public static final int MAX_DETAIL = 96;

  public Reply {
    if (seq < 0 || seq > 0xFFFF) {
      throw new IllegalArgumentException("seq is a u16, got " + seq);
    }
    if (!CommandType.isCommandCode(commandCode)) {
      throw new IllegalArgumentException("not a command code: " + commandCode);
    }
    Objects.requireNonNull(status, "status");
    detail = truncate(detail == null ? "" : detail);
    body = body == null ? ReplyBody.Empty.INSTANCE : body;
    if (status != EspNowError.OK && !(body instanceof ReplyBody.Empty)) {
      throw new IllegalArgumentException("an error reply carries no result");
    }
    if (status == EspNowError.OK && !detail.isEmpty()) {
      throw new IllegalArgumentException("an OK reply carries no detail");
    }
    CommandType type = CommandType.fromCode(commandCode);
    if (status == EspNowError.OK && (type == null || !resultType(type).isInstance(body))) {
      throw new IllegalArgumentException("an OK reply to " + (type == null ? commandCode : type)
          + " carries a " + (type == null ? "known command" : resultType(type).getSimpleName()) + ", got " + body);
    }
  }

  /** The result shape of a successful reply to {@code type}. */
  public static Class<? extends ReplyBody> resultType(CommandType type) {
    return switch (type) {
      case HELLO -> BootInfo.class;
      case PING -> ReplyBody.Pong.class;
      case CONFIG_GET -> ConfigValue.class;
      case GET_PEER -> PeerRecord.class;
      case GET_PEERS -> ReplyBody.PeerList.class;
      case PEER_COUNT -> ReplyBody.PeerCounts.class;
      case SEND -> ReplyBody.SendResult.class;
      case STATS -> ReplyBody.StatsResult.class;
      case PEERS_TABLE -> ReplyBody.PeersTableResult.class;
      case RESET, INIT, DEINIT, CONFIG_SET, SET_PMK, ADD_PEER, DEL_PEER, MOD_PEER -> ReplyBody.Empty.class;
    };
  }

  public static Reply ok(int seq, CommandType command, ReplyBody body) {
    return new Reply(seq, command.code(), EspNowError.OK, "", body);
  }

  public static Reply ok(int seq, CommandType command) {
    return ok(seq, command, ReplyBody.Empty.INSTANCE);
  }

  public static Reply error(int seq, int commandCode, EspNowError status, String detail) {
    return new Reply(seq, commandCode, status, detail, ReplyBody.Empty.INSTANCE);
  }

  public static Reply error(int seq, CommandType command, EspNowError status, String detail) {
    return error(seq, command.code(), status, detail);
  }

  /** The answered command, if this host knows its code. */
  public Optional<CommandType> command() {
    return Optional.ofNullable(CommandType.fromCode(commandCode));
  }

  public boolean isOk() {
    return status == EspNowError.OK;
  }

  /** The result as {@code type}, or an {@link EspNowException} carrying the status if this is an error. */
  public <T extends ReplyBody> T bodyAs(Class<T> type) {
    if (!isOk()) {
      throw toException();
    }
    return type.cast(body);
  }

  public EspNowException toException() {
    return new EspNowException(status, detail.isEmpty() ? status.description() : detail);
  }

  private static String truncate(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if (b.length <= MAX_DETAIL) {
      return s;
    }
    int end = MAX_DETAIL;
    while (end > 0 && (b[end] & 0xC0) == 0x80) {
      end--; // do not cut a multi-byte character in half
    }
    return new String(b, 0, end, StandardCharsets.UTF_8);
  }
}
