package io.nowmesh.actors.device;

import akka.Done;
import akka.NotUsed;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.stream.javadsl.Source;
import io.nowmesh.actors.device.DeviceActor.*;
import io.nowmesh.actors.espnow.EspNowError;
import io.nowmesh.actors.espnow.EspNowException;
import io.nowmesh.actors.espnow.Key;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.actors.espnow.PeerOptions;
import io.nowmesh.actors.link.ConfigParam;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The ESP-NOW API of espnow-api.rst for code that is not an actor: every method returns a
 * {@link CompletionStage} that completes with the result, or exceptionally with an
 * {@link EspNowException} (a refusal, naming its ESP_ERR_ESPNOW_* code) or a {@link DeviceException}
 * (timed out, interrupted, link down). {@link #messages()} is the spec's iteration / {@code async for}
 * as a backpressured Akka Streams Source.
 *
 * <p>Semantics: {@code send(null, msg)} goes to every added peer except broadcast/multicast ones;
 * broadcast sends always report success; encryption towards group addresses is refused. Unlike the
 * raw API, this facade <b>registers a broadcast or multicast destination for you</b> on its first
 * send (the actor protocol itself answers ESP_ERR_ESPNOW_NOT_FOUND, as the API does); pass
 * {@code autoRegisterGroups = false} to get the API's behaviour.
 */
public final class EspNowRadio {
  private final ActorRef<DeviceActor.Command> device;
  private final ActorSystem<?> system;
  private final Duration askTimeout;
  private final boolean autoRegisterGroups;

  /**
   * @param askTimeout how long to wait for the device actor; it must exceed the device's own
   *                   bounds (command timeouts, and the reconnect queue timeout while the link is down)
   */
  public EspNowRadio(ActorRef<DeviceActor.Command> device, ActorSystem<?> system, Duration askTimeout,
      boolean autoRegisterGroups) {
    this.device = device;
    this.system = system;
    this.askTimeout = askTimeout;
    this.autoRegisterGroups = autoRegisterGroups;
  }

  /** With an ask timeout derived from {@code nowmesh.device} (reconnect queue timeout + 10 s). */
  public static EspNowRadio of(ActorRef<DeviceActor.Command> device, ActorSystem<?> system) {
    DeviceSettings s = DeviceSettings.from(system.settings().config());
    return new EspNowRadio(device, system, s.reconnectQueueTimeout().plus(s.syncSendTimeout()).plusSeconds(10), true);
  }

  public ActorRef<DeviceActor.Command> device() {
    return device;
  }

  // ------------------------------------------------------------ configuration

  public CompletionStage<Done> init() {
    return ask(Init::new);
  }

  public CompletionStage<Done> deinit() {
    return ask(Deinit::new);
  }

  /** {@code config('param')}. */
  public CompletionStage<Integer> config(ConfigParam param) {
    return ask(r -> new GetConfig(param, r));
  }

  /** {@code config(param=value, ...)}. */
  public CompletionStage<Done> config(Map<ConfigParam, Integer> values) {
    return ask(r -> new SetConfig(values, r));
  }

  public CompletionStage<Done> setPmk(Key pmk) {
    return ask(r -> new SetPmk(pmk, r));
  }

  // ------------------------------------------------------------ peers

  public CompletionStage<Done> addPeer(Mac mac) {
    return addPeer(mac, PeerOptions.DEFAULT);
  }

  public CompletionStage<Done> addPeer(Mac mac, PeerOptions options) {
    return ask(r -> new AddPeer(mac, options, r));
  }

  public CompletionStage<Done> modPeer(Mac mac, PeerOptions options) {
    return ask(r -> new ModPeer(mac, options, r));
  }

  public CompletionStage<Done> delPeer(Mac mac) {
    return ask(r -> new DelPeer(mac, r));
  }

  public CompletionStage<PeerInfo> getPeer(Mac mac) {
    return ask(r -> new GetPeer(mac, r));
  }

  public CompletionStage<List<PeerInfo>> getPeers() {
    return ask(GetPeers::new);
  }

  public CompletionStage<PeerCount> peerCount() {
    return ask(GetPeerCount::new);
  }

  // ------------------------------------------------------------ sending

  /** {@code send(mac, msg)}: sync; true when every destination acked. {@code mac} null = all peers. */
  public CompletionStage<Boolean> send(Mac mac, byte[] msg) {
    return send(mac, msg, true).thenApply(SendResult::allAcked);
  }

  /** {@code send(mac, msg, sync)} with the per-peer acks. {@code mac} null = all peers. */
  public CompletionStage<SendResult> send(Mac mac, byte[] msg, boolean sync) {
    if (mac == null) {
      return ask(r -> new SendToAll(msg, sync, r));
    }
    CompletionStage<SendResult> first = ask(r -> new Send(mac, msg, sync, r));
    if (!autoRegisterGroups || !mac.isGroup()) {
      return first;
    }
    // A group address must be a registered peer before sending; do it on the first NOT_FOUND.
    return first.handle((res, err) -> {
      if (err == null) {
        return CompletableFuture.completedFuture(res);
      }
      if (unwrap(err) instanceof EspNowException e && e.error() == EspNowError.ESP_ERR_ESPNOW_NOT_FOUND) {
        return addPeer(mac).handle((d, addErr) -> addErr == null
                || unwrap(addErr) instanceof EspNowException ae && ae.error() == EspNowError.ESP_ERR_ESPNOW_EXIST)
            .thenCompose(ignored -> this.<SendResult>ask(r -> new Send(mac, msg, sync, r)));
      }
      return CompletableFuture.<SendResult>failedFuture(unwrap(err));
    }).thenCompose(Function.identity());
  }

  // ------------------------------------------------------------ receiving and status

  /** {@code recv(timeout)}: the next message, or empty on timeout (the API's (None, None)). */
  public CompletionStage<Optional<Received>> recv(Duration timeout) {
    CompletionStage<Outcome<Received>> out = AskPattern.ask(device, r -> new Receive(timeout, r),
        timeout.isNegative() ? Duration.ofDays(200) : timeout.plus(askTimeout), system.scheduler());
    return out.thenApply(o -> o instanceof Outcome.TimedOut ? Optional.<Received>empty() : Optional.of(o.orThrow()));
  }

  /** {@code poll()} / {@code any()}. */
  public CompletionStage<Boolean> poll() {
    return ask(Poll::new);
  }

  public CompletionStage<Stats> stats() {
    return ask(GetStats::new);
  }

  /** {@code peers} / {@code peers_table}: {mac: (rssi, time)}. */
  public CompletionStage<Map<Mac, RssiTable.Sample>> peersTable() {
    return ask(GetRssiTable::new);
  }

  public CompletionStage<Status> status() {
    return ask(GetStatus::new);
  }

  /**
   * Received messages as a Source: the equivalent of {@code for mac, msg in e} / {@code async for}.
   * It pulls from the device's receive buffer only when downstream asks, so a slow consumer fills
   * that bounded buffer (new messages are then dropped and counted, as on the radio) instead of
   * growing memory. Messages are shared with {@link #recv}: each goes to one reader.
   * The Source fails if the device stops.
   */
  public Source<Received, NotUsed> messages() {
    Duration wait = Duration.ofSeconds(5);
    return Source.repeat(NotUsed.getInstance())
        .mapAsync(1, n -> recv(wait))
        .filter(Optional::isPresent)
        .map(Optional::get);
  }

  // ------------------------------------------------------------ plumbing

  private <T> CompletionStage<T> ask(Function<ActorRef<Outcome<T>>, DeviceActor.Command> request) {
    CompletionStage<Outcome<T>> out = AskPattern.ask(device, request::apply, askTimeout, system.scheduler());
    return out.handle((o, err) -> {
      if (err != null) {
        throw new DeviceException(new Outcome.TimedOut<>("no answer from the device actor within "
            + askTimeout.toMillis() + " ms (" + unwrap(err) + ")"));
      }
      return o.orThrow();
    });
  }

  private static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof java.util.concurrent.CompletionException
        || c instanceof java.util.concurrent.ExecutionException) && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }
}
