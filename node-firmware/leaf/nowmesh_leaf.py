"""NowMesh leaf-node library: build, parse, send and receive mesh envelopes over espnow."""

import hashlib

try:
    from micropython import const
except ImportError:  # CPython (tests)
    def const(x):
        return x

MAGIC = const(0xA7)
VERSION = const(1)
HEADER_LEN = const(20)
MAX_DATA_LEN = const(250)
DATA = const(1)
ACK = const(2)
REQUEST = const(3)
RESPONSE = const(4)
FLAG_ACK_REQ = const(0x01)
FLAG_AUTH = const(0x02)
DEFAULT_HOPS = const(3)
DEDUP_SIZE = const(32)
AUTH_LEN = const(12)  # AUTH trailer: u32 counter + 8-byte truncated HMAC-SHA256
TAG_LEN = const(8)
REPLAY_WIDTH = const(64)
MAX_ORIGINS = const(16)  # replay windows kept by a leaf (oldest dropped)
COUNTER_RESERVE = const(256)  # counters taken from the store per flash write

BROADCAST = b'\xff\xff\xff\xff\xff\xff'
TYPE_NAMES = {DATA: 'DATA', ACK: 'ACK', REQUEST: 'REQUEST', RESPONSE: 'RESPONSE'}


class DecodeError(ValueError):
    """A payload that is not a version-1 envelope; args[0] names the broken rule."""


def group_mac(group):
    """The ESP-NOW multicast MAC of mesh group number 0..0xFFFFFF (03:4e:4d:xx:xx:xx)."""
    if group < 0 or group > 0xFFFFFF:
        raise ValueError('a group number has 24 bits')
    return bytes((0x03, 0x4E, 0x4D, (group >> 16) & 0xFF, (group >> 8) & 0xFF, group & 0xFF))


def is_group(mac):
    return (mac[0] & 0x01) != 0 and mac != BROADCAST


def has_ref(mtype):
    return mtype == ACK or mtype == RESPONSE


def room(mtype, auth=False):
    """Payload bytes left after the header (230, or 226 for ACK/RESPONSE; 12 fewer with AUTH)."""
    return MAX_DATA_LEN - HEADER_LEN - (4 if has_ref(mtype) else 0) - (AUTH_LEN if auth else 0)


def hmac_sha256(key, msg):
    """HMAC-SHA256 (RFC 2104) by hand: MicroPython has hashlib.sha256 but no hmac module."""
    if len(key) > 64:
        key = hashlib.sha256(key).digest()
    key = bytes(key) + bytes(64 - len(key))
    inner = hashlib.sha256(bytes([b ^ 0x36 for b in key]))
    inner.update(msg)
    outer = hashlib.sha256(bytes([b ^ 0x5C for b in key]))
    outer.update(inner.digest())
    return outer.digest()


def _tag(key, signed):
    """The truncated tag over the frame up to the tag, hops byte zeroed (re-airing changes hops)."""
    b = bytearray(signed)
    b[3] = 0
    return hmac_sha256(key, b)[:TAG_LEN]


def encode(mtype, origin, msg_id, dest, payload=b'', hops=0, ack_req=False, ref=0, key=None, counter=0):
    """Returns the envelope bytes (with the AUTH trailer if key is given); ValueError for a field out of range."""
    if mtype not in TYPE_NAMES:
        raise ValueError('unknown message type')
    if len(origin) != 6 or len(dest) != 6:
        raise ValueError('a MAC address is exactly 6 bytes')
    if key is not None and len(key) not in (16, 32):
        raise ValueError('the mesh key is 16 or 32 bytes')
    if len(payload) > room(mtype, key is not None):
        raise ValueError('payload too long for one envelope')
    if not 0 <= hops <= 255:
        raise ValueError('hops is one byte')
    n = HEADER_LEN + (4 if has_ref(mtype) else 0)
    buf = bytearray(n + len(payload) + (AUTH_LEN if key is not None else 0))
    buf[0] = MAGIC
    buf[1] = (VERSION << 4) | mtype
    buf[2] = (FLAG_ACK_REQ if ack_req else 0) | (FLAG_AUTH if key is not None else 0)
    buf[3] = hops
    buf[4:10] = origin
    buf[10:14] = (msg_id & 0xFFFFFFFF).to_bytes(4, 'big')
    buf[14:20] = dest
    if has_ref(mtype):
        buf[20:24] = (ref & 0xFFFFFFFF).to_bytes(4, 'big')
    buf[n:n + len(payload)] = payload
    if key is not None:
        at = n + len(payload)
        buf[at:at + 4] = (counter & 0xFFFFFFFF).to_bytes(4, 'big')
        buf[at + 4:] = _tag(key, buf[:at + 4])
    return bytes(buf)


