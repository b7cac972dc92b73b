"""A rule-enforcing model of an ESP32's ESP-NOW driver and Wi-Fi interfaces, both API generations.

Runs on CPython (virtual board) and MicroPython (firmware tests). The rules are those of
espnow-api.rst: 20 peers, 6 encrypted, 250-byte messages, 16-byte keys, no encrypted broadcast,
a peer must be registered to send to it, and a unicast is acked only when the receiver's Wi-Fi
interface is active on the sender's channel (whether or not its ESP-NOW is initialised).
An Air connects chips: LocalAir in memory here, the UDP air in virtual_board/air.py.
"""

try:
    from time import ticks_ms as _ticks_ms
except ImportError:  # CPython
    import time as _time

    def _ticks_ms():
        return int(_time.monotonic() * 1000) & 0x3FFFFFFF

MAX_DATA_LEN = 250
KEY_LEN = 16
ADDR_LEN = 6
MAX_TOTAL_PEER_NUM = 20
MAX_ENCRYPT_PEER_NUM = 6
STA_IF = 0
AP_IF = 1
_PKT_OVERHEAD = 7  # mac + length byte per stored message: two 250-byte messages fit the default rxbuf

ERRORS = {
    "ESP_ERR_ESPNOW_NOT_INIT": 0x3065, "ESP_ERR_ESPNOW_ARG": 0x3066,
    "ESP_ERR_ESPNOW_NO_MEM": 0x3067, "ESP_ERR_ESPNOW_FULL": 0x3068,
    "ESP_ERR_ESPNOW_NOT_FOUND": 0x3069, "ESP_ERR_ESPNOW_INTERNAL": 0x306A,
    "ESP_ERR_ESPNOW_EXIST": 0x306B, "ESP_ERR_ESPNOW_IF": 0x306C, "ESP_ERR_ESPNOW_CHAN": 0x306D,
}


def esp_error(name):
    """OSError(-code, name), exactly as MicroPython's check_esp_err raises it."""
    return OSError(-ERRORS[name], name)


def _mac(mac):
    if not isinstance(mac, (bytes, bytearray)) or len(mac) != 6:
        raise ValueError("invalid buffer length")
    return bytes(mac)


def is_group(mac):
    return mac[0] & 1 == 1


class _NoLock:
    def acquire(self):
        pass

    def release(self):
        pass


class Chip:
    """One simulated ESP32: two MACs (AP = STA + 1), two interfaces, a channel, an ESP-NOW driver."""

    def __init__(self, sta_mac, air=None, lock=None):
        self.sta_mac = _mac(sta_mac)
        self.ap_mac = self.sta_mac[:5] + bytes([(self.sta_mac[5] + 1) & 0xFF])
        self.if_active = [False, False]
        self.channel = 1
        self.lock = lock if lock is not None else _NoLock()
        self.air = air if air is not None else LocalAir()
        self.driver = Driver(self)
        self.air.attach(self)

    def ticks_ms(self):
        return _ticks_ms()

    def changed(self):
        self.air.update(self)

    def listens_on(self, dst):
        """The interface index whose MAC is dst (-1: not ours)."""
        if dst == self.sta_mac:
            return STA_IF
        if dst == self.ap_mac:
            return AP_IF
        return -1


