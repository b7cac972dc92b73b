package io.nowmesh.actors.espnow;

import java.util.Objects;

/**
 * A refused ESP-NOW operation: carries the {@link EspNowError} (its ESP_ERR_ESPNOW_* name and code)
 * and says which rule was broken. Thrown by validation on the host before anything reaches the
 * wire, and used to complete requests the radio refused.
 */
public final class EspNowException extends RuntimeException {
  private final EspNowError error;

  public EspNowException(EspNowError error, String detail) {
    super(error.label() + ": " + detail);
    this.error = Objects.requireNonNull(error);
  }

  public EspNowError error() {
    return error;
  }

  public static EspNowException arg(String detail) {
    return new EspNowException(EspNowError.ESP_ERR_ESPNOW_ARG, detail);
  }
}
