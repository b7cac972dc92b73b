"""Protocol v1 command handlers, as a mixin of the Bridge: each returns the OK result or raises.

Exceptions become status codes through status_of(): the espnow module's OSError(-code,
"ESP_ERR_ESPNOW_*") keeps its code, ValueError is ESP_ERR_ESPNOW_ARG, BadLength is BAD_LENGTH.
"""

import nowmesh_codec as P

ESPNOW_BASE = P.const(0x3064)
TX_SLOTS = P.const(4)  # async SENDs waiting to go out


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



class Commands:
    """Handlers of every command of docs/protocol.md §3; mixed into nowmesh_bridge.Bridge."""

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
            if to_all:
                self._unicast_peers()  # none registered: NOT_FOUND now (protocol §3)
            else:
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