def auth_counter(msg):
    """The AUTH trailer's counter of a decodable envelope, or None if it carries no trailer."""
    if not msg[2] & FLAG_AUTH:
        return None
    return int.from_bytes(msg[len(msg) - AUTH_LEN:len(msg) - TAG_LEN], 'big')


def verify(msg, key):
    """True if the decodable envelope msg carries an AUTH trailer whose tag key produced."""
    if not msg[2] & FLAG_AUTH:
        return False
    want = _tag(key, msg[:len(msg) - TAG_LEN])
    got = msg[len(msg) - TAG_LEN:]
    diff = 0
    for i in range(TAG_LEN):  # no early exit: timing must not reveal how much of a forgery matched
        diff |= want[i] ^ got[i]
    return diff == 0


def decode(msg):
    """Returns (type, ack_req, hops, origin, id, dest, ref, payload); raises DecodeError(reason).

    The payload excludes an AUTH trailer; check it with verify(msg, key) and auth_counter(msg).
    """
    n = len(msg)
    if n == 0:
        raise DecodeError('TOO_SHORT')
    if msg[0] != MAGIC:
        raise DecodeError('NOT_AN_ENVELOPE')
    if n > MAX_DATA_LEN:
        raise DecodeError('TOO_LONG')
    if n < 2:
        raise DecodeError('TOO_SHORT')
    if msg[1] >> 4 != VERSION:
        raise DecodeError('UNSUPPORTED_VERSION')
    mtype = msg[1] & 0x0F
    if mtype not in TYPE_NAMES:
        raise DecodeError('UNKNOWN_TYPE')
    start = HEADER_LEN + (4 if has_ref(mtype) else 0)
    if n < start:
        raise DecodeError('TOO_SHORT')
    flags = msg[2]
    if flags & 0xFC:
        raise DecodeError('RESERVED_FLAGS')
    end = n - (AUTH_LEN if flags & FLAG_AUTH else 0)
    if end < start:
        raise DecodeError('TOO_SHORT')
    ref = int.from_bytes(msg[20:24], 'big') if has_ref(mtype) else 0
    return (mtype, bool(flags & FLAG_ACK_REQ), msg[3], bytes(msg[4:10]),
            int.from_bytes(msg[10:14], 'big'), bytes(msg[14:20]), ref, bytes(msg[start:end]))


class CounterStore:
    """Keeps the AUTH counter across reboots in a small file, written once per COUNTER_RESERVE sends."""

    def __init__(self, path):
        self.path = path

    def load(self):
        try:
            with open(self.path) as f:
                return int(f.read().strip() or '0')
        except (OSError, ValueError):
            return 0

    def save(self, value):
        with open(self.path, 'w') as f:
            f.write(str(value))


