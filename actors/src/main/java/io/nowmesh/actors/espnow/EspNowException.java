package io.nowmesh.actors.espnow;

import java.util.Objects;

/**
 * A refused ESP-NOW operation: carries the {@link EspNowError} (its ESP_ERR_ESPNOW_* name and code)
 * and says which rule was broken. Thrown by validation on the host before anything reaches the
 * wire, and used to complete requests the radio refused.
 */
public final class EspNowException extends RuntimeException {
  private final EspNowError error;
  private final String detail;

  public EspNowException(EspNowError error, String detail) {
    super(error.label() + ": " + detail);
    this.error = Objects.requireNonNull(error);
    this.detail = detail == null ? "" : detail;
  }

  public EspNowError error() {
    return error;
  }

  /** The broken rule in words, without the error's name (what a radio puts in a reply's detail). */
  public String detail() {
    return detail;
  }

  public static EspNowException arg(String detail) {
    return new EspNowException(EspNowError.ESP_ERR_ESPNOW_ARG, detail);
  }
}
