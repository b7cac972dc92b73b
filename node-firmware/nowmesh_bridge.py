"""The command dispatcher: executes protocol v1 commands on a Radio and emits replies and events.

One loop, no threads: poll() reads the serial port, runs at most one queued command, performs at
most one queued async send, forwards received radio messages as RECV events and reports overflow
counters. Nothing a host sends can raise out of poll(); bad input becomes a status code.
"""

import nowmesh_codec as P

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
TX_SLOTS = P.const(4)
RX_BURST = P.const(8)
OVERFLOW_PERIOD_MS = P.const(1000)
ESPNOW_BASE = P.const(0x3064)
ZERO_MAC = b"\x00\x00\x00\x00\x00\x00"


class Unsupported(Exception):
    """The command or parameter is known but this radio cannot do it (status UNSUPPORTED)."""


class ProtocolError(Exception):
    """A status chosen by the dispatcher itself; args = (status, detail)."""


def status_of(exc):
    """Map an exception from the espnow module (or the dispatcher) to (status, detail)."""
    if isinstance(exc, ProtocolError):
        return exc.args[0], exc.args[1]
    if isinstance(exc, P.BadLength):
        return P.BAD_LENGTH, str(exc)
    if isinstance(exc, (Unsupported, NotImplementedError)):
        return P.UNSUPPORTED, str(exc)
    if isinstance(exc, OSError):
        args = exc.args
        if len(args) > 1 and args[1] in P.STATUS_CODES:
            return P.STATUS_CODES[args[1]], ""
        if args and isinstance(args[0], int):
            code = -args[0] if args[0] < 0 else args[0]
            if ESPNOW_BASE < code <= ESPNOW_BASE + 9:
                return code, ""
            if code == 12:  # ENOMEM
                return P.ESP_ERR_ESPNOW_NO_MEM, ""
        return P.FAILED, "OSError " + str(args)
    if isinstance(exc, ValueError):
        return P.ESP_ERR_ESPNOW_ARG, str(exc)
    return P.FAILED, "%s %s" % (type(exc).__name__, exc)