class Leaf:
    """One node's mesh endpoint on an espnow object (older `esp.espnow` or current `espnow`).

    With key (16 or 32 bytes, the mesh key), every envelope it sends carries the AUTH trailer, and
    broadcast/group envelopes it receives must carry a valid one (forged, unsigned and replayed ones
    are dropped and counted in self.stats). counter_store (a CounterStore) keeps the counter
    monotonic across reboots; without one a rebooted node's frames are replays until its counter
    passes the old value.
    """

    def __init__(self, esp, my_mac, gateway=None, hops=DEFAULT_HOPS, on_request=None, key=None,
                 counter_store=None):
        self.esp = esp
        self.mac = bytes(my_mac)
        self.gateway = gateway  # MAC of the gateway radio last heard from (learned if None)
        self.hops = hops
        self.on_request = on_request  # fn(origin, payload) -> response bytes
        self.groups = set()
        self._next_id = 1
        self._seen = [None] * DEDUP_SIZE  # ring of (origin, id): small, bounded, no allocation growth
        self._seen_at = 0
        self._peers = set()
        if key is not None and len(key) not in (16, 32):
            raise ValueError('the mesh key is 16 or 32 bytes')
        self.key = bytes(key) if key is not None else None
        self.stats = {'forged': 0, 'unsigned': 0, 'replayed': 0}
        self._windows = {}  # origin -> [highest counter, bitmap of the 64 below it]
        self._store = counter_store
        self._ctr = 1
        self._ctr_limit = 0
        if counter_store is not None:
            self._ctr = counter_store.load() + 1

    def _counter(self):
        if self._store is not None and self._ctr >= self._ctr_limit:
            self._ctr_limit = self._ctr + COUNTER_RESERVE
            self._store.save(self._ctr_limit)  # after a reboot we start above everything used so far
        c = self._ctr
        self._ctr = (c + 1) & 0xFFFFFFFF
        return c

    def _encode(self, mtype, mid, dest, payload, hops, ack_req, ref=0):
        if self.key is None:
            return encode(mtype, self.mac, mid, dest, payload, hops, ack_req, ref)
        return encode(mtype, self.mac, mid, dest, payload, hops, ack_req, ref, self.key, self._counter())

    def _fresh(self, origin, ctr):
        w = self._windows.get(origin)
        if w is None:
            if len(self._windows) >= MAX_ORIGINS:
                self._windows.pop(next(iter(self._windows)))
            self._windows[origin] = [ctr, 1]
            return True
        if ctr > w[0]:
            shift = ctr - w[0]
            w[1] = 1 if shift >= REPLAY_WIDTH else ((w[1] << shift) | 1) & 0xFFFFFFFFFFFFFFFF
            w[0] = ctr
            return True
        back = w[0] - ctr
        if back >= REPLAY_WIDTH or w[1] & (1 << back):
            return False
        w[1] |= 1 << back
        return True

    def join(self, group):
        self.groups.add(group_mac(group) if isinstance(group, int) else bytes(group))

    def leave(self, group):
        self.groups.discard(group_mac(group) if isinstance(group, int) else bytes(group))

    def _id(self):
        i = self._next_id
        self._next_id = (i + 1) & 0xFFFFFFFF
        return i

    def _air(self, mac, msg):
        if mac not in self._peers:
            try:
                self.esp.add_peer(mac)
            except OSError as e:  # ESP_ERR_ESPNOW_EXIST is fine: someone registered it already
                if 'EXIST' not in str(e):
                    raise
            self._peers.add(mac)
        return self.esp.send(mac, msg)

    def send(self, dest, payload, ack=False, via=None):
        """DATA to a node/gateway MAC, a group MAC or BROADCAST; returns the message id."""
        dest = bytes(dest)
        mid = self._id()
        msg = self._encode(DATA, mid, dest, payload, self.hops if dest[0] & 1 else 0, ack)
        self._remember(self.mac, mid)
        self._air(BROADCAST if dest[0] & 1 else (via or self.gateway or dest), msg)
        return mid

    def broadcast(self, payload):
        return self.send(BROADCAST, payload)

    def send_group(self, group, payload):
        return self.send(group_mac(group) if isinstance(group, int) else group, payload)

    def _remember(self, origin, mid):
        key = (origin, mid)
        if key in self._seen:
            return False
        self._seen[self._seen_at] = key
        self._seen_at = (self._seen_at + 1) % DEDUP_SIZE
        return True

    def handle(self, src, msg):
        """Processes one received frame; returns ('data'|'raw', origin, dest, payload) or None."""
        src = bytes(src)
        try:
            mtype, ack_req, hops, origin, mid, dest, ref, payload = decode(msg)
        except DecodeError:
            return ('raw', src, self.mac, bytes(msg))
        ctr = None
        if self.key is not None:
            if msg[2] & FLAG_AUTH:
                if not verify(msg, self.key):
                    self.stats['forged'] += 1
                    return None
                ctr = auth_counter(msg)
            elif dest[0] & 1:
                self.stats['unsigned'] += 1  # broadcast/group must be authenticated when we have a key
                return None
        if origin == self.mac:
            return None  # our own broadcast re-aired by a gateway
        if dest != self.mac and dest != BROADCAST and dest not in self.groups:
            return None  # a group we are not in, or unicast for another node
        if self.gateway is None and not is_group(dest) and dest != BROADCAST:
            self.gateway = src
        if mtype == ACK or mtype == RESPONSE:
            return None  # this library only answers; it does not wait for answers
        if dest == self.mac:
            # answer before dedup: a retry means our previous ACK was lost
            if mtype == REQUEST and self.on_request is not None:
                out = self.on_request(origin, payload)
                self._air(src, self._encode(RESPONSE, self._id(), origin, out or b'', 0, False, mid))
            elif ack_req:
                self._air(src, self._encode(ACK, self._id(), origin, b'', 0, False, mid))
        if not self._remember(origin, mid):
            return None
        if ctr is not None and not self._fresh(origin, ctr):
            self.stats['replayed'] += 1
            return None
        if mtype == REQUEST:
            return None
        return ('data', origin, dest, payload)

    def poll(self, timeout_ms=0):
        """Receives one frame (both espnow generations accept recv(timeout)) and handles it."""
        mac, msg = self.esp.recv(timeout_ms)
        if mac is None:
            return None
        return self.handle(mac, msg)
