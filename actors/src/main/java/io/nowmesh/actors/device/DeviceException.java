package io.nowmesh.actors.device;

/**
 * A request that ended without an answer from the radio: {@link Outcome.TimedOut},
 * {@link Outcome.Interrupted} or {@link Outcome.LinkDown}. Refusals use
 * {@link io.nowmesh.actors.espnow.EspNowException} instead, which names the ESP_ERR_ESPNOW_* code.
 */
public final class DeviceException extends RuntimeException {
  private final transient Outcome<?> outcome;

  public DeviceException(Outcome<?> outcome) {
    super(describe(outcome));
    this.outcome = outcome;
  }

  public Outcome<?> outcome() {
    return outcome;
  }

  public boolean isTimeout() {
    return outcome instanceof Outcome.TimedOut;
  }

  public boolean isLinkDown() {
    return outcome instanceof Outcome.LinkDown;
  }

  private static String describe(Outcome<?> o) {
    if (o instanceof Outcome.TimedOut<?> t) {
      return "timed out: " + t.detail();
    } else if (o instanceof Outcome.Interrupted<?> i) {
      return "interrupted (may or may not have taken effect): " + i.detail();
    } else if (o instanceof Outcome.LinkDown<?> l) {
      return "link down: " + l.detail();
    }
    return String.valueOf(o);
  }
}
