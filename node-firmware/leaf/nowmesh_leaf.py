"""NowMesh leaf-node library: build, parse, send and receive mesh envelopes over espnow."""

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


def room(mtype):
    """Payload bytes left after the header (230, or 226 for ACK/RESPONSE)."""
    return MAX_DATA_LEN - HEADER_LEN - (4 if has_ref(mtype) else 0)


def encode(mtype, origin, msg_id, dest, payload=b'', hops=0, ack_req=False, ref=0):
    """Returns the envelope bytes; raises ValueError for a field out of range."""
    if mtype not in TYPE_NAMES:
        raise ValueError('unknown message type')
    if len(origin) != 6 or len(dest) != 6:
        raise ValueError('a MAC address is exactly 6 bytes')
    if len(payload) > room(mtype):
        raise ValueError('payload too long for one envelope')
    if not 0 <= hops <= 255:
        raise ValueError('hops is one byte')
    n = HEADER_LEN + (4 if has_ref(mtype) else 0)
    buf = bytearray(n + len(payload))
    buf[0] = MAGIC
    buf[1] = (VERSION << 4) | mtype
    buf[2] = FLAG_ACK_REQ if ack_req else 0
    buf[3] = hops
    buf[4:10] = origin
    buf[10:14] = (msg_id & 0xFFFFFFFF).to_bytes(4, 'big')
    buf[14:20] = dest
    if has_ref(mtype):
        buf[20:24] = (ref & 0xFFFFFFFF).to_bytes(4, 'big')
    buf[n:] = payload
    return bytes(buf)


def decode(msg):
    """Returns (type, ack_req, hops, origin, id, dest, ref, payload); raises DecodeError(reason)."""
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
    if flags & FLAG_AUTH:
        raise DecodeError('AUTH_UNSUPPORTED')
    ref = int.from_bytes(msg[20:24], 'big') if has_ref(mtype) else 0
    return (mtype, bool(flags & FLAG_ACK_REQ), msg[3], bytes(msg[4:10]),
            int.from_bytes(msg[10:14], 'big'), bytes(msg[14:20]), ref, bytes(msg[start:]))


class Leaf:
    """One node's mesh endpoint on an espnow object (older `esp.espnow` or current `espnow`)."""

    def __init__(self, esp, my_mac, gateway=None, hops=DEFAULT_HOPS, on_request=None):
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
        msg = encode(DATA, self.mac, mid, dest, payload, self.hops if dest[0] & 1 else 0, ack)
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
                self._air(src, encode(RESPONSE, self.mac, self._id(), origin, out or b'', 0, False, mid))
            elif ack_req:
                self._air(src, encode(ACK, self.mac, self._id(), origin, b'', 0, False, mid))
        if not self._remember(origin, mid):
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
