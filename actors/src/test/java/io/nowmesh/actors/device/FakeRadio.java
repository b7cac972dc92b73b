package io.nowmesh.actors.device;

import io.nowmesh.actors.espnow.EspNowError;
import io.nowmesh.actors.espnow.EspNowException;
import io.nowmesh.actors.espnow.Key;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.actors.link.BootInfo;
import io.nowmesh.actors.link.Bytes;
import io.nowmesh.actors.link.Command;
import io.nowmesh.actors.link.ConfigParam;
import io.nowmesh.actors.link.Event;
import io.nowmesh.actors.link.Frame;
import io.nowmesh.actors.link.FrameDecoder;
import io.nowmesh.actors.link.InMemoryTransport;
import io.nowmesh.actors.link.MessageCodec;
import io.nowmesh.actors.link.PeerRecord;
import io.nowmesh.actors.link.Reply;
import io.nowmesh.actors.link.ReplyBody;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted radio for fault-injection tests of the device actor: speaks protocol v1 on the radio
 * end of an {@link InMemoryTransport} pair, enforces the radio's own limits, and lets a test refuse
 * with NO_MEM, go silent, reboot, or inject received messages. The foundation's SimulatedRadio is
 * used where real radio behaviour matters (the spec's examples); this double is for failures.
 */
final class FakeRadio implements AutoCloseable {
  final InMemoryTransport host;
  final InMemoryTransport radio;
  final Mac mac;
  volatile int channel = 1;
  volatile int queueDepth = 4;
  /** Commands received, in order (for asserting replay order). */
  final List<Command> seen = new CopyOnWriteArrayList<>();
  /** Unicast SENDs carried out: destination and data. */
  final List<Map.Entry<Mac, Bytes>> delivered = new CopyOnWriteArrayList<>();
  /** Destinations that do not ack. */
  final Set<Mac> deaf = ConcurrentHashMap.newKeySet();
  /** The next N SENDs are answered NO_MEM. */
  final AtomicInteger noMemSends = new AtomicInteger();
  /** Command type codes whose next occurrence is answered BUSY (not executed), once each. */
  final Set<Integer> busyOnce = ConcurrentHashMap.newKeySet();
  /** Command type codes whose next occurrence is refused NOT_INIT (not executed), once each. */
  final Set<Integer> notInitOnce = ConcurrentHashMap.newKeySet();
  /** While true, commands are read but never answered. */
  volatile boolean silent;
  /** While paused, commands wait in {@link #backlog} and run, in order, on {@link #resume()}. */
  private boolean paused;
  private final List<Frame> backlog = new ArrayList<>();

  private final Map<Mac, PeerRecord> peers = Collections.synchronizedMap(new LinkedHashMap<>());
  private final FrameDecoder decoder = new FrameDecoder();
  private final Thread thread;
  private volatile boolean running = true;
  private int eventSeq;
  private boolean active;
  private Optional<Key> pmk = Optional.empty();
  private int rxbuf = 526;
  private long txPkts;
  private long rxPkts;

  FakeRadio(String name, Mac mac) {
    InMemoryTransport.Pair pair = InMemoryTransport.pair(name);
    this.host = pair.host();
    this.radio = pair.radio();
    this.mac = mac;
    this.thread = new Thread(this::loop, "fake-radio-" + name);
    thread.setDaemon(true);
    thread.start();
  }

  List<PeerRecord> peers() {
    synchronized (peers) {
      return new ArrayList<>(peers.values());
    }
  }

  /** A peer the radio has without the host having asked (e.g. left from an earlier session). */
  void preload(PeerRecord p) {
    peers.put(p.mac(), p);
  }

  synchronized Optional<Key> pmk() {
    return pmk;
  }

  BootInfo bootInfo() {
    return BootInfo.standard(BootInfo.API_GEN_SIMULATED, mac, Mac.ofLong(mac.toLong() ^ 1), channel, queueDepth, 0,
        "fake-1");
  }

  /** The firmware restarts: peers, PMK and INIT are lost, and BOOT is announced. */
  synchronized void reboot() {
    peers.clear();
    pmk = Optional.empty();
    active = false;
    eventSeq = 0;
    emit(new Event.Boot(bootInfo()), true);
  }

  synchronized void receive(Mac src, byte[] data, int rssi) {
    rxPkts++;
    emit(new Event.Recv(src, mac, rssi, 1234, Bytes.of(data)), false);
  }

  private void emit(Event e, boolean boot) {
    int seq = boot ? 0 : ++eventSeq & 0xFFFF;
    write(MessageCodec.encode(seq, e));
  }

  private void write(Frame f) {
    try {
      radio.write(f.toWire());
    } catch (IOException e) {
      // the host end is gone; like a real board, keep going
    }
  }

  private void loop() {
    byte[] buf = new byte[2048];
    while (running) {
      try {
        int n = radio.read(buf, 0, buf.length);
        if (n > 0) {
          decoder.feed(buf, 0, n, this::onFrame);
        }
      } catch (IOException e) {
        if (!running) {
          return;
        }
      }
    }
  }

  synchronized void pause() {
    paused = true;
  }

  synchronized void resume() {
    paused = false;
    List<Frame> todo = new ArrayList<>(backlog);
    backlog.clear();
    todo.forEach(this::onFrame);
  }

  /** Types of the commands waiting while paused. */
  synchronized List<Integer> backlogTypes() {
    return backlog.stream().map(Frame::type).toList();
  }

  private synchronized void onFrame(Frame f) {
    if (paused) {
      backlog.add(f);
      return;
    }
    Command c;
    try {
      c = MessageCodec.decodeCommand(f);
    } catch (EspNowException e) {
      write(MessageCodec.encode(Reply.error(f.seq(), f.type(), e.error(), e.getMessage())));
      return;
    }
    seen.add(c);
    if (busyOnce.remove(f.type())) {
      write(MessageCodec.encode(Reply.error(f.seq(), f.type(), EspNowError.BUSY, "test: busy once")));
      return;
    }
    if (notInitOnce.remove(f.type())) {
      write(MessageCodec.encode(Reply.error(f.seq(), f.type(), EspNowError.ESP_ERR_ESPNOW_NOT_INIT, "test: not init once")));
      return;
    }
    if (silent) {
      return;
    }
    Reply r;
    try {
      r = Reply.ok(f.seq(), c.type(), execute(c));
    } catch (EspNowException e) {
      r = Reply.error(f.seq(), c.type(), e.error(), e.getMessage());
    }
    write(MessageCodec.encode(r));
    if (c instanceof Command.Send s && !s.sync() && r.isOk()) {
      for (Mac m : destinations(s)) {
        emit(new Event.SendDone(f.seq(), m, m.isGroup() || !deaf.contains(m)), false);
      }
    }
  }

  private ReplyBody execute(Command c) {
    if (c instanceof Command.Hello) {
      return bootInfo();
    } else if (c instanceof Command.Init) {
      active = true;
      return ReplyBody.Empty.INSTANCE;
    } else if (c instanceof Command.Deinit) {
      active = false;
      peers.clear();
      return ReplyBody.Empty.INSTANCE;
    } else if (c instanceof Command.ConfigGet g) {
      return new io.nowmesh.actors.link.ConfigValue(g.param(), switch (g.param()) {
        case RXBUF -> rxbuf;
        case CHANNEL -> channel;
        case TIMEOUT_MS -> 300_000;
        case RATE -> throw new EspNowException(EspNowError.UNSUPPORTED, "rate cannot be set on this radio");
      });
    } else if (c instanceof Command.ConfigSet s) {
      for (var v : s.values()) {
        if (v.param() == ConfigParam.CHANNEL) {
          if (v.value() < 1 || v.value() > 14) {
            throw EspNowException.arg("channel must be 1..14");
          }
          channel = v.value();
        } else if (v.param() == ConfigParam.RXBUF) {
          rxbuf = v.value();
        } else if (v.param() == ConfigParam.RATE) {
          throw new EspNowException(EspNowError.UNSUPPORTED, "rate cannot be set on this radio");
        }
      }
      return ReplyBody.Empty.INSTANCE;
    } else if (c instanceof Command.SetPmk p) {
      pmk = Optional.of(p.pmk());
      return ReplyBody.Empty.INSTANCE;
    }
    requireActive();
    if (c instanceof Command.AddPeer a) {
      if (peers.containsKey(a.peer().mac())) {
        throw new EspNowException(EspNowError.ESP_ERR_ESPNOW_EXIST, "peer exists");
      }
      if (peers.size() >= 20) {
        throw new EspNowException(EspNowError.ESP_ERR_ESPNOW_FULL, "20 peers");
      }
      if (a.peer().options().encrypt() && peers.values().stream().filter(p -> p.options().encrypt()).count() >= 6) {
        throw new EspNowException(EspNowError.ESP_ERR_ESPNOW_FULL, "6 encrypted peers");
      }
      peers.put(a.peer().mac(), a.peer());
      return ReplyBody.Empty.INSTANCE;
    } else if (c instanceof Command.ModPeer m) {
      requirePeer(m.peer().mac());
      peers.put(m.peer().mac(), m.peer());
      return ReplyBody.Empty.INSTANCE;
    } else if (c instanceof Command.DelPeer d) {
      requirePeer(d.mac());
      peers.remove(d.mac());
      return ReplyBody.Empty.INSTANCE;
    } else if (c instanceof Command.GetPeer g) {
      requirePeer(g.mac());
      return peers.get(g.mac());
    } else if (c instanceof Command.GetPeers) {
      return new ReplyBody.PeerList(peers());
    } else if (c instanceof Command.PeerCount) {
      return new ReplyBody.PeerCounts(peers.size(), (int) peers.values().stream().filter(p -> p.options().encrypt()).count());
    } else if (c instanceof Command.Stats) {
      return new ReplyBody.StatsResult(txPkts, txPkts, 0, rxPkts, 0);
    } else if (c instanceof Command.Send s) {
      if (noMemSends.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw new EspNowException(EspNowError.ESP_ERR_ESPNOW_NO_MEM, "send buffers full");
      }
      if (!s.toAll()) {
        requirePeer(s.mac());
      }
      List<ReplyBody.PeerAck> acks = new ArrayList<>();
      for (Mac m : destinations(s)) {
        txPkts++;
        if (!m.isGroup()) {
          delivered.add(Map.entry(m, s.data()));
        }
        acks.add(new ReplyBody.PeerAck(m, m.isGroup() || !deaf.contains(m)));
      }
      return s.sync() ? ReplyBody.SendResult.of(acks) : ReplyBody.SendResult.QUEUED;
    }
    throw new EspNowException(EspNowError.UNSUPPORTED, c.type() + " is not simulated");
  }

  private List<Mac> destinations(Command.Send s) {
    if (!s.toAll()) {
      return List.of(s.mac());
    }
    synchronized (peers) {
      return peers.keySet().stream().filter(m -> !m.isGroup()).toList();
    }
  }

  private void requireActive() {
    if (!active) {
      throw new EspNowException(EspNowError.ESP_ERR_ESPNOW_NOT_INIT, "call init() first");
    }
  }

  private void requirePeer(Mac m) {
    if (!peers.containsKey(m)) {
      throw new EspNowException(EspNowError.ESP_ERR_ESPNOW_NOT_FOUND, m + " not registered");
    }
  }

  @Override
  public void close() {
    running = false;
    radio.close();
    host.close();
  }
}