class Driver:
    """The ESP-NOW driver state: peers, keys, receive ring buffer, counters."""

    def __init__(self, chip):
        self.chip = chip
        self.active = False
        self.peers = {}       # mac -> [lmk bytes (16, zeros when none), channel, ifidx, encrypt]
        self.order = []       # registration order, as esp_now_fetch_peer walks it
        self.pmk = None
        self.rxbuf = 526
        self.timeout_ms = 300000
        self.rate = None
        self.ring = []        # [src, dst, msg, rssi, time_ms]
        self.ring_bytes = 0
        self.capacity = 0
        self.stats = [0, 0, 0, 0, 0]
        self.table = {}       # peers table: mac -> [rssi, time_ms]
        self.callback = None
        self.callback_arg = None

    # -- life cycle --
    def init(self):
        if not self.active:
            self.capacity = self.rxbuf
            self.ring = []
            self.ring_bytes = 0
            self.active = True
            self.chip.changed()

    def deinit(self):
        if self.active:
            self.active = False
            self.peers = {}
            self.order = []
            self.ring = []
            self.ring_bytes = 0
            self.chip.changed()

    def check_init(self):
        if not self.active:
            raise esp_error("ESP_ERR_ESPNOW_NOT_INIT")

    # -- peers --
    def encrypted_count(self):
        n = 0
        for m in self.peers:
            if self.peers[m][3]:
                n += 1
        return n

    def _peer_args(self, mac, lmk, channel, ifidx, encrypt, base):
        info = list(base)
        if lmk is not None:
            if lmk:
                if not isinstance(lmk, (bytes, bytearray)) or len(lmk) != KEY_LEN:
                    raise ValueError("invalid buffer length")
                info[0] = bytes(lmk)
                info[3] = True
            else:
                info[3] = False
        if channel is not None:
            if not 0 <= channel <= 14:
                raise esp_error("ESP_ERR_ESPNOW_ARG")
            info[1] = channel
        if ifidx is not None:
            if ifidx not in (STA_IF, AP_IF):
                raise esp_error("ESP_ERR_ESPNOW_ARG")
            info[2] = ifidx
        if encrypt is not None:
            info[3] = bool(encrypt)
        if info[3] and (is_group(mac) or info[0] == bytes(KEY_LEN)):
            raise esp_error("ESP_ERR_ESPNOW_ARG")  # no encrypted broadcast; encryption needs a key
        return info

    def add_peer(self, mac, lmk=None, channel=None, ifidx=None, encrypt=None):
        self.check_init()
        mac = _mac(mac)
        info = self._peer_args(mac, lmk, channel, ifidx, encrypt, [bytes(KEY_LEN), 0, STA_IF, False])
        if mac in self.peers:
            raise esp_error("ESP_ERR_ESPNOW_EXIST")
        if len(self.peers) >= MAX_TOTAL_PEER_NUM:
            raise esp_error("ESP_ERR_ESPNOW_FULL")
        if info[3] and self.encrypted_count() >= MAX_ENCRYPT_PEER_NUM:
            raise esp_error("ESP_ERR_ESPNOW_FULL")
        self.peers[mac] = info
        self.order.append(mac)

    def mod_peer(self, mac, lmk=None, channel=None, ifidx=None, encrypt=None):
        self.check_init()
        mac = _mac(mac)
        if mac not in self.peers:
            raise esp_error("ESP_ERR_ESPNOW_NOT_FOUND")
        old = self.peers[mac]
        info = self._peer_args(mac, lmk, channel, ifidx, encrypt, old)
        if info[3] and not old[3] and self.encrypted_count() >= MAX_ENCRYPT_PEER_NUM:
            raise esp_error("ESP_ERR_ESPNOW_FULL")
        self.peers[mac] = info

    def del_peer(self, mac):
        self.check_init()
        mac = _mac(mac)
        if mac not in self.peers:
            raise esp_error("ESP_ERR_ESPNOW_NOT_FOUND")
        del self.peers[mac]
        self.order.remove(mac)

    def get_peer(self, mac):
        self.check_init()
        mac = _mac(mac)
        if mac not in self.peers:
            raise esp_error("ESP_ERR_ESPNOW_NOT_FOUND")
        i = self.peers[mac]
        return (mac, i[0], i[1], i[2], i[3])

    def get_peers(self):
        self.check_init()
        return tuple(self.get_peer(m) for m in self.order)

    def peer_count(self):
        self.check_init()
        return (len(self.peers), self.encrypted_count())

    def set_pmk(self, pmk):
        self.check_init()
        if not isinstance(pmk, (bytes, bytearray)) or len(pmk) != KEY_LEN:
            raise ValueError("invalid buffer length")
        self.pmk = bytes(pmk)

    # -- data --
    def send(self, mac, msg, sync=True):
        self.check_init()
        if isinstance(msg, str):
            msg = msg.encode()
        msg = bytes(msg)
        if len(msg) > MAX_DATA_LEN:
            raise ValueError("msg too long")
        if mac is None or not mac:
            dests = [m for m in self.order if not is_group(m)]
            if not dests:
                raise esp_error("ESP_ERR_ESPNOW_NOT_FOUND")
        else:
            mac = _mac(mac)
            if mac not in self.peers:
                raise esp_error("ESP_ERR_ESPNOW_NOT_FOUND")
            dests = [mac]
        chip = self.chip
        for d in dests:
            info = self.peers[d]
            if not chip.if_active[info[2]]:
                raise esp_error("ESP_ERR_ESPNOW_IF")
            if info[1] not in (0, chip.channel):
                raise esp_error("ESP_ERR_ESPNOW_CHAN")
        all_acked = True
        for d in dests:
            info = self.peers[d]
            key = (self.pmk, info[0]) if info[3] else None
            acked = chip.air.transmit(chip, d, msg, info[2], key)
            self.stats[0] += 1
            self.stats[1] += 1
            if not acked and not is_group(d):
                self.stats[2] += 1
                all_acked = False
        return all_acked or not sync

    def deliver(self, src, dst, msg, rssi, key):
        """Called by the air when a frame for this chip arrives (may run on another thread)."""
        chip = self.chip
        chip.lock.acquire()
        try:
            if not self.active:
                return
            if key is not None:  # encrypted: only a peer holding the same keys can read it
                info = self.peers.get(src)
                if info is None or not info[3] or (self.pmk, info[0]) != key:
                    return
            if self.ring_bytes + len(msg) + _PKT_OVERHEAD > self.capacity:
                self.stats[4] += 1
                return
            self.ring.append([src, dst, msg, rssi, chip.ticks_ms()])
            self.ring_bytes += len(msg) + _PKT_OVERHEAD
            self.stats[3] += 1
        finally:
            chip.lock.release()
        if self.callback is not None:
            self.callback(self.callback_arg)

    def any(self):
        self.chip.air.pump(self.chip, 0)
        return len(self.ring) > 0

    def pop(self, timeout_ms):
        """The oldest message, waiting up to timeout_ms (< 0: forever); None on timeout."""
        self.check_init()
        if timeout_ms is None:
            timeout_ms = self.timeout_ms
        start = _ticks_ms()
        while True:
            self.chip.air.pump(self.chip, 0)
            if self.ring:
                self.chip.lock.acquire()
                try:
                    e = self.ring.pop(0)
                    self.ring_bytes -= len(e[2]) + _PKT_OVERHEAD
                finally:
                    self.chip.lock.release()
                self.table[e[0]] = [e[3], e[4]]
                return e
            waited = (_ticks_ms() - start) & 0x3FFFFFFF
            if 0 <= timeout_ms <= waited:
                return None
            self.chip.air.pump(self.chip, 5)


class LocalAir:
    """An in-memory air for tests: every attached chip hears the others at once."""

    def __init__(self):
        self.chips = []

    def attach(self, chip):
        self.chips.append(chip)

    def update(self, chip):
        pass

    def pump(self, chip, wait_ms):
        pass

    @staticmethod
    def rssi(src, dst):
        return -30 - (src[5] * 7 + dst[5] * 13) % 60

    def transmit(self, sender, dst, msg, ifidx, key):
        src = sender.ap_mac if ifidx == AP_IF else sender.sta_mac
        acked = False
        for c in self.chips:
            if c is sender or c.channel != sender.channel:
                continue
            if is_group(dst):
                if c.if_active[STA_IF] or c.if_active[AP_IF]:
                    c.driver.deliver(src, dst, msg, self.rssi(src, c.sta_mac), None)
                acked = True
            else:
                i = c.listens_on(dst)
                if i >= 0 and c.if_active[i]:
                    acked = True
                    c.driver.deliver(src, dst, msg, self.rssi(src, dst), key)
        return acked or is_group(dst)