class Bridge:
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

    def _send_one(self, mac, data):
        ok = self.radio.send(mac, data, True)
        return True if P.is_broadcast_or_multicast(mac) else bool(ok)

    def _unicast_peers(self):
        out = []
        for p in self.radio.get_peers():
            if not P.is_broadcast_or_multicast(p[0]):
                out.append(bytes(p[0]))
        if not out:
            raise OSError(-P.ESP_ERR_ESPNOW_NOT_FOUND, "ESP_ERR_ESPNOW_NOT_FOUND")
        return out

    # ---- command handlers: return the OK result dict, or raise -----------------------------
    def _hello(self, cmd, seq):
        if cmd["host_ver"] != P.VERSION:
            raise ProtocolError(P.VERSION_MISMATCH, "speaks version %d" % P.VERSION)
        return self.boot_fields()

    def _ping(self, cmd, seq):
        if len(cmd["data"]) > P.MAX_PING:
            raise P.BadLength("PING data is at most 64 bytes")
        return {"uptime_ms": self.uptime_ms() & 0xFFFFFFFF, "data": cmd["data"]}

    def _reset_cmd(self, cmd, seq):
        self.reply(P.RESET, seq, P.OK, {})
        self.reset_pending = True
        return None

    def _init(self, cmd, seq):
        self.radio.init()
        return {}

    def _deinit(self, cmd, seq):
        self.radio.deinit()
        self._txcount = 0
        return {}

    def _config_get(self, cmd, seq):
        p = cmd["param"]
        r = self.radio
        if p == P.P_RXBUF:
            v = r.get_rxbuf()
        elif p == P.P_TIMEOUT_MS:
            v = r.get_timeout_ms()
        elif p == P.P_CHANNEL:
            v = r.get_channel()
        elif p == P.P_RATE:
            raise Unsupported("rate is write-only")
        else:
            raise ValueError("unknown config param %d" % p)
        return {"param": p, "value": v}

    def _config_set(self, cmd, seq):
        params = cmd["params"]
        if not 1 <= len(params) <= 4:
            raise P.BadLength("CONFIG_SET takes 1..4 (param, value) pairs")
        for p, v in params:  # validate all before applying any
            if p < P.P_RXBUF or p > P.P_RATE:
                raise ValueError("unknown config param %d" % p)
            if p == P.P_CHANNEL and not 1 <= v <= 14:
                raise ValueError("channel must be 1..14")
            if p == P.P_RXBUF and v <= 0:
                raise ValueError("rxbuf must be positive")
        r = self.radio
        for p, v in params:
            if p == P.P_RXBUF:
                r.set_rxbuf(v)
            elif p == P.P_TIMEOUT_MS:
                r.set_timeout_ms(v)
            elif p == P.P_CHANNEL:
                r.set_channel(v)
            else:
                r.set_rate(v)
        return {}

    def _set_pmk(self, cmd, seq):
        self.radio.set_pmk(cmd["pmk"])
        return {}

    def _check_peer(self, cmd):
        mac = cmd["mac"]
        if cmd["channel"] > 14:
            raise ValueError("channel must be 0..14")
        if cmd["ifidx"] > 1:
            raise ValueError("ifidx must be 0 (STA) or 1 (AP)")
        if cmd["encrypt"] and cmd["lmk"] is None:
            raise ValueError("encrypt needs an lmk")
        if P.is_broadcast_or_multicast(mac) and (cmd["encrypt"] or cmd["lmk"] is not None):
            raise ValueError("broadcast/multicast peers cannot be encrypted")
        return mac

    def _add_peer(self, cmd, seq):
        mac = self._check_peer(cmd)
        self.radio.add_peer(mac, cmd["lmk"], cmd["channel"], cmd["ifidx"], cmd["encrypt"])
        return {}

    def _mod_peer(self, cmd, seq):
        mac = self._check_peer(cmd)
        self.radio.mod_peer(mac, cmd["lmk"], cmd["channel"], cmd["ifidx"], cmd["encrypt"])
        return {}

    def _del_peer(self, cmd, seq):
        self.radio.del_peer(cmd["mac"])
        return {}

    @staticmethod
    def _record(p):
        enc = bool(p[4])
        return {"mac": bytes(p[0]), "encrypt": enc, "channel": p[2], "ifidx": p[3],
                "lmk": bytes(p[1]) if enc and p[1] else None}

    def _get_peer(self, cmd, seq):
        return self._record(self.radio.get_peer(cmd["mac"]))

    def _get_peers(self, cmd, seq):
        return {"peers": [self._record(p) for p in self.radio.get_peers()]}

    def _peer_count(self, cmd, seq):
        c = self.radio.peer_count()
        return {"total": c[0], "encrypted": c[1]}

    def _stats(self, cmd, seq):
        s = self.radio.stats()
        return {"tx_pkts": s[0], "tx_responses": s[1], "tx_failures": s[2],
                "rx_packets": s[3], "rx_dropped": s[4]}

    def _peers_table(self, cmd, seq):
        entries = []
        table = self.radio.peers_table()
        for mac in table:
            if len(entries) >= 80:  # 80 x 11 bytes keeps the reply inside MAX_BODY
                break
            v = table[mac]
            entries.append({"mac": bytes(mac), "rssi": v[0], "time_ms": v[1] & 0xFFFFFFFF})
        return {"entries": entries}

    def _send(self, cmd, seq):
        data = cmd["data"]
        if len(data) > P.MAX_DATA_LEN:
            raise ValueError("data is at most 250 bytes")
        r = self.radio
        if not r.active():
            raise OSError(-P.ESP_ERR_ESPNOW_NOT_INIT, "ESP_ERR_ESPNOW_NOT_INIT")
        to_all = cmd["all"]
        if not cmd["sync"]:
            if not to_all:
                r.get_peer(cmd["mac"])  # raises NOT_FOUND now rather than in SEND_DONE
            if self._txcount >= TX_SLOTS:
                raise OSError(-P.ESP_ERR_ESPNOW_NO_MEM, "ESP_ERR_ESPNOW_NO_MEM")
            slot = self._tx[(self._txhead + self._txcount) % TX_SLOTS]
            slot[0] = seq
            slot[1] = to_all
            slot[2][0:6] = cmd["mac"]
            slot[3][0:len(data)] = data
            slot[4] = len(data)
            self._txcount += 1
            return {"all_acked": True, "acks": []}
        dests = self._unicast_peers() if to_all else [cmd["mac"]]
        acks = []
        all_acked = True
        for mac in dests:
            acked = self._send_one(mac, data)
            all_acked = all_acked and acked
            acks.append({"mac": mac, "acked": acked})
        return {"all_acked": all_acked, "acks": acks}
