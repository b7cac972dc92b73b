"""Payloads of the NowMesh serial protocol v1: codes, status names and pack/unpack of every message.

Shared by the firmware, its tests and the virtual board. Messages are dicts keyed by the field
names of docs/protocol.md (mac as 6 bytes, byte fields as bytes, text as str). The receive hot
path has its own allocation-free packer, pack_recv_into().
"""

import struct

from nowmesh_frame import (  # noqa: F401  re-exported: one import for everything protocol
    VERSION, MAX_BODY, MAX_WIRE, HEADER_LEN, CRC_LEN, const, crc32c, crc32c_into,
    cobs_encode_into, cobs_decode_in_place, encode_frame, FrameDecoder, FrameWriter)

# ---- type codes (§3, §5) -------------------------------------------------------------------
HELLO = const(0x01)
PING = const(0x02)
RESET = const(0x03)
INIT = const(0x10)
DEINIT = const(0x11)
CONFIG_GET = const(0x12)
CONFIG_SET = const(0x13)
SET_PMK = const(0x14)
ADD_PEER = const(0x20)
DEL_PEER = const(0x21)
MOD_PEER = const(0x22)
GET_PEER = const(0x23)
GET_PEERS = const(0x24)
PEER_COUNT = const(0x25)
SEND = const(0x30)
STATS = const(0x31)
PEERS_TABLE = const(0x32)
REPLY = const(0x80)

EV_BOOT = const(0x40)
EV_RECV = const(0x41)
EV_SEND_DONE = const(0x42)
EV_LOG = const(0x43)
EV_OVERFLOW = const(0x44)

# ---- status codes (§4) ---------------------------------------------------------------------
OK = const(0x0000)
ESP_ERR_ESPNOW_NOT_INIT = const(0x3065)
ESP_ERR_ESPNOW_ARG = const(0x3066)
ESP_ERR_ESPNOW_NO_MEM = const(0x3067)
ESP_ERR_ESPNOW_FULL = const(0x3068)
ESP_ERR_ESPNOW_NOT_FOUND = const(0x3069)
ESP_ERR_ESPNOW_INTERNAL = const(0x306A)
ESP_ERR_ESPNOW_EXIST = const(0x306B)
ESP_ERR_ESPNOW_IF = const(0x306C)
ESP_ERR_ESPNOW_CHAN = const(0x306D)
UNKNOWN_COMMAND = const(0x7001)
BAD_LENGTH = const(0x7002)
VERSION_MISMATCH = const(0x7003)
BUSY = const(0x7004)
UNSUPPORTED = const(0x7005)
FAILED = const(0x7006)

STATUS_NAMES = {
    0x0000: "OK", 0x3065: "ESP_ERR_ESPNOW_NOT_INIT", 0x3066: "ESP_ERR_ESPNOW_ARG",
    0x3067: "ESP_ERR_ESPNOW_NO_MEM", 0x3068: "ESP_ERR_ESPNOW_FULL",
    0x3069: "ESP_ERR_ESPNOW_NOT_FOUND", 0x306A: "ESP_ERR_ESPNOW_INTERNAL",
    0x306B: "ESP_ERR_ESPNOW_EXIST", 0x306C: "ESP_ERR_ESPNOW_IF", 0x306D: "ESP_ERR_ESPNOW_CHAN",
    0x7001: "UNKNOWN_COMMAND", 0x7002: "BAD_LENGTH", 0x7003: "VERSION_MISMATCH",
    0x7004: "BUSY", 0x7005: "UNSUPPORTED", 0x7006: "FAILED",
}
STATUS_CODES = {}
for _k in STATUS_NAMES:
    STATUS_CODES[STATUS_NAMES[_k]] = _k

# Config params of CONFIG_GET / CONFIG_SET.
P_RXBUF = const(1)
P_TIMEOUT_MS = const(2)
P_CHANNEL = const(3)
P_RATE = const(4)

