package io.nowmesh.actors.link;

import io.nowmesh.actors.espnow.EspNowException;

/** The parameters of CONFIG_GET / CONFIG_SET (docs/protocol.md §3). */
public enum ConfigParam {
  /** Receive buffer bytes; takes effect at the next INIT. */
  RXBUF(1),
  /** The radio's receive timeout in ms; informational for a bridge. */
  TIMEOUT_MS(2),
  /** Wi-Fi channel of the STA interface, 1..14. */
  CHANNEL(3),
  /** An ESP-IDF wifi_phy_rate_t value; radios that cannot set it answer UNSUPPORTED. */
  RATE(4);

  private final int code;

  ConfigParam(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** An unknown param is ESP_ERR_ESPNOW_ARG, as the protocol says. */
  public static ConfigParam fromCode(int code) {
    for (ConfigParam p : values()) {
      if (p.code == code) {
        return p;
      }
    }
    throw EspNowException.arg("unknown config param " + code);
  }
}
