package io.nowmesh.actors.device;

import io.nowmesh.actors.link.Transport;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.receptionist.ServiceKey;
import io.nowmesh.actors.espnow.Key;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.actors.espnow.PeerOptions;
import io.nowmesh.actors.link.BootInfo;
import io.nowmesh.actors.link.ConfigParam;
import io.nowmesh.actors.link.Event;
import io.nowmesh.actors.link.ReplyBody;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One ESP32 radio as an actor: the whole ESP-NOW API of espnow-api.rst as messages. Every request
 * carries an {@code ActorRef<Outcome<T>>} and gets exactly one {@link Outcome}.
 *
 * <p>The actor owns the radio's transport and supervises three children: <b>peer</b> (the peer
 * table mirror, LRU virtual peers, replay after reboot), <b>receiver</b> (blocking reads, frame
 * decoding, dispatch) and <b>sender</b> (the in-flight window, timeouts, retries). See
 * docs/device-actor.md for the tree, the supervision decisions and the outcomes.
 */
public final class DeviceActor {

  /** Radios register under this key with the Receptionist, so the mesh can find them. */
  public static final ServiceKey<Command> SERVICE_KEY = ServiceKey.create(Command.class, "nowmesh-radio");

  private DeviceActor() {}

  /**
   * A device actor for the radio behind {@code transports}, which is asked for a fresh, open
   * transport at start and after every link failure.
   *
   * @param label a human name for logs (the port path, or "sim:aa:bb:..")
   */
  public static Behavior<Command> create(TransportFactory transports, DeviceSettings settings, String label) {
    return DeviceSupervisor.create(transports, settings, label);
  }

  /** A device actor for a radio on {@code transport}, which it opens (and reopens after failures). */
  public static Behavior<Command> create(Transport transport, DeviceSettings settings) {
    return create(() -> {
      transport.open();
      return transport;
    }, settings, transport.describe());
  }

  /**
   * Hands out an open transport to the radio; called at start and after each link failure, on the
   * blocking dispatcher (it may block). Throwing means "not reachable now; try again after backoff".
   */
  @FunctionalInterface
  public interface TransportFactory {
    Transport open() throws java.io.IOException;
  }

  // =============================================================== protocol

  /** Everything a DeviceActor understands. */
  public sealed interface Command {}

  /** A command that is answered with one {@link Outcome}. */
  public sealed interface Request<T> extends Command {
    ActorRef<Outcome<T>> replyTo();
  }

  /** {@code init()} / {@code active(True)}. The actor also does this itself whenever a radio connects. */
  public record Init(ActorRef<Outcome<Done>> replyTo) implements Request<Done> {}

  /** {@code deinit()}: the radio drops every peer, and so does the mirror. */
  public record Deinit(ActorRef<Outcome<Done>> replyTo) implements Request<Done> {}

  /** {@code config('param')}. */
  public record GetConfig(ConfigParam param, ActorRef<Outcome<Integer>> replyTo) implements Request<Integer> {}

  /** {@code config(param=value, ...)}: 1..4 params at once. */
  public record SetConfig(Map<ConfigParam, Integer> values, ActorRef<Outcome<Done>> replyTo)
      implements Request<Done> {
    public SetConfig {
      values = Map.copyOf(values);
    }
  }

  /** {@code set_pmk(pmk)}; kept by the host and replayed after a radio reboot. */
  public record SetPmk(Key pmk, ActorRef<Outcome<Done>> replyTo) implements Request<Done> {}

  /** {@code add_peer(mac, lmk, channel, ifidx, encrypt)}. */
  public record AddPeer(Mac mac, PeerOptions options, ActorRef<Outcome<Done>> replyTo) implements Request<Done> {}

  /** {@code mod_peer(mac, ...)}. */
  public record ModPeer(Mac mac, PeerOptions options, ActorRef<Outcome<Done>> replyTo) implements Request<Done> {}

  /** {@code del_peer(mac)}. */
  public record DelPeer(Mac mac, ActorRef<Outcome<Done>> replyTo) implements Request<Done> {}

  /** {@code get_peer(mac)}, from the host's mirror. */
  public record GetPeer(Mac mac, ActorRef<Outcome<PeerInfo>> replyTo) implements Request<PeerInfo> {}

  /** {@code get_peers()}, from the host's mirror. */
  public record GetPeers(ActorRef<Outcome<List<PeerInfo>>> replyTo) implements Request<List<PeerInfo>> {}

  /** {@code peer_count()}, from the host's mirror. */
  public record GetPeerCount(ActorRef<Outcome<PeerCount>> replyTo) implements Request<PeerCount> {}

  /**
   * {@code send(mac, msg, sync)}. A unicast destination that is not registered is registered on
   * demand (a virtual peer) unless {@code nowmesh.device.virtual-peers = off}; broadcast and
   * multicast destinations must have been added first. Broadcast sends always report acked.
   */
  public record Send(Mac to, byte[] data, boolean sync, ActorRef<Outcome<SendResult>> replyTo)
      implements Request<SendResult> {
    public Send {
      Objects.requireNonNull(to, "to (use SendToAll for send(None, msg))");
      data = data == null ? new byte[0] : data;
    }

    @Override
    public String toString() {
      return "Send[to=" + to + ", " + data.length + " bytes, sync=" + sync + "]";
    }
  }