MAX_DETAIL = const(96)
MAX_PING = const(64)
MAX_DATA_LEN = const(250)

# ---- schemas -------------------------------------------------------------------------------
# Field kinds: u8 u16 u32 i8 i32, bool (u8 0/1), mac, key (16 bytes), bytes (rest), utf8 (rest),
# str8 (u8 length + utf8), peer (a peer record flattened into the message: mac encrypt channel
# ifidx lmk, lmk None when absent), sendflags (u8 -> sync, all), pairs (CONFIG_SET's
# [[param, value], ...] to the end), and ("list", item name, item schema) with a u8 count first.
_PEER = (("peer", "peer"),)
BOOT_FIELDS = (
    ("proto_ver", "u8"), ("api_gen", "u8"), ("sta_mac", "mac"), ("ap_mac", "mac"),
    ("channel", "u8"), ("max_data_len", "u8"), ("max_peers", "u8"), ("max_encrypt", "u8"),
    ("queue_depth", "u8"), ("free_mem", "u32"), ("fw_ver", "str8"))
_PEER_ITEM = (("peer", "peer"),)

NAMES = {}        # code -> NAME (replies named after their command; see reply_name())
CODES = {}        # NAME -> code (commands and events)
_SCHEMA = {}      # code -> tuple of (name, kind)


def _define(code, name, fields):
    NAMES[code] = name
    if not code & REPLY:
        CODES[name] = code
    _SCHEMA[code] = fields


for _c, _n, _cmd, _ok in (
        (HELLO, "HELLO", (("host_ver", "u8"),), BOOT_FIELDS),
        (PING, "PING", (("data", "bytes"),), (("uptime_ms", "u32"), ("data", "bytes"))),
        (RESET, "RESET", (), ()),
        (INIT, "INIT", (), ()),
        (DEINIT, "DEINIT", (), ()),
        (CONFIG_GET, "CONFIG_GET", (("param", "u8"),), (("param", "u8"), ("value", "i32"))),
        (CONFIG_SET, "CONFIG_SET", (("params", "pairs"),), ()),
        (SET_PMK, "SET_PMK", (("pmk", "key"),), ()),
        (ADD_PEER, "ADD_PEER", _PEER, ()),
        (DEL_PEER, "DEL_PEER", (("mac", "mac"),), ()),
        (MOD_PEER, "MOD_PEER", _PEER, ()),
        (GET_PEER, "GET_PEER", (("mac", "mac"),), _PEER),
        (GET_PEERS, "GET_PEERS", (), (("peers", ("list", _PEER_ITEM)),)),
        (PEER_COUNT, "PEER_COUNT", (), (("total", "u8"), ("encrypted", "u8"))),
        (SEND, "SEND", (("flags", "sendflags"), ("mac", "mac"), ("data", "bytes")),
         (("all_acked", "bool"), ("acks", ("list", (("mac", "mac"), ("acked", "bool")))))),
        (STATS, "STATS", (), (("tx_pkts", "u32"), ("tx_responses", "u32"), ("tx_failures", "u32"),
                              ("rx_packets", "u32"), ("rx_dropped", "u32"))),
        (PEERS_TABLE, "PEERS_TABLE", (), (("entries", ("list", (
            ("mac", "mac"), ("rssi", "i8"), ("time_ms", "u32")))),))):
    _define(_c, _n, _cmd)
    _define(_c | REPLY, _n, _ok)

_define(EV_BOOT, "BOOT", BOOT_FIELDS)
_define(EV_RECV, "RECV", (("src", "mac"), ("dst", "mac"), ("rssi", "i8"), ("time_ms", "u32"),
                          ("data", "bytes")))
