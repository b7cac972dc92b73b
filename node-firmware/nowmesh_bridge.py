"""The command dispatcher: executes protocol v1 commands on a Radio and emits replies and events.

One loop, no threads: poll() reads the serial port, runs at most one queued command, performs at
most one queued async send, forwards received radio messages as RECV events and reports overflow
counters. Nothing a host sends can raise out of poll(); bad input becomes a status code.
"""

import nowmesh_codec as P
from nowmesh_commands import TX_SLOTS, Commands, ProtocolError, Unsupported, status_of  # noqa: F401

try:
    import gc
except ImportError:  # pragma: no cover
    gc = None

try:
    from time import ticks_ms, ticks_diff
except ImportError:  # CPython
    import time as _time

    def ticks_ms():
        return int(_time.monotonic() * 1000) & 0x3FFFFFFF

    def ticks_diff(a, b):
        return ((a - b + 0x20000000) & 0x3FFFFFFF) - 0x20000000

FW_VERSION = "nowmesh-fw 0.1.0"
QUEUE_DEPTH = P.const(4)
RX_BURST = P.const(8)
OVERFLOW_PERIOD_MS = P.const(1000)


class Bridge(Commands):
    """Serial protocol v1 on one side, a Radio (nowmesh_espnow) on the other.

    port: readinto(buf) -> bytes read (0 when none, never blocks), write(buf, n) (buf[0:n], whole),
    wait(ms).
    reset: called (after the RESET reply is written) to restart the firmware.
    """

    def __init__(self, radio, port, reset=None, fw_version=FW_VERSION, queue_depth=QUEUE_DEPTH):
        self.radio = radio
        self.port = port
        self._reset = reset
        self.fw_version = fw_version
        self.queue_depth = queue_depth
        self.writer = P.FrameWriter(port.write)
        self.decoder = P.FrameDecoder(self._on_frame)
        self.ev_seq = 0
        self._uptime = 0          # ms since start, accumulated so it outlives the ticks wrap
        self._uptime_at = ticks_ms()
        self._in = bytearray(256)
        # Commands waiting to run: a ring of pre-allocated frame bodies.
        self._q = [bytearray(P.MAX_BODY) for _ in range(queue_depth)]
        self._qlen = [0] * queue_depth
        self._qhead = 0
        self._qcount = 0
        # Async sends waiting to go out: [cmd_seq, all, mac(6), data(250), length].
        self._tx = [[0, False, bytearray(6), bytearray(P.MAX_DATA_LEN), 0] for _ in range(TX_SLOTS)]
        self._txhead = 0
        self._txcount = 0
        self.busy_refused = 0
        self.version_dropped = 0
        self._rx_dropped = 0
        self._reported = (0, 0, 0, 0)
        self._last_overflow = ticks_ms() - OVERFLOW_PERIOD_MS
        self.reset_pending = False
        self._handlers = {
            P.HELLO: self._hello, P.PING: self._ping, P.RESET: self._reset_cmd,
            P.INIT: self._init, P.DEINIT: self._deinit, P.CONFIG_GET: self._config_get,
            P.CONFIG_SET: self._config_set, P.SET_PMK: self._set_pmk,
            P.ADD_PEER: self._add_peer, P.DEL_PEER: self._del_peer, P.MOD_PEER: self._mod_peer,
            P.GET_PEER: self._get_peer, P.GET_PEERS: self._get_peers,
            P.PEER_COUNT: self._peer_count, P.SEND: self._send, P.STATS: self._stats,
            P.PEERS_TABLE: self._peers_table,
        }

    # ---- start-up and the loop -------------------------------------------------------------
    def start(self):
        """Flush the host's decoder with a lone 0x00, then announce BOOT."""
        self.port.write(b"\x00", 1)
        self.event(P.EV_BOOT, self.boot_fields())
        self.log(20, "%s api_gen %d ready" % (self.fw_version, self.radio.gen))

    def run(self):
        """Serve forever; an unexpected error is logged and the loop goes on."""
        self.start()
        while True:
            try:
                if not self.poll():
                    self.port.wait(2)
            except Exception as e:  # never die on bad input or a radio hiccup
                self._safe_log(40, "loop error: %s %s" % (type(e).__name__, e))

    def poll(self):
        """One round of work; return True if anything was done."""
        busy = False
        n = self.port.readinto(self._in)
        if n:
            self.decoder.feed(self._in, n)
            busy = True
        if self._qcount:
            self._execute_next()
            busy = True
        if self.reset_pending:
            self.reset_pending = False
            if self._reset is not None:
                self._reset()
        if self._txcount:
            self._pump_tx()
            busy = True
        if self._pump_rx():
            busy = True
        self._check_overflow()
        return busy

    # ---- frames in -------------------------------------------------------------------------
    def _on_frame(self, body, n):
        ver = body[0]
        typ = body[1]
        seq = body[2] | (body[3] << 8)
        if not P.is_command(typ):
            if ver != P.VERSION:
                self.version_dropped += 1
            return  # replies and events are not for us
        if ver != P.VERSION:
            self.version_dropped += 1
            self.reply(typ, seq, P.VERSION_MISMATCH, "speaks version %d" % P.VERSION)
            return
        if self._qcount >= self.queue_depth:
            self.busy_refused += 1
            self.reply(typ, seq, P.BUSY, "")
            return
        i = (self._qhead + self._qcount) % self.queue_depth
        self._q[i][0:n] = body[0:n]
        self._qlen[i] = n
        self._qcount += 1

    def _execute_next(self):
        i = self._qhead
        self._qhead = (i + 1) % self.queue_depth
        self._qcount -= 1
        body = self._q[i]
        n = self._qlen[i]
        typ = body[1]
        seq = body[2] | (body[3] << 8)
        handler = self._handlers.get(typ)
        if handler is None:
            self.reply(typ, seq, P.UNKNOWN_COMMAND, "type 0x%02x" % typ)
            return
        try:
            cmd = P.unpack(typ, body, P.HEADER_LEN, n - P.CRC_LEN)
            result = handler(cmd, seq)
        except Exception as e:
            status, detail = status_of(e)
            self.reply(typ, seq, status, detail)
            return
        if result is not None:  # None: the handler replied itself
            self.reply(typ, seq, P.OK, result)

    # ---- frames out ------------------------------------------------------------------------
    def reply(self, typ, seq, status, result):
        """Reply to command typ/seq: result is a dict when status is OK, else a detail text."""
        msg = result if status == P.OK else {"detail": result}
        msg["status"] = status
        w = self.writer
        try:
            end = P.pack_into(typ | P.REPLY, msg, w.body, P.HEADER_LEN)
        except Exception as e:  # a result that does not fit: still exactly one reply
            msg = {"status": P.FAILED, "detail": "reply: %s" % e}
            end = P.pack_into(typ | P.REPLY, msg, w.body, P.HEADER_LEN)
        w.send(typ | P.REPLY, seq, end - P.HEADER_LEN)

    def _next_ev_seq(self):
        s = self.ev_seq
        self.ev_seq = (s + 1) & 0xFFFF
        return s

    def event(self, code, fields):
        w = self.writer
        end = P.pack_into(code, fields, w.body, P.HEADER_LEN)
        w.send(code, self._next_ev_seq(), end - P.HEADER_LEN)

    def log(self, level, text):
        b = text.encode("utf-8")
        if len(b) > 200:
            text = b[:200].decode("utf-8", "ignore") if hasattr(b, "decode") else text[:200]
        self.event(P.EV_LOG, {"level": level, "text": text})

    def _safe_log(self, level, text):
        try:
            self.log(level, text)
        except Exception:
            pass

    def boot_fields(self):
        r = self.radio
        try:
            channel = r.get_channel()
        except Exception:
            channel = 0
        free = 0
        if gc is not None and hasattr(gc, "mem_free"):
            gc.collect()
            free = gc.mem_free()
        return {"proto_ver": P.VERSION, "api_gen": r.gen, "sta_mac": r.sta_mac,
                "ap_mac": r.ap_mac, "channel": channel, "max_data_len": P.MAX_DATA_LEN,
                "max_peers": 20, "max_encrypt": 6, "queue_depth": self.queue_depth,
                "free_mem": free & 0xFFFFFFFF, "fw_ver": self.fw_version}

    # ---- receive path (no allocation with API generation 2) -------------------------------
    def _pump_rx(self):
        r = self.radio
        done = 0
        while done < RX_BURST and r.active() and r.any():
            n = r.recv()
            if n < 0:
                break
            w = self.writer
            end = P.pack_recv_into(w.body, P.HEADER_LEN, r.src, r.dst, r.rssi, r.time_ms, r.msg, n)
            w.send(P.EV_RECV, self._next_ev_seq(), end - P.HEADER_LEN)
            done += 1
        return done > 0

    def uptime_ms(self):
        now = ticks_ms()
        self._uptime += ticks_diff(now, self._uptime_at)
        self._uptime_at = now
        return self._uptime

    def _check_overflow(self):
        now = ticks_ms()
        if ticks_diff(now, self._last_overflow) < OVERFLOW_PERIOD_MS:
            return
        self._last_overflow = now
        self.uptime_ms()  # at least once a second: ticks_diff is only exact within 2^29 ms
        try:
            if self.radio.active():
                self._rx_dropped = self.radio.stats()[4]
        except Exception:
            pass
        d = self.decoder
        cur = (self._rx_dropped, d.corrupt, d.oversize, self.busy_refused)
        if cur != self._reported:
            self._reported = cur
            self.event(P.EV_OVERFLOW, {"rx_dropped": cur[0], "serial_corrupt": cur[1],
                                       "serial_oversize": cur[2], "busy_refused": cur[3]})

    # ---- async sends -----------------------------------------------------------------------
    def _pump_tx(self):
        slot = self._tx[self._txhead]
        self._txhead = (self._txhead + 1) % TX_SLOTS
        self._txcount -= 1
        seq = slot[0]
        data = memoryview(slot[3])[:slot[4]]
        try:
            if slot[1]:
                dests = self._unicast_peers()
            else:
                dests = [bytes(slot[2])]
            for mac in dests:
                acked = self._send_one(mac, data)
                self.event(P.EV_SEND_DONE, {"cmd_seq": seq, "mac": mac, "acked": acked})
        except Exception as e:
            status, detail = status_of(e)
            self.log(30, "async send %d failed: %s %s" % (seq, P.STATUS_NAMES.get(status), detail))
            if not slot[1]:
                self.event(P.EV_SEND_DONE, {"cmd_seq": seq, "mac": bytes(slot[2]), "acked": False})
