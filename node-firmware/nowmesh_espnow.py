"""The one adapter over MicroPython's two espnow API generations (see espnow-api-generations.md).

Generation 2 is current MicroPython (`import espnow`, active(), timeout_ms, peers_table, any(),
recvinto); generation 1 is the older API (`from esp import espnow`, init()/deinit(), timeout,
peers, poll(), irecv tuple). Everything else in the firmware talks to Radio only.
"""

try:
    from micropython import const
except ImportError:  # CPython
    def const(x):
        return x

BROADCAST = b"\xff\xff\xff\xff\xff\xff"
MAX_DATA_LEN = const(250)


def detect():
    """Return (espnow module, api generation): current MicroPython first, then the older API."""
    try:
        import espnow
        return espnow, 2
    except ImportError:
        from esp import espnow
        return espnow, 1


class Radio:
    """ESP-NOW plus the STA/AP interfaces, with one vocabulary for both API generations.

    recv() leaves the message in self.src, self.dst, self.msg, self.rssi, self.time_ms; the
    buffers are reused for every message (no allocation on the receive path with generation 2).
    dst: real MicroPython does not expose a frame's destination address, so it is this radio's
    STA MAC unless the espnow implementation fills a fifth element of the recvinto list (the
    virtual board's stand-in does; real firmware leaves it alone).
    """

    def __init__(self, espnow_mod=None, gen=None, network_mod=None):
        if espnow_mod is None:
            espnow_mod, gen = detect()
        if network_mod is None:
            import network as network_mod
        self.gen = gen
        self.mod = espnow_mod
        self.e = espnow_mod.ESPNow()
        self.sta = network_mod.WLAN(network_mod.STA_IF)
        self.ap = network_mod.WLAN(network_mod.AP_IF)
        self.sta.active(True)  # a Wi-Fi interface must be active to send or receive
        try:
            self.sta.disconnect()  # an auto-reconnect to an AP would move the channel
        except Exception:
            pass
        try:  # start clean: a soft reset may leave the driver up with old peers (protocol §7)
            if gen == 2:
                if self.e.active():
                    self.e.active(False)
            else:
                self.e.deinit()
        except Exception:
            pass
        self.sta_mac = bytes(self.sta.config("mac"))
        self.ap_mac = bytes(self.ap.config("mac"))
        self._active = False
        # recvinto list: [mac, msg, rssi, time_ms, dst]; elements 2..3 are filled by current
        # MicroPython, element 4 only by the virtual board.
        self._rx = [None, bytearray(MAX_DATA_LEN), 0, 0, None]
        self.src = None
        self.dst = self.sta_mac
        self.msg = self._rx[1]
        self.rssi = 0
        self.time_ms = 0

    # ---- life cycle ------------------------------------------------------------------------
    def init(self):
        if self.gen == 2:
            self.e.active(True)
        else:
            self.e.init()
        self._active = True

    def deinit(self):
        if self.gen == 2:
            self.e.active(False)
        else:
            self.e.deinit()
        self._active = False

    def active(self):
        if self.gen == 2:
            return bool(self.e.active())
        return self._active

    # ---- configuration ---------------------------------------------------------------------
    def get_rxbuf(self):
        return self.e.config("rxbuf")

    def set_rxbuf(self, n):
        self.e.config(rxbuf=n)

    def get_timeout_ms(self):
        return self.e.config("timeout_ms" if self.gen == 2 else "timeout")

    def set_timeout_ms(self, ms):
        if self.gen == 2:
            self.e.config(timeout_ms=ms)
        else:
            self.e.config(timeout=ms)

    def get_channel(self):
        return self.sta.config("channel")

    def set_channel(self, ch):
        self.sta.config(channel=ch)

    def set_rate(self, rate):
        """Raise NotImplementedError where the espnow module cannot set the PHY rate."""
        if self.gen != 2:
            raise NotImplementedError("rate")
        try:
            self.e.config(rate=rate)
        except TypeError:
            raise NotImplementedError("rate")

    # ---- peers -----------------------------------------------------------------------------
    def set_pmk(self, pmk):
        self.e.set_pmk(pmk)

    def add_peer(self, mac, lmk, channel, ifidx, encrypt):
        self.e.add_peer(mac, lmk if lmk is not None else b"", channel, ifidx, encrypt)

    def mod_peer(self, mac, lmk, channel, ifidx, encrypt):
        self.e.mod_peer(mac, lmk if lmk is not None else b"", channel, ifidx, encrypt)

    def del_peer(self, mac):
        self.e.del_peer(mac)

    def get_peer(self, mac):
        """(mac, lmk, channel, ifidx, encrypt) as the API returns it."""
        return self.e.get_peer(mac)

    def get_peers(self):
        return self.e.get_peers()

    def peer_count(self):
        return self.e.peer_count()

    def peers_table(self):
        """{mac: [rssi, time_ms]} of recently heard peers."""
        return self.e.peers_table if self.gen == 2 else self.e.peers

    def stats(self):
        return self.e.stats()

    # ---- data ------------------------------------------------------------------------------
    def send(self, mac, data, sync):
        return self.e.send(mac, data, sync)

    def any(self):
        return self.e.any() if self.gen == 2 else self.e.poll()

    def recv(self):
        """Read one waiting message without blocking; return its length, or -1 if none."""
        if self.gen == 2:
            rx = self._rx
            rx[0] = None
            rx[4] = None
            n = self.e.recvinto(rx, 0)
            if rx[0] is None:
                return -1
            self.src = rx[0]
            self.msg = rx[1]
            self.rssi = rx[2]
            self.time_ms = rx[3]
            self.dst = rx[4] if rx[4] is not None else self.sta_mac
            return n
        mac, msg = self.e.irecv(0)
        if mac is None:
            return -1
        self.src = mac
        self.msg = msg
        self.dst = self.sta_mac
        entry = self.e.peers.get(mac) if hasattr(self.e, "peers") else None
        if entry is not None:
            self.rssi = entry[0]
            self.time_ms = entry[1]
        else:
            self.rssi = 0
            self.time_ms = 0
        return len(msg)
