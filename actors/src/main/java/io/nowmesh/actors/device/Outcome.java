package io.nowmesh.actors.device;

import io.nowmesh.actors.espnow.EspNowError;
import io.nowmesh.actors.espnow.EspNowException;
import java.util.Objects;
import java.util.function.Function;

/**
 * The one and only answer a request to a {@link DeviceActor} gets. Exactly one is sent per request,
 * whatever happens to the link or the radio:
 * <ul>
 *   <li>{@link Ok} — done, with the result;
 *   <li>{@link Refused} — not done: the host's checks or the radio refused, with the
 *       ESP_ERR_ESPNOW_* (or protocol) code and the rule broken;
 *   <li>{@link TimedOut} — no answer in time; it may or may not have taken effect;
 *   <li>{@link Interrupted} — the link dropped or the radio rebooted while the command was on the
 *       wire; it may or may not have taken effect;
 *   <li>{@link LinkDown} — the radio was unreachable (link down beyond the waiting bound or time);
 *       nothing was sent.
 * </ul>
 */
public sealed interface Outcome<T> {

  record Ok<T>(T value) implements Outcome<T> {}

  record Refused<T>(EspNowError error, String detail) implements Outcome<T> {
    public Refused {
      Objects.requireNonNull(error);
      detail = detail == null ? "" : detail;
    }

    public static <T> Refused<T> of(EspNowException e) {
      return new Refused<>(e.error(), e.getMessage());
    }
  }

  record TimedOut<T>(String detail) implements Outcome<T> {}

  record Interrupted<T>(String detail) implements Outcome<T> {}

  record LinkDown<T>(String detail) implements Outcome<T> {}

  default boolean isOk() {
    return this instanceof Ok;
  }

  /** The value, or a {@link DeviceException} (an {@link EspNowException} for {@link Refused}). */
  default T orThrow() {
    if (this instanceof Ok<T> ok) {
      return ok.value();
    }
    throw toException();
  }

  /** The exception that describes a non-{@link Ok} outcome. */
  default RuntimeException toException() {
    if (this instanceof Refused<T> r) {
      return new EspNowException(r.error(), stripLabel(r));
    }
    return new DeviceException(this);
  }

  /** Same outcome with the value mapped; failures keep their kind and detail. */
  @SuppressWarnings("unchecked")
  default <U> Outcome<U> map(Function<T, U> f) {
    if (this instanceof Ok<T> ok) {
      return new Ok<>(f.apply(ok.value()));
    }
    return (Outcome<U>) this;
  }

  private static String stripLabel(Refused<?> r) {
    String prefix = r.error().label() + ": ";
    return r.detail().startsWith(prefix) ? r.detail().substring(prefix.length()) : r.detail();
  }
}