  /** {@code send(None, msg, sync)}: every explicitly added peer except broadcast and multicast ones. */
  public record SendToAll(byte[] data, boolean sync, ActorRef<Outcome<SendResult>> replyTo)
      implements Request<SendResult> {
    public SendToAll {
      data = data == null ? new byte[0] : data;
    }

    @Override
    public String toString() {
      return "SendToAll[" + data.length + " bytes, sync=" + sync + "]";
    }
  }

  /** {@code stats()} from the radio, plus the host's own counters. */
  public record GetStats(ActorRef<Outcome<Stats>> replyTo) implements Request<Stats> {}

  /** The spec's {@code peers} / {@code peers_table}: {mac: (rssi, time)} of senders heard. */
  public record GetRssiTable(ActorRef<Outcome<Map<Mac, RssiTable.Sample>>> replyTo)
      implements Request<Map<Mac, RssiTable.Sample>> {}

  /** Every received message is pushed to {@code subscriber} until it unsubscribes or stops. */
  public record Subscribe(ActorRef<Received> subscriber) implements Command {}

  public record Unsubscribe(ActorRef<Received> subscriber) implements Command {}

  /**
   * {@code recv(timeout)} / {@code irecv(timeout)}: the oldest buffered message, or TimedOut.
   * A negative timeout waits forever, zero answers at once.
   */
  public record Receive(Duration timeout, ActorRef<Outcome<Received>> replyTo) implements Request<Received> {}

  /** {@code poll()} / {@code any()}: whether a message is waiting for {@link Receive}. */
  public record Poll(ActorRef<Outcome<Boolean>> replyTo) implements Request<Boolean> {}

  /** Link state and what the radio said about itself. */
  public record GetStatus(ActorRef<Outcome<Status>> replyTo) implements Request<Status> {}

  // =============================================================== reply values

  public record PeerInfo(Mac mac, PeerOptions options) {}

  public record PeerCount(int total, int encrypted) {}

  /**
   * @param allAcked true when every destination acked (always for async sends and broadcasts)
   * @param acks     per destination for sync sends; empty for async ones
   */
  public record SendResult(boolean allAcked, Map<Mac, Boolean> acks) {
    public SendResult {
      acks = Map.copyOf(acks);
    }
  }

  /** One received ESP-NOW message. {@code dst} is our MAC, broadcast or a multicast address. */
  public record Received(Mac src, Mac dst, int rssi, long radioTimeMs, byte[] data, Instant receivedAt) {
    @Override
    public String toString() {
      return "Received[" + src + " -> " + dst + ", rssi=" + rssi + ", data=" + HexFormat.of().formatHex(data) + "]";
    }
  }

  /**
   * {@code stats()} plus the host's counters.
   *
   * @param radio             the radio's 5-tuple
   * @param hostRxDropped     messages dropped because the receive buffer was full
   * @param eventsLost        events missed on the link (gaps in the event counter)
   * @param linkCorrupt       frames from the radio dropped for a bad CRC or COBS
   * @param radioOverflow     the radio's last OVERFLOW report, if any
   * @param asyncAcked        SEND_DONE events that reported an ack
   * @param asyncFailed       SEND_DONE events that reported no ack
   */
  public record Stats(ReplyBody.StatsResult radio, long hostRxDropped, long eventsLost, long linkCorrupt,
      Optional<Event.Overflow> radioOverflow, long asyncAcked, long asyncFailed) {}

  /** What the actor knows about its radio. */
  public record Status(String label, boolean connected, Optional<BootInfo> boot, int reconnectAttempts) {
    public Optional<Mac> mac() {
      return boot.map(BootInfo::staMac);
    }
  }

  // =============================================================== internal messages
  // Sent by the children and by the actor to itself; package-private so only this package sees them.

  enum Child { PEER, RECEIVER, SENDER }

  /** A child (re)started and wants to be seeded with the parent's state. */
  record ChildStarted(Child child) implements Command {}

  /** The link of {@code generation} failed (read or write error); older generations are ignored. */
  record TransportFailed(int generation, String reason) implements Command {}

  record LinkOpened(Transport link) implements Command {}

  record LinkOpenFailed(String reason) implements Command {}

  record Reconnect() implements Command {}

  record BootEvent(BootInfo info) implements Command {}

  record Inbound(Event.Recv recv) implements Command {}

  record AsyncSendDone(Event.SendDone done) implements Command {}

  record OverflowReport(Event.Overflow overflow) implements Command {}

  /** Increments of the receiver's link counters. */
  record LinkCounters(long eventsLost, long corrupt) implements Command {}

  record PeerTableChanged(PeerTable.Snapshot snapshot) implements Command {}

  record ResyncDone(boolean ok) implements Command {}

  record WireResult(SenderActor.Result result) implements Command {}

  record ExpireQueued() implements Command {}

  record ReceiveTimedOut(long id) implements Command {}

  record SubscriberGone(ActorRef<Received> subscriber) implements Command {}

  /** Fault injection for supervision tests: makes {@code child} throw. Package-private on purpose. */
  record CrashChild(Child child) implements Command {}
}