_define(EV_SEND_DONE, "SEND_DONE", (("cmd_seq", "u16"), ("mac", "mac"), ("acked", "bool")))
_define(EV_LOG, "LOG", (("level", "u8"), ("text", "utf8")))
_define(EV_OVERFLOW, "OVERFLOW", (("rx_dropped", "u32"), ("serial_corrupt", "u32"),
                                  ("serial_oversize", "u32"), ("busy_refused", "u32")))

_FMT = {"u8": ("<B", 1), "u16": ("<H", 2), "u32": ("<I", 4), "i8": ("<b", 1), "i32": ("<i", 4)}


class BadLength(ValueError):
    """A payload too short or too long for its message (status BAD_LENGTH)."""


def is_command(code):
    return 0x01 <= code <= 0x3F


def is_reply(code):
    return 0x81 <= code <= 0xBF


def is_event(code):
    return 0x40 <= code <= 0x7F


def schema(code):
    return _SCHEMA.get(code)


def is_broadcast_or_multicast(mac):
    return mac[0] & 1 == 1


# ---- packing -------------------------------------------------------------------------------

def _pack_fields(fields, msg, buf, off):
    for name, kind in fields:
        if isinstance(kind, tuple):
            items = msg[name]
            buf[off] = len(items)
            off += 1
            for item in items:
                off = _pack_fields(kind[1], item, buf, off)
            continue
        f = _FMT.get(kind)
        if f is not None:
            struct.pack_into(f[0], buf, off, msg[name])
            off += f[1]
        elif kind == "bool":
            buf[off] = 1 if msg[name] else 0
            off += 1
        elif kind == "mac":
            off = _put_bytes(buf, off, msg[name], 6)
        elif kind == "key":
            off = _put_bytes(buf, off, msg[name], 16)
        elif kind == "bytes":
            off = _put_bytes(buf, off, msg[name], -1)
        elif kind == "utf8":
            off = _put_bytes(buf, off, msg[name].encode("utf-8"), -1)
        elif kind == "str8":
            b = msg[name].encode("utf-8")
            buf[off] = len(b)
            off = _put_bytes(buf, off + 1, b, -1)
        elif kind == "sendflags":
            buf[off] = (1 if msg["sync"] else 0) | (2 if msg["all"] else 0)
            off += 1
        elif kind == "pairs":
            for p in msg[name]:
                struct.pack_into("<Bi", buf, off, p[0], p[1])
                off += 5
        elif kind == "peer":
            off = _put_bytes(buf, off, msg["mac"], 6)
            lmk = msg.get("lmk")
            buf[off] = (1 if msg["encrypt"] else 0) | (0 if lmk is None else 2)
            buf[off + 1] = msg["channel"]
            buf[off + 2] = msg["ifidx"]
            off += 3
            if lmk is not None:
                off = _put_bytes(buf, off, lmk, 16)
    return off


def _put_bytes(buf, off, v, n):
    if n >= 0 and len(v) != n:
        raise ValueError("field needs %d bytes" % n)
    end = off + len(v)
    if end > len(buf):
        raise BadLength("payload too long")
    buf[off:end] = v
    return end


def pack_into(code, msg, buf, off):
    """Write the payload of message `code` into buf at off; return the end offset.

    Replies take msg["status"] (int) first; a non-OK reply carries only msg.get("detail", "").
    """
    if is_reply(code):
        status = msg["status"]
        struct.pack_into("<H", buf, off, status)
        off += 2
        if status != OK:
            d = msg.get("detail", "").encode("utf-8")[:MAX_DETAIL]
            return _put_bytes(buf, off, d, -1)
    fields = _SCHEMA.get(code)
    if fields is None:
        raise ValueError("unknown message type 0x%02x" % code)
    return _pack_fields(fields, msg, buf, off)


def pack(code, msg):
    """Payload bytes of one message (allocates; for hosts and tests)."""
    buf = bytearray(MAX_BODY)
    return bytes(buf[:pack_into(code, msg, buf, 0)])


# ---- unpacking -----------------------------------------------------------------------------

