"""Framing of the NowMesh serial protocol v1: CRC-32C, COBS, a bounded stream decoder and a frame writer.

Runs unchanged on MicroPython (ESP32, WebAssembly) and CPython. Hot paths use pre-allocated
buffers; the CRC is kept as two 16-bit halves so every intermediate value stays a MicroPython
small int (no heap allocation per byte on a 32-bit port).
"""

try:
    from micropython import const
except ImportError:  # CPython
    def const(x):
        return x

try:
    from array import array
except ImportError:  # pragma: no cover - every supported port has array
    array = None

VERSION = const(1)
MAX_BODY = const(1024)
# Longest COBS-encoded frame the decoder accepts without a delimiter (docs/protocol.md §1 rule 2).
MAX_WIRE = const(1030)  # MAX_BODY + MAX_BODY // 254 + 2
MIN_BODY = const(8)
HEADER_LEN = const(4)
CRC_LEN = const(4)

# ---- CRC-32C (Castagnoli, reflected 0x82F63B78) -------------------------------------------

_CRC_HI = array("H", bytes(512))
_CRC_LO = array("H", bytes(512))


def _build_crc_table():
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        _CRC_HI[i] = c >> 16
        _CRC_LO[i] = c & 0xFFFF


_build_crc_table()

_crc_out = bytearray(4)


def crc32c_into(buf, start, end, out, off):
    """Write the little-endian CRC-32C of buf[start:end] into out[off:off+4] without allocating."""
    hi = 0xFFFF
    lo = 0xFFFF
    th = _CRC_HI
    tl = _CRC_LO
    for i in range(start, end):
        k = (lo ^ buf[i]) & 0xFF
        lo = (((lo >> 8) | ((hi & 0xFF) << 8)) ^ tl[k])
        hi = (hi >> 8) ^ th[k]
    lo ^= 0xFFFF
    hi ^= 0xFFFF
    out[off] = lo & 0xFF
    out[off + 1] = lo >> 8
    out[off + 2] = hi & 0xFF
    out[off + 3] = hi >> 8


def crc32c(data):
    """CRC-32C of a bytes-like object, as an int (convenience for tests and hosts)."""
    crc32c_into(data, 0, len(data), _crc_out, 0)
    return int.from_bytes(_crc_out, "little")


# ---- COBS ------------------------------------------------------------------------------------

def cobs_encode_into(src, n, dst, off):
    """COBS-encode src[0:n] into dst starting at off; return the end offset (no delimiter)."""
    code_at = off
    o = off + 1
    code = 1
    for i in range(n):
        b = src[i]
        if b:
            dst[o] = b
            o += 1
            code += 1
            if code == 0xFF:
                dst[code_at] = code
                code_at = o
                o += 1
                code = 1
        else:
            dst[code_at] = code
            code_at = o
            o += 1
            code = 1
    dst[code_at] = code
    return o


def cobs_decode_in_place(buf, n):
    """Decode buf[0:n] (no delimiter) in place; return the decoded length, or -1 if invalid."""
    i = 0
    o = 0
    while i < n:
        code = buf[i]
        if code == 0:
            return -1
        i += 1
        end = i + code - 1
        if end > n:
            return -1
        while i < end:
            buf[o] = buf[i]
            o += 1
            i += 1
        if code != 0xFF and i < n:
            buf[o] = 0
            o += 1
    return o


def encode_frame(typ, seq, payload, ver=VERSION):
    """Return the full wire bytes (COBS + trailing 0x00) of one frame; for tests and hosts."""
    n = HEADER_LEN + len(payload)
    body = bytearray(n + CRC_LEN)
    body[0] = ver
    body[1] = typ
    body[2] = seq & 0xFF
    body[3] = (seq >> 8) & 0xFF
    body[HEADER_LEN:n] = payload
    crc32c_into(body, 0, n, body, n)
    wire = bytearray(n + CRC_LEN + (n + CRC_LEN) // 254 + 2)
    end = cobs_encode_into(body, n + CRC_LEN, wire, 0)
    wire[end] = 0
    return bytes(wire[:end + 1])


class FrameDecoder:
    """Stream decoder with a bounded buffer; calls on_frame(body, n) for every frame whose CRC holds.

    body is the decoder's own buffer (valid only during the call): ver, type, seq at 0..3,
    payload at 4..n-4. Counters: corrupt (bad COBS, short, bad CRC) and oversize.
    """

    def __init__(self, on_frame):
        self.buf = bytearray(MAX_WIRE)
        self.n = 0
        self.skipping = False
        self.corrupt = 0
        self.oversize = 0
        self.frames = 0
        self._on_frame = on_frame
        self._crc = bytearray(4)

    def reset(self):
        self.n = 0
        self.skipping = False

    def feed(self, data, count=-1):
        """Consume data[0:count] (all of it when count < 0)."""
        if count < 0:
            count = len(data)
        buf = self.buf
        for i in range(count):
            b = data[i]
            if b == 0:
                if self.skipping:
                    self.skipping = False
                elif self.n:
                    self._complete()
                self.n = 0
            elif self.skipping:
                pass
            elif self.n >= MAX_WIRE:
                self.oversize += 1
                self.n = 0
                self.skipping = True
            else:
                buf[self.n] = b
                self.n += 1

    def _complete(self):
        buf = self.buf
        m = cobs_decode_in_place(buf, self.n)
        if m < 0 or m < MIN_BODY:
            self.corrupt += 1
            return
        if m > MAX_BODY:
            self.oversize += 1
            return
        c = self._crc
        crc32c_into(buf, 0, m - CRC_LEN, c, 0)
        k = m - CRC_LEN
        if c[0] != buf[k] or c[1] != buf[k + 1] or c[2] != buf[k + 2] or c[3] != buf[k + 3]:
            self.corrupt += 1
            return
        self.frames += 1
        self._on_frame(buf, m)


class FrameWriter:
    """Builds frames in pre-allocated buffers: put the payload at body[4:], then call send().

    write(buf, n) must write buf[0:n] in one piece (the whole frame, delimiter included). That is
    MicroPython's stream write(buf, max_len), which spares the memoryview slice a frame would
    otherwise allocate.
    """

    def __init__(self, write):
        self.body = bytearray(MAX_BODY)
        self.wire = bytearray(MAX_WIRE + 1)
        self._write = write

    def send(self, typ, seq, payload_len, ver=VERSION):
        """Frame body[4:4+payload_len] with the given header; return the wire length written."""
        body = self.body
        n = HEADER_LEN + payload_len
        if n + CRC_LEN > MAX_BODY:
            raise ValueError("frame body exceeds MAX_BODY")
        body[0] = ver
        body[1] = typ
        body[2] = seq & 0xFF
        body[3] = (seq >> 8) & 0xFF
        crc32c_into(body, 0, n, body, n)
        end = cobs_encode_into(body, n + CRC_LEN, self.wire, 0)
        self.wire[end] = 0
        self._write(self.wire, end + 1)
        return end + 1
