"""Test helpers shared by CPython and MicroPython runs: golden vectors, a fake serial port, boards."""

import json
import sys

try:
    from binascii import unhexlify, hexlify
except ImportError:  # pragma: no cover
    from ubinascii import unhexlify, hexlify


def _dirname(path):
    i = path.rfind("/")
    return path[:i] if i > 0 else "."


TESTS_DIR = _dirname(__file__)
FIRMWARE_DIR = _dirname(TESTS_DIR)
REPO_DIR = _dirname(FIRMWARE_DIR)
for _p in (FIRMWARE_DIR, FIRMWARE_DIR + "/virtual_board"):
    if _p not in sys.path:
        sys.path.insert(0, _p)

import nowmesh_codec as P  # noqa: E402
import espnow_model as M  # noqa: E402
import espnow_api  # noqa: E402
import nowmesh_espnow  # noqa: E402
import nowmesh_bridge  # noqa: E402

_vectors = []


def vectors():
    if not _vectors:
        with open(REPO_DIR + "/docs/protocol-vectors.json") as f:
            _vectors.append(json.load(f))
    return _vectors[0]


def unhex(s):
    return unhexlify(s) if s else b""


def tohex(b):
    return hexlify(b).decode()


def mac(text):
    return bytes([int(p, 16) for p in text.split(":")])


_MACS = ("mac", "src", "dst", "sta_mac", "ap_mac")
_HEX = ("data", "pmk", "lmk")


def to_codec(fields):
    """Vector JSON fields -> the codec's dict form (MACs and byte strings as bytes, status as int)."""
    out = {}
    for k in fields:
        v = fields[k]
        if k in _MACS:
            v = mac(v)
        elif k in _HEX:
            v = None if v is None else unhex(v)
        elif k == "status":
            v = P.STATUS_CODES[v]
        elif k in ("peers", "acks", "entries"):
            v = [to_codec(x) for x in v]
        out[k] = v
    return out


def type_code(frame):
    if frame["kind"] == "event":
        return P.CODES[frame["type"]]
    code = P.CODES[frame["type"]]
    return code | P.REPLY if frame["kind"] == "reply" else code


class FakePort:
    """A serial port in memory: feed() what the host sends, frames() what the board wrote."""

    def __init__(self):
        self.inbuf = bytearray()
        self.out = bytearray()
        self.waits = 0

    def feed(self, data):
        self.inbuf += data

    def readinto(self, buf):
        n = min(len(buf), len(self.inbuf))
        buf[0:n] = self.inbuf[0:n]
        self.inbuf = self.inbuf[n:]
        return n

    def write(self, data, n):
        self.out += bytes(data[:n])

    def wait(self, ms):
        self.waits += 1

    def frames(self):
        """Decode and consume everything written so far: a list of (ver, type, seq, payload)."""
        got = []

        def on_frame(body, n):
            got.append((body[0], body[1], body[2] | (body[3] << 8), bytes(body[4:n - 4])))

        d = P.FrameDecoder(on_frame)
        d.feed(self.out)
        assert d.corrupt == 0 and d.oversize == 0, "board wrote a damaged frame"
        self.out = bytearray()
        return got


class Board:
    """A bridge on a model chip, with its fake serial port; boards sharing an air hear each other."""

    def __init__(self, sta_mac, air, gen=2):
        self.chip = M.Chip(sta_mac, air)
        self.espnow = espnow_api.make_espnow(self.chip, gen)
        self.network = espnow_api.make_network(self.chip)
        self.radio = nowmesh_espnow.Radio(self.espnow, gen, self.network)
        self.port = FakePort()
        self.resets = 0
        self.bridge = nowmesh_bridge.Bridge(self.radio, self.port, reset=self._on_reset)
        self.seq = 0

    def _on_reset(self):
        self.resets += 1

    def start(self):
        self.bridge.start()
        return self.port.frames()

    def run(self, rounds=20):
        for _ in range(rounds):
            self.bridge.poll()
        return self.port.frames()

    def command(self, code, fields, seq=None):
        """Send one command, run the loop, return (reply dict, other frames)."""
        if seq is None:
            self.seq = self.seq % 65535 + 1
            seq = self.seq
        self.port.feed(P.encode_frame(code, seq, P.pack(code, fields)))
        frames = self.run()
        replies = [f for f in frames if f[1] == code | P.REPLY]
        assert len(replies) == 1, "exactly one reply expected, got %r" % (frames,)
        assert replies[0][2] == seq, "reply seq %d != %d" % (replies[0][2], seq)
        others = [f for f in frames if f[1] != code | P.REPLY]
        return P.unpack(code | P.REPLY, replies[0][3]), others
