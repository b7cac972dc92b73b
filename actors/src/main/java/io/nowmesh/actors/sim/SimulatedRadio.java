package io.nowmesh.actors.sim;

import io.nowmesh.actors.espnow.EspNowError;
import io.nowmesh.actors.espnow.EspNowException;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.actors.link.BootInfo;
import io.nowmesh.actors.link.Command;
import io.nowmesh.actors.link.CommandType;
import io.nowmesh.actors.link.Event;
import io.nowmesh.actors.link.Frame;
import io.nowmesh.actors.link.FrameDecoder;
import io.nowmesh.actors.link.InMemoryTransport;
import io.nowmesh.actors.link.MessageCodec;
import io.nowmesh.actors.link.Reply;
import java.io.IOException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The radio side of docs/protocol.md in Java: a simulated ESP32 bridge on a {@link SimulatedAir},
 * reached through the host end of an in-memory pipe ({@link #hostTransport()}). It behaves as the
 * firmware does: BOOT (after a 0x00 flush) at start and after RESET, one reply per command, RECV for
 * every received message, SEND_DONE for async sends, OVERFLOW when a counter changed (at most once per
 * {@link Settings#overflowIntervalMs()}), BUSY beyond the advertised queue_depth, api_gen 0.
 *
 * <p>Threads (three per radio, none per frame): a reader decodes the host's bytes and queues
 * commands (or answers BUSY), an executor runs them against the air and replies, and an event pump
 * moves received messages from the ESP-NOW receive buffer to the host. A host that stops reading
 * blocks only this radio's pump, so the buffer fills and further messages are dropped and counted,
 * as on the real radio.
 */
public final class SimulatedRadio implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SimulatedRadio.class);

  /** queue_depth advertised in BOOT; how often OVERFLOW may be sent; fw_ver string. */
  public record Settings(int queueDepth, long overflowIntervalMs, String fwVersion) {
    public static final Settings DEFAULT = new Settings(4, 1000, "nowmesh-sim 0.1.0");

    public Settings {
      if (queueDepth < 1 || queueDepth > 255) {
        throw new IllegalArgumentException("queue_depth must be 1..255, got " + queueDepth);
      }
    }
  }

  private final Settings settings;
  final Station station;
  private final InMemoryTransport.Pair pipe;
  private final FrameDecoder decoder = new FrameDecoder();
  private final CommandHandler handler;
  private final LinkedBlockingQueue<Frame> pending = new LinkedBlockingQueue<>();
  private final AtomicInteger owed = new AtomicInteger();
  private final AtomicLong busyRefused = new AtomicLong();
  private final Object writeLock = new Object();
  private final Object pauseLock = new Object();
  private boolean paused;
  private int eventSeq;
  /** +1 per boot; replies and events of commands started before a reboot are never written. */
  private int generation;
  /** The generation the executor's current command started in (executor thread only). */
  private int commandGeneration;
  private volatile boolean unplugged;
  private volatile boolean running = true;
  private volatile long corruptBase;
  private volatile long oversizeBase;
  private final Thread reader;
  private final Thread executor;
  private final Thread pump;

  private SimulatedRadio(SimulatedAir air, Mac staMac, double x, double y, int channel, Settings settings) {
    this.settings = settings;
    this.station = new Station(air, staMac, x, y, channel);
    this.pipe = InMemoryTransport.pair("sim-" + staMac);
    this.handler = new CommandHandler(this, station);
    air.register(station);
    String name = "sim-radio-" + staMac.toHex();
    reader = new Thread(this::readLoop, name + "-reader");
    executor = new Thread(this::executeLoop, name + "-exec");
    pump = new Thread(this::pumpLoop, name + "-events");
    for (Thread t : new Thread[] {reader, executor, pump}) {
      t.setDaemon(true);
    }
  }

  /** Puts a radio on the air and boots it (its BOOT event is waiting on the host end). */
  public static SimulatedRadio start(SimulatedAir air, Mac staMac, double x, double y, int channel, Settings s) {
    SimulatedRadio r = new SimulatedRadio(air, staMac, x, y, channel, s);
    r.sendBoot();
    r.reader.start();
    r.executor.start();
    r.pump.start();
    return r;
  }

  /** The end a host (device actor, test) talks to. */
  public InMemoryTransport hostTransport() {
    return pipe.host();
  }

  public Mac staMac() {
    return station.mac;
  }

  /** The AP interface's MAC: the STA MAC + 1, as on an ESP32. */
  public Mac apMac() {
    return Mac.ofLong((station.mac.toLong() + 1) & 0xFFFF_FFFF_FFFFL);
  }

  public Settings settings() {
    return settings;
  }

  BootInfo bootInfo() {
    Runtime rt = Runtime.getRuntime();
    return BootInfo.standard(BootInfo.API_GEN_SIMULATED, station.mac, apMac(), station.channel,
        settings.queueDepth(), Math.min(0xFFFF_FFFFL, rt.freeMemory()), settings.fwVersion());
  }

  // ------------------------------------------------------------------ test controls

  /** Simulates a crash / power cycle: forgets everything and sends a new BOOT; no reply to anything owed. */
  public void powerCycle() {
    reboot();
  }

  /**
   * Pulls the USB cable: the board loses power (leaves the air, forgets its state) and the host end
   * fails; opening it fails until {@link #plugIn()}.
   */
  public synchronized void unplug() {
    if (unplugged) {
      return;
    }
    unplugged = true;
    pipe.host().setUnplugged(true);
    station.air.unregister(station);
  }

  /** Plugs the cable back: the board boots (its BOOT is lost unless the host end is open; HELLO gets it). */
  public synchronized void plugIn() {
    if (!unplugged) {
      return;
    }
    unplugged = false;
    station.air.register(station);
    pipe.host().setUnplugged(false);
    reboot();
  }

  /** WLAN.active(False/True) on the radio: an inactive radio neither acks nor receives. */
  public void setWifiActive(boolean active) {
    station.wifiActive = active;
  }

  public void moveTo(double x, double y) {
    station.x = x;
    station.y = y;
  }

  /** Holds commands in the queue unexecuted (to test BUSY and timeouts) until {@link #resumeCommands()}. */
  public void pauseCommands() {
    synchronized (pauseLock) {
      paused = true;
    }
  }

  public void resumeCommands() {
    synchronized (pauseLock) {
      paused = false;
      pauseLock.notifyAll();
    }
  }

  public long busyRefused() {
    return busyRefused.get();
  }

  /** Frames from the host the decoder dropped as corrupt since boot. */
  public long serialCorrupt() {
    return decoder.corrupt() - corruptBase;
  }

  public long serialOversize() {
    return decoder.oversize() - oversizeBase;
  }

  public long undecryptable() {
    return station.undecryptable.get();
  }

  // ------------------------------------------------------------------ internals

  void reboot() {
    synchronized (writeLock) {
      generation++;
    }
    pending.clear();
    owed.set(0);
    station.reboot();
    busyRefused.set(0);
    corruptBase = decoder.corrupt();
    oversizeBase = decoder.oversize();
    handler.reset();
    sendBoot();
  }

  private void sendBoot() {
    synchronized (writeLock) {
      eventSeq = 0;
      writeRaw(new byte[] {0}); // flush whatever half frame the host may hold
      writeEvent(new Event.Boot(bootInfo()));
    }
  }

  void writeReply(Reply r) {
    synchronized (writeLock) {
      writeRaw(MessageCodec.encode(r).toWire());
    }
  }

  /** A reply or event caused by the executing command: dropped if the radio rebooted meanwhile. */
  void writeForCommand(io.nowmesh.actors.link.Message m) {
    synchronized (writeLock) {
      if (generation != commandGeneration) {
        return;
      }
      if (m instanceof Reply r) {
        writeReply(r);
      } else {
        writeEvent((Event) m);
      }
    }
  }

  void writeEvent(Event e) {
    synchronized (writeLock) {
      int seq = eventSeq;
      eventSeq = (eventSeq + 1) & 0xFFFF;
      writeRaw(MessageCodec.encode(seq, e).toWire());
    }
  }

  private void writeRaw(byte[] wire) {
    try {
      pipe.radio().write(wire);
    } catch (IOException e) {
      if (running) {
        log.debug("{}: host end not reading: {}", station.mac, e.getMessage());
      }
    }
  }

  private void readLoop() {
    byte[] buf = new byte[4096];
    while (running) {
      int n;
      try {
        n = pipe.radio().read(buf, 0, buf.length);
      } catch (IOException e) {
        if (!running) {
          return;
        }
        try {
          pipe.radio().open(); // the radio's own end: reopen and keep listening
        } catch (IOException ignored) {
          return;
        }
        continue;
      }
      decoder.feed(buf, 0, n, this::onFrame);
    }
  }

  private void onFrame(Frame f) {
    if (!CommandType.isCommandCode(f.type())) {
      return; // replies and events have no business arriving at a radio
    }
    while (true) {
      int o = owed.get();
      if (o >= settings.queueDepth()) {
        busyRefused.incrementAndGet();
        writeReply(Reply.error(f.seq(), f.type(), EspNowError.BUSY,
            "queue_depth " + settings.queueDepth() + " reached"));
        return;
      }
      if (owed.compareAndSet(o, o + 1)) {
        pending.add(f);
        return;
      }
    }
  }

  private void executeLoop() {
    while (running) {
      try {
        Frame f = pending.poll(100, TimeUnit.MILLISECONDS);
        if (f != null) {
          synchronized (pauseLock) {
            while (paused && running) {
              pauseLock.wait(100);
            }
          }
          execute(f);
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.error("{}: simulated radio fault", station.mac, e);
      }
    }
  }

  private void execute(Frame f) {
    synchronized (writeLock) {
      commandGeneration = generation;
    }
    Command c;
    try {
      c = (Command) MessageCodec.decode(f);
    } catch (EspNowException e) {
      release();
      writeForCommand(Reply.error(f.seq(), f.type(), e.error(), e.detail()));
      return;
    }
    handler.handle(f.seq(), c);
  }

  /** The reply for one owed command is about to be written. */
  void release() {
    owed.updateAndGet(o -> Math.max(0, o - 1));
  }

  private void pumpLoop() {
    long lastOverflow = 0;
    long[] reported = new long[4];
    while (running) {
      try {
        Received r = station.rx.poll(50);
        if (r != null) {
          writeEvent(new Event.Recv(r.src(), r.dst(), r.rssi(), r.timeMs(), r.data()));
        }
        long now = System.nanoTime() / 1_000_000L;
        if (now - lastOverflow >= settings.overflowIntervalMs()) {
          long[] current = {station.rxDropped.get(), serialCorrupt(), serialOversize(), busyRefused.get()};
          if (!java.util.Arrays.equals(current, reported)) {
            writeEvent(new Event.Overflow(current[0] & 0xFFFF_FFFFL, current[1] & 0xFFFF_FFFFL,
                current[2] & 0xFFFF_FFFFL, current[3] & 0xFFFF_FFFFL));
            reported = current;
            lastOverflow = now;
          }
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Leaves the air and stops the threads. */
  @Override
  public void close() {
    running = false;
    station.air.unregister(station);
    resumeCommands();
    pipe.radio().close();
    pipe.host().fail("simulated radio stopped"); // as an unplugged device; also wakes a blocked writer
    for (Thread t : new Thread[] {reader, executor, pump}) {
      t.interrupt();
      try {
        t.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public String toString() {
    return "SimulatedRadio[" + station.mac + ", ch " + station.channel + "]";
  }
}
