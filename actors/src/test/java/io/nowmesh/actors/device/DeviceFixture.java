package io.nowmesh.actors.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.nowmesh.actors.espnow.EspNowError;
import java.time.Duration;
import java.util.function.Function;

/** Shared helpers for device actor tests: test config and request/expect shorthands. */
final class DeviceFixture {
  static final Duration WAIT = Duration.ofSeconds(10);

  /** Quick backoffs so reconnect tests finish fast; generous timeouts for a loaded 2-core machine. */
  static Config config(String overrides) {
    return ConfigFactory.parseString(overrides + "\n"
            + "nowmesh.device.reconnect.min-backoff = 50ms\n"
            + "nowmesh.device.reconnect.max-backoff = 400ms\n"
            + "nowmesh.device.child-restart.min-backoff = 10ms\n"
            + "nowmesh.device.child-restart.max-backoff = 200ms\n"
            + "akka.loglevel = INFO\n")
        .withFallback(ConfigFactory.load());
  }

  static DeviceSettings settings(ActorTestKit kit) {
    return DeviceSettings.from(kit.system().settings().config());
  }

  private DeviceFixture() {}

  /** Sends a request and returns its outcome. */
  static <T> Outcome<T> ask(ActorTestKit kit, ActorRef<DeviceActor.Command> device,
      Function<ActorRef<Outcome<T>>, DeviceActor.Command> request) {
    TestProbe<Outcome<T>> probe = kit.createTestProbe();
    device.tell(request.apply(probe.ref()));
    @SuppressWarnings("unchecked")
    Outcome<T> out = probe.expectMessageClass(Outcome.class, WAIT);
    return out;
  }

  static <T> T ok(ActorTestKit kit, ActorRef<DeviceActor.Command> device,
      Function<ActorRef<Outcome<T>>, DeviceActor.Command> request) {
    Outcome<T> out = ask(kit, device, request);
    if (out instanceof Outcome.Ok<T> ok) {
      return ok.value();
    }
    return fail("expected Ok, got " + out);
  }

  static <T> Outcome.Refused<T> refused(ActorTestKit kit, ActorRef<DeviceActor.Command> device, EspNowError error,
      Function<ActorRef<Outcome<T>>, DeviceActor.Command> request) {
    Outcome<T> out = ask(kit, device, request);
    Outcome.Refused<T> r = assertInstanceOf(Outcome.Refused.class, out, () -> "expected Refused, got " + out);
    assertEquals(error, r.error(), r.detail());
    return r;
  }

  static <T> Outcome<T> ask(ActorTestKit kit, ActorRef<DeviceActor.Command> device, Class<T> type,
      Function<ActorRef<Outcome<T>>, DeviceActor.Command> request) {
    return ask(kit, device, request);
  }

  static <T> T ok(ActorTestKit kit, ActorRef<DeviceActor.Command> device, Class<T> type,
      Function<ActorRef<Outcome<T>>, DeviceActor.Command> request) {
    return ok(kit, device, request);
  }

  static <T> Outcome.Refused<T> refused(ActorTestKit kit, ActorRef<DeviceActor.Command> device, EspNowError error,
      Class<T> type, Function<ActorRef<Outcome<T>>, DeviceActor.Command> request) {
    return refused(kit, device, error, request);
  }

  /** Waits until the device has said HELLO and finished its resync. */
  static void awaitConnected(ActorTestKit kit, ActorRef<DeviceActor.Command> device) {
    TestProbe<Outcome<DeviceActor.Status>> probe = kit.createTestProbe();
    probe.awaitAssert(WAIT, () -> {
      device.tell(new DeviceActor.GetStatus(probe.ref()));
      Outcome<DeviceActor.Status> s = probe.expectMessageClass(Outcome.class, Duration.ofSeconds(3));
      if (!(s instanceof Outcome.Ok<DeviceActor.Status> ok) || !ok.value().connected()) {
        throw new AssertionError("not connected yet: " + s);
      }
      return null;
    });
  }
}