def _need(off, n, end, name):
    if off + n > end:
        raise BadLength(name + " truncated")


def _unpack_fields(fields, p, off, end, msg):
    for name, kind in fields:
        if isinstance(kind, tuple):
            _need(off, 1, end, name)
            count = p[off]
            off += 1
            items = []
            for _ in range(count):
                item = {}
                off = _unpack_fields(kind[1], p, off, end, item)
                items.append(item)
            msg[name] = items
            continue
        f = _FMT.get(kind)
        if f is not None:
            _need(off, f[1], end, name)
            msg[name] = struct.unpack_from(f[0], p, off)[0]
            off += f[1]
        elif kind == "bool":
            _need(off, 1, end, name)
            if p[off] > 1:
                raise ValueError(name + " must be 0 or 1")
            msg[name] = p[off] == 1
            off += 1
        elif kind == "mac" or kind == "key":
            n = 6 if kind == "mac" else 16
            _need(off, n, end, name)
            msg[name] = bytes(p[off:off + n])
            off += n
        elif kind == "bytes" or kind == "utf8":
            v = bytes(p[off:end])
            msg[name] = v if kind == "bytes" else v.decode("utf-8")
            off = end
        elif kind == "str8":
            _need(off, 1, end, name)
            n = p[off]
            _need(off + 1, n, end, name)
            msg[name] = bytes(p[off + 1:off + 1 + n]).decode("utf-8")
            off += 1 + n
        elif kind == "sendflags":
            _need(off, 1, end, name)
            if p[off] & 0xFC:
                raise ValueError("SEND flags: only bits 0 (sync) and 1 (all) may be set")
            msg["sync"] = p[off] & 1 == 1
            msg["all"] = p[off] & 2 == 2
            off += 1
        elif kind == "pairs":
            items = []
            while off < end:
                _need(off, 5, end, name)
                items.append(list(struct.unpack_from("<Bi", p, off)))
                off += 5
            msg[name] = items
        elif kind == "peer":
            _need(off, 9, end, name)
            msg["mac"] = bytes(p[off:off + 6])
            flags = p[off + 6]
            if flags & 0xFC:
                raise ValueError("peer flags: only bits 0 (encrypt) and 1 (lmk) may be set")
            msg["encrypt"] = flags & 1 == 1
            msg["channel"] = p[off + 7]
            msg["ifidx"] = p[off + 8]
            off += 9
            msg["lmk"] = None
            if flags & 2:
                _need(off, 16, end, "lmk")
                msg["lmk"] = bytes(p[off:off + 16])
                off += 16
    return off


def unpack(code, payload, off=0, end=-1):
    """Decode the payload of message `code` into a dict.

    Raises BadLength when the payload does not fit the message, ValueError for reserved bits.
    """
    if end < 0:
        end = len(payload)
    msg = {}
    if is_reply(code):
        _need(off, 2, end, "status")
        msg["status"] = struct.unpack_from("<H", payload, off)[0]
        off += 2
        if msg["status"] != OK:
            msg["detail"] = bytes(payload[off:end]).decode("utf-8")
            return msg
    fields = _SCHEMA.get(code)
    if fields is None:
        raise ValueError("unknown message type 0x%02x" % code)
    off = _unpack_fields(fields, payload, off, end, msg)
    if off != end:
        raise BadLength("%d unexpected trailing bytes" % (end - off))
    return msg


# ---- receive hot path ----------------------------------------------------------------------

def pack_recv_into(buf, off, src, dst, rssi, time_ms, data, n):
    """RECV payload without allocation: src dst rssi time_ms data[0:n]; return the end offset."""
    for i in range(6):
        buf[off + i] = src[i]
        buf[off + 6 + i] = dst[i]
    struct.pack_into("<bI", buf, off + 12, rssi, time_ms)
    off += 17
    for i in range(n):
        buf[off + i] = data[i]
    return off + n
