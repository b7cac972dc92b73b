package io.nowmesh.actors.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.nowmesh.actors.device.DeviceActor;
import io.nowmesh.actors.device.Outcome;
import io.nowmesh.actors.espnow.EspNowError;
import java.time.Duration;
import java.util.function.Function;

/** Shared helpers for the reliability tests: config, asks with deadlines, link state waits. */
final class ReliabilityFixture {
  static final Duration WAIT = Duration.ofSeconds(15);

  private ReliabilityFixture() {}

  /** Quick reconnect and restart backoffs; the overrides win. */
  static Config config(String overrides) {
    return ConfigFactory.parseString(overrides + "\n"
            + "nowmesh.device.reconnect.min-backoff = 50ms\n"
            + "nowmesh.device.reconnect.max-backoff = 400ms\n"
            + "nowmesh.device.child-restart.min-backoff = 10ms\n"
            + "nowmesh.device.child-restart.max-backoff = 200ms\n")
        .withFallback(ConfigFactory.load());
  }

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

  /** Asserts a refusal with {@code error} whose detail names the error and contains {@code rule}. */
  static <T> Outcome.Refused<T> refused(ActorTestKit kit, ActorRef<DeviceActor.Command> device, EspNowError error,
      String rule, Function<ActorRef<Outcome<T>>, DeviceActor.Command> request) {
    Outcome<T> out = ask(kit, device, request);
    Outcome.Refused<T> r = assertInstanceOf(Outcome.Refused.class, out, () -> "expected Refused, got " + out);
    assertEquals(error, r.error(), r.detail());
    assertTrue(r.detail().startsWith(error.name()), "the detail names the error: " + r.detail());
    assertTrue(r.detail().contains(rule), "the detail names the rule '" + rule + "': " + r.detail());
    return r;
  }

  static DeviceActor.Status status(ActorTestKit kit, ActorRef<DeviceActor.Command> device) {
    return ok(kit, device, DeviceActor.GetStatus::new);
  }

  static void awaitConnected(ActorTestKit kit, ActorRef<DeviceActor.Command> device) {
    awaitLink(kit, device, true);
  }

  static void awaitDisconnected(ActorTestKit kit, ActorRef<DeviceActor.Command> device) {
    awaitLink(kit, device, false);
  }

  private static void awaitLink(ActorTestKit kit, ActorRef<DeviceActor.Command> device, boolean up) {
    TestProbe<Outcome<DeviceActor.Status>> probe = kit.createTestProbe();
    probe.awaitAssert(WAIT, Duration.ofMillis(20), () -> {
      device.tell(new DeviceActor.GetStatus(probe.ref()));
      Outcome<?> s = probe.expectMessageClass(Outcome.class, WAIT);
      DeviceActor.Status st = ((Outcome.Ok<DeviceActor.Status>) s).value();
      if (st.connected() != up) {
        throw new AssertionError((up ? "not connected yet: " : "still connected: ") + st);
      }
      return null;
    });
  }

  static LoadDriver.Report askDriver(ActorTestKit kit, ActorRef<LoadDriver.Msg> driver) {
    TestProbe<LoadDriver.Report> p = kit.createTestProbe();
    driver.tell(new LoadDriver.GetLedger(p.ref()));
    return p.expectMessageClass(LoadDriver.Report.class, WAIT);
  }
}
