package io.nowmesh.actors.espnow;

import java.util.HashMap;
import java.util.Map;

/**
 * Every status a radio can answer with: the ESP-IDF ESP-NOW error numbers (so a code printed in hex
 * can be looked up in Espressif's documentation) and NowMesh's own protocol-level faults.
 */
public enum EspNowError {
  OK(0x0000, "success"),
  ESP_ERR_ESPNOW_NOT_INIT(0x3065, "ESP-NOW is not initialised"),
  ESP_ERR_ESPNOW_ARG(0x3066, "invalid argument"),
  ESP_ERR_ESPNOW_NO_MEM(0x3067, "out of memory / send buffers full"),
  ESP_ERR_ESPNOW_FULL(0x3068, "peer list is full"),
  ESP_ERR_ESPNOW_NOT_FOUND(0x3069, "peer is not registered"),
  ESP_ERR_ESPNOW_INTERNAL(0x306A, "internal error"),
  ESP_ERR_ESPNOW_EXIST(0x306B, "peer already registered"),
  ESP_ERR_ESPNOW_IF(0x306C, "Wi-Fi interface error"),
  ESP_ERR_ESPNOW_CHAN(0x306D, "channel error"),
  UNKNOWN_COMMAND(0x7001, "unknown command"),
  BAD_LENGTH(0x7002, "payload too short or too long for the command"),
  VERSION_MISMATCH(0x7003, "protocol version mismatch"),
  BUSY(0x7004, "radio command queue full"),
  UNSUPPORTED(0x7005, "not supported by this radio"),
  FAILED(0x7006, "failed");

  /** ESP_ERR_ESPNOW_BASE as ESP-IDF defines it. */
  public static final int ESP_ERR_ESPNOW_BASE = 0x3064;

  private static final Map<Integer, EspNowError> BY_CODE = new HashMap<>();

  static {
    for (EspNowError e : values()) {
      BY_CODE.put(e.code, e);
    }
  }

  private final int code;
  private final String description;

  EspNowError(int code, String description) {
    this.code = code;
    this.description = description;
  }

  /** The 16-bit status code used on the wire. */
  public int code() {
    return code;
  }

  public String description() {
    return description;
  }

  /** True for the errors after which a retry may succeed (the radio was momentarily out of room). */
  public boolean isTransient() {
    return this == ESP_ERR_ESPNOW_NO_MEM || this == BUSY;
  }

  /** The error with this wire code, or {@link #FAILED} for a code this host does not know. */
  public static EspNowError fromCode(int code) {
    EspNowError e = BY_CODE.get(code);
    return e != null ? e : FAILED;
  }

  /** "ESP_ERR_ESPNOW_FULL (0x3068)". */
  public String label() {
    return String.format("%s (0x%04X)", name(), code);
  }
}
