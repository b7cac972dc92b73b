package io.nowmesh.actors.sim;

import io.nowmesh.actors.espnow.EspNowError;
import io.nowmesh.actors.espnow.EspNowException;
import io.nowmesh.actors.link.Command;
import io.nowmesh.actors.link.CommandType;
import io.nowmesh.actors.link.ConfigParam;
import io.nowmesh.actors.link.ConfigValue;
import io.nowmesh.actors.link.Event;
import io.nowmesh.actors.link.Frame;
import io.nowmesh.actors.link.Reply;
import io.nowmesh.actors.link.ReplyBody;
import java.util.ArrayList;
import java.util.List;

/**
 * Executes decoded commands for a {@link SimulatedRadio} with the espnow API's rules and writes
 * exactly one reply per command (plus SEND_DONE events for async sends). Runs on the radio's
 * executor thread only.
 */
final class CommandHandler {
  static final int DEFAULT_TIMEOUT_MS = 300_000;

  private final SimulatedRadio radio;
  private final Station station;
  private volatile int rxbuf = RxBuffer.DEFAULT_RXBUF;
  private volatile int timeoutMs = DEFAULT_TIMEOUT_MS;

  CommandHandler(SimulatedRadio radio, Station station) {
    this.radio = radio;
    this.station = station;
  }

  /** Config back to the firmware defaults (after a reboot). */
  void reset() {
    rxbuf = RxBuffer.DEFAULT_RXBUF;
    timeoutMs = DEFAULT_TIMEOUT_MS;
  }

  void handle(int seq, Command c) {
    CommandType type = c.type();
    Reply reply;
    List<Event> after = List.of();
    boolean reboot = false;
    try {
      if (c instanceof Command.Send s) {
        List<ReplyBody.PeerAck> acks = station.send(s.toAll() ? null : s.mac(), s.data());
        if (s.sync()) {
          reply = Reply.ok(seq, type, ReplyBody.SendResult.of(acks));
        } else {
          reply = Reply.ok(seq, type, ReplyBody.SendResult.QUEUED);
          List<Event> done = new ArrayList<>(acks.size());
          acks.forEach(a -> done.add(new Event.SendDone(seq, a.mac(), a.acked())));
          after = done;
        }
      } else if (c instanceof Command.Reset) {
        reply = Reply.ok(seq, type);
        reboot = true;
      } else {
        reply = Reply.ok(seq, type, execute(c));
      }
    } catch (EspNowException e) {
      reply = Reply.error(seq, type, e.error(), e.detail());
      if (e.error() == EspNowError.ESP_ERR_ESPNOW_CHAN) {
        // the most common field failure: say it in the log too, as the firmware does
        after = List.of(new Event.Log(Event.Log.WARNING, e.detail()));
      }
    }
    radio.release();
    radio.writeForCommand(reply);
    after.forEach(radio::writeForCommand);
    if (reboot) {
      radio.reboot();
    }
  }

  private ReplyBody execute(Command c) {
    if (c instanceof Command.Hello h) {
      if (h.hostVersion() != Frame.VERSION) {
        throw new EspNowException(EspNowError.VERSION_MISMATCH,
            "host speaks version " + h.hostVersion() + ", this radio " + Frame.VERSION);
      }
      return radio.bootInfo();
    } else if (c instanceof Command.Ping p) {
      return new ReplyBody.Pong(station.ticksMs(), p.data());
    } else if (c instanceof Command.Init) {
      if (!station.espnowActive) {
        station.rx.reset(rxbuf); // the buffer is allocated at init, with the rxbuf configured then
        station.espnowActive = true;
      }
    } else if (c instanceof Command.Deinit) {
      station.espnowActive = false;
      station.peers.clear();
      station.rx.reset(rxbuf);
    } else if (c instanceof Command.ConfigGet g) {
      return new ConfigValue(g.param(), get(g.param()));
    } else if (c instanceof Command.ConfigSet s) {
      for (ConfigValue v : s.values()) {
        check(v); // all or nothing: validate every pair before applying any
      }
      s.values().forEach(this::set);
    } else if (c instanceof Command.SetPmk s) {
      station.requireInit();
      station.pmk = s.pmk();
    } else if (c instanceof Command.AddPeer a) {
      station.requireInit();
      station.peers.add(a.peer().mac(), a.peer().options());
    } else if (c instanceof Command.ModPeer m) {
      station.requireInit();
      station.peers.modify(m.peer().mac(), m.peer().options());
    } else if (c instanceof Command.DelPeer d) {
      station.requireInit();
      station.peers.remove(d.mac());
    } else if (c instanceof Command.GetPeer g) {
      station.requireInit();
      return new io.nowmesh.actors.link.PeerRecord(g.mac(), station.peers.get(g.mac()));
    } else if (c instanceof Command.GetPeers) {
      station.requireInit();
      return new ReplyBody.PeerList(station.peers.list());
    } else if (c instanceof Command.PeerCount) {
      station.requireInit();
      return new ReplyBody.PeerCounts(station.peers.count(), station.peers.encryptedCount());
    } else if (c instanceof Command.Stats) {
      return station.stats();
    } else if (c instanceof Command.PeersTable) {
      List<ReplyBody.PeerRssi> entries = new ArrayList<>(station.peersTable.values());
      return new ReplyBody.PeersTableResult(entries.subList(0, Math.min(255, entries.size())));
    }
    return ReplyBody.Empty.INSTANCE;
  }

  private int get(ConfigParam p) {
    return switch (p) {
      case RXBUF -> rxbuf;
      case TIMEOUT_MS -> timeoutMs;
      case CHANNEL -> station.channel;
      case RATE -> throw new EspNowException(EspNowError.UNSUPPORTED, "the simulated radio has no PHY rate");
    };
  }

  private void check(ConfigValue v) {
    switch (v.param()) {
      case RXBUF -> {
        if (v.value() <= 0) {
          throw EspNowException.arg("rxbuf must be positive, got " + v.value());
        }
      }
      case CHANNEL -> Station.checkChannel(v.value());
      case RATE -> throw new EspNowException(EspNowError.UNSUPPORTED, "the simulated radio cannot set the rate");
      case TIMEOUT_MS -> { }
    }
  }

  private void set(ConfigValue v) {
    switch (v.param()) {
      case RXBUF -> rxbuf = v.value(); // takes effect at the next INIT, as in the API
      case TIMEOUT_MS -> timeoutMs = v.value();
      case CHANNEL -> station.channel = v.value();
      case RATE -> { }
    }
  }
}
