"""Stand-in `espnow` (both API generations) and `network` modules over an espnow_model.Chip.

make_espnow(chip, 2) looks like current MicroPython's `espnow` module; make_espnow(chip, 1) like
the older `esp.espnow`. make_network(chip) provides WLAN(STA_IF/AP_IF). Runs on CPython and
MicroPython.
"""

import espnow_model as M


class _Module:
    """A plain attribute bag standing in for a module object."""


def _constants(mod):
    mod.MAX_DATA_LEN = M.MAX_DATA_LEN
    mod.KEY_LEN = M.KEY_LEN
    mod.MAX_TOTAL_PEER_NUM = M.MAX_TOTAL_PEER_NUM
    mod.MAX_ENCRYPT_PEER_NUM = M.MAX_ENCRYPT_PEER_NUM


class _Common:
    """Methods the two generations share (espnow-api-generations.md, 'The same in both')."""

    def __init__(self, chip):
        self._d = chip.driver

    def send(self, mac, msg=None, sync=True):
        if msg is None:  # send(msg): to all peers
            mac, msg = None, mac
        return self._d.send(mac, msg, sync)

    def add_peer(self, mac, lmk=None, channel=None, ifidx=None, encrypt=None):
        self._d.add_peer(mac, lmk, channel, ifidx, encrypt)

    def mod_peer(self, mac, lmk=None, channel=None, ifidx=None, encrypt=None):
        self._d.mod_peer(mac, lmk, channel, ifidx, encrypt)

    def del_peer(self, mac):
        self._d.del_peer(mac)

    def get_peer(self, mac):
        return self._d.get_peer(mac)

    def get_peers(self):
        return self._d.get_peers()

    def peer_count(self):
        return self._d.peer_count()

    def set_pmk(self, pmk):
        self._d.set_pmk(pmk)

    def stats(self):
        self._d.check_init()
        return tuple(self._d.stats)

    def __iter__(self):
        return self


class ESPNowCurrent(_Common):
    """Current MicroPython: active(), config(timeout_ms=), irq(), any(), recvinto(), peers_table."""

    def __init__(self, chip):
        _Common.__init__(self, chip)
        self._data = [None, bytearray(M.MAX_DATA_LEN)]
        self._none = (None, None)

    @property
    def peers_table(self):
        return self._d.table

    def active(self, flag=None):
        if flag is None:
            return self._d.active
        if flag:
            self._d.init()
        else:
            self._d.deinit()
        return self._d.active

    def config(self, *args, **kw):
        d = self._d
        if args:
            if len(args) != 1 or kw:
                raise ValueError("get one parameter at a time")
            name = args[0]
            if name == "rxbuf":
                return d.rxbuf
            if name == "timeout_ms":
                return d.timeout_ms
            raise ValueError("unknown config param")
        for name in kw:
            v = kw[name]
            if name == "rxbuf":
                d.rxbuf = int(v)
            elif name == "timeout_ms":
                d.timeout_ms = int(v)
            elif name == "rate":
                d.rate = int(v)
            else:
                raise TypeError("unexpected keyword argument '%s'" % name)

    def irq(self, callback, arg=None):
        self._d.callback = callback
        self._d.callback_arg = self if arg is None else arg

    def any(self):
        self._d.check_init()
        return self._d.any()

    def recvinto(self, data, timeout_ms=None):
        if not isinstance(data, list) or len(data) < 2:
            raise ValueError("ESPNow.recvinto(): Invalid argument")
        e = self._d.pop(timeout_ms)
        if e is None:
            return 0
        buf = data[1]
        buf[:] = e[2]  # like modespnow.c: the bytearray's length becomes the message length
        data[0] = e[0]
        if len(data) >= 4:
            data[2] = e[3]
            data[3] = e[4]
        if len(data) >= 5:
            data[4] = e[1]  # virtual-board extension: the frame's destination address
        return len(e[2])

    def irecv(self, timeout_ms=None):
        n = self.recvinto(self._data, timeout_ms)
        return self._data if n else self._none  # as MicroPython: an empty message reads as a timeout

    def recv(self, timeout_ms=None):
        self._data[0] = None
        self.recvinto(self._data, timeout_ms)
        if self._data[0] is None:
            return self._none
        return [bytes(self._data[0]), bytes(self._data[1])]

    def __next__(self):
        return self.irecv()


class ESPNowOld(_Common):
    """The older API of espnow-api.rst: init()/deinit(), config(timeout=), poll(), peers."""

    def __init__(self, chip):
        _Common.__init__(self, chip)
        self._d.rxbuf = 516
        self._msg = bytearray(M.MAX_DATA_LEN)

    @property
    def peers(self):
        return self._d.table

    def init(self):
        self._d.init()

    def deinit(self):
        self._d.deinit()

    def config(self, *args, **kw):
        d = self._d
        d.check_init()
        if args:
            if len(args) != 1 or kw:
                raise ValueError("get one parameter at a time")
            if args[0] == "rxbuf":
                return d.rxbuf
            if args[0] == "timeout":
                return d.timeout_ms
            raise ValueError("unknown config param")
        for name in kw:
            v = kw[name]
            if name == "rxbuf":
                d.rxbuf = int(v)
            elif name == "timeout":
                d.timeout_ms = int(v)
            elif name == "on_recv":
                d.callback = v
                d.callback_arg = self
            else:
                raise ValueError("unknown config param")

    def poll(self):
        self._d.check_init()
        return self._d.any()

    def irecv(self, timeout=None):
        e = self._d.pop(timeout)
        if e is None:
            return (None, None)
        self._msg[:] = e[2]
        return (e[0], self._msg)

    def recv(self, timeout=None):
        e = self._d.pop(timeout)
        if e is None:
            return (None, None)
        return (e[0], bytes(e[2]))

    def __next__(self):
        if not self._d.active:
            raise StopIteration
        return self.irecv()


def make_espnow(chip, gen):
    """The espnow module of API generation gen (1: older, 2: current) for this chip."""
    mod = _Module()
    _constants(mod)
    cls = ESPNowCurrent if gen == 2 else ESPNowOld
    singleton = []

    def ESPNow():
        if not singleton:
            singleton.append(cls(chip))
        return singleton[0]

    mod.ESPNow = ESPNow
    if gen == 2:
        mod.ADDR_LEN = M.ADDR_LEN
    return mod


class WLAN:
    """network.WLAN over a Chip: active(), config('mac'|'channel'), config(channel=)."""

    def __init__(self, chip, idx):
        self._chip = chip
        self._idx = idx

    def active(self, flag=None):
        if flag is None:
            return self._chip.if_active[self._idx]
        self._chip.if_active[self._idx] = bool(flag)
        self._chip.changed()
        return bool(flag)

    def config(self, *args, **kw):
        chip = self._chip
        if args:
            if args[0] == "mac":
                return chip.sta_mac if self._idx == M.STA_IF else chip.ap_mac
            if args[0] == "channel":
                return chip.channel
            raise ValueError("unknown config param")
        if "channel" in kw:
            ch = int(kw["channel"])
            if not 1 <= ch <= 14:
                raise ValueError("channel must be 1..14")
            chip.channel = ch
            chip.changed()

    def disconnect(self):
        pass

    def isconnected(self):
        return False


def make_network(chip):
    mod = _Module()
    mod.STA_IF = M.STA_IF
    mod.AP_IF = M.AP_IF
    ifaces = {}

    def wlan(idx=M.STA_IF):
        if idx not in ifaces:
            ifaces[idx] = WLAN(chip, idx)
        return ifaces[idx]

    mod.WLAN = wlan
    return mod
