#!/usr/bin/env python3
"""Writes docs/protocol-vectors.json: golden frames of protocol v1, encoded from docs/protocol.md alone.

This is a deliberately separate, minimal encoder (not the firmware's codec and not the Java one), so
that the vectors check both implementations against the document rather than against each other.
Run: python3 tools/gen_protocol_vectors.py > docs/protocol-vectors.json
"""
import json
import struct
import sys

VER = 1
CMD = {"HELLO": 0x01, "PING": 0x02, "RESET": 0x03, "INIT": 0x10, "DEINIT": 0x11,
       "CONFIG_GET": 0x12, "CONFIG_SET": 0x13, "SET_PMK": 0x14, "ADD_PEER": 0x20,
       "DEL_PEER": 0x21, "MOD_PEER": 0x22, "GET_PEER": 0x23, "GET_PEERS": 0x24,
       "PEER_COUNT": 0x25, "SEND": 0x30, "STATS": 0x31, "PEERS_TABLE": 0x32}
EVT = {"BOOT": 0x40, "RECV": 0x41, "SEND_DONE": 0x42, "LOG": 0x43, "OVERFLOW": 0x44}
STATUS = {"OK": 0, "ESP_ERR_ESPNOW_NOT_INIT": 0x3065, "ESP_ERR_ESPNOW_ARG": 0x3066,
          "ESP_ERR_ESPNOW_NO_MEM": 0x3067, "ESP_ERR_ESPNOW_FULL": 0x3068,
          "ESP_ERR_ESPNOW_NOT_FOUND": 0x3069, "ESP_ERR_ESPNOW_INTERNAL": 0x306A,
          "ESP_ERR_ESPNOW_EXIST": 0x306B, "ESP_ERR_ESPNOW_IF": 0x306C, "ESP_ERR_ESPNOW_CHAN": 0x306D,
          "UNKNOWN_COMMAND": 0x7001, "BAD_LENGTH": 0x7002, "VERSION_MISMATCH": 0x7003,
          "BUSY": 0x7004, "UNSUPPORTED": 0x7005, "FAILED": 0x7006}


def crc32c(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def cobs(data):
    out = bytearray()
    block = bytearray()
    for b in data:
        if b == 0:
            out.append(len(block) + 1)
            out += block
            block = bytearray()
        else:
            block.append(b)
            if len(block) == 254:
                out.append(0xFF)
                out += block
                block = bytearray()
    out.append(len(block) + 1)
    out += block
    return bytes(out)


def frame(type_code, seq, payload, ver=VER):
    head = struct.pack("<BBH", ver, type_code, seq) + payload
    return cobs(head + struct.pack("<I", crc32c(head))) + b"\x00"


def mac(text):
    return bytes(int(p, 16) for p in text.split(":"))


def peer_record(f):
    flags = (1 if f["encrypt"] else 0) | (2 if f["lmk"] is not None else 0)
    out = mac(f["mac"]) + struct.pack("<BBB", flags, f["channel"], f["ifidx"])
    if f["lmk"] is not None:
        out += bytes.fromhex(f["lmk"])
    return out


def boot_body(f):
    fw = f["fw_ver"].encode()
    return (struct.pack("<BB", f["proto_ver"], f["api_gen"]) + mac(f["sta_mac"]) + mac(f["ap_mac"])
            + struct.pack("<BBBBBIB", f["channel"], f["max_data_len"], f["max_peers"],
                          f["max_encrypt"], f["queue_depth"], f["free_mem"], len(fw)) + fw)


def command_payload(name, f):
    if name == "HELLO":
        return struct.pack("<B", f["host_ver"])
    if name == "PING":
        return bytes.fromhex(f["data"])
    if name in ("RESET", "INIT", "DEINIT", "GET_PEERS", "PEER_COUNT", "STATS", "PEERS_TABLE"):
        return b""
    if name == "CONFIG_GET":
        return struct.pack("<B", f["param"])
    if name == "CONFIG_SET":
        return b"".join(struct.pack("<Bi", p, v) for p, v in f["params"])
    if name == "SET_PMK":
        return bytes.fromhex(f["pmk"])
    if name in ("ADD_PEER", "MOD_PEER"):
        return peer_record(f)
    if name in ("DEL_PEER", "GET_PEER"):
        return mac(f["mac"])
    if name == "SEND":
        flags = (1 if f["sync"] else 0) | (2 if f["all"] else 0)
        return struct.pack("<B", flags) + mac(f["mac"]) + bytes.fromhex(f["data"])
    raise KeyError(name)


def reply_payload(command, f):
    status = struct.pack("<H", STATUS[f["status"]])
    if f["status"] != "OK":
        return status + f.get("detail", "").encode()
    if command == "HELLO":
        return status + boot_body(f)
    if command == "PING":
        return status + struct.pack("<I", f["uptime_ms"]) + bytes.fromhex(f["data"])
    if command == "CONFIG_GET":
        return status + struct.pack("<Bi", f["param"], f["value"])
    if command == "GET_PEER":
        return status + peer_record(f)
    if command == "GET_PEERS":
        return status + struct.pack("<B", len(f["peers"])) + b"".join(peer_record(p) for p in f["peers"])
    if command == "PEER_COUNT":
        return status + struct.pack("<BB", f["total"], f["encrypted"])
    if command == "SEND":
        out = status + struct.pack("<BB", 1 if f["all_acked"] else 0, len(f["acks"]))
        for a in f["acks"]:
            out += mac(a["mac"]) + struct.pack("<B", 1 if a["acked"] else 0)
        return out
    if command == "STATS":
        return status + struct.pack("<IIIII", f["tx_pkts"], f["tx_responses"], f["tx_failures"],
                                    f["rx_packets"], f["rx_dropped"])
    if command == "PEERS_TABLE":
        out = status + struct.pack("<B", len(f["entries"]))
        for e in f["entries"]:
            out += mac(e["mac"]) + struct.pack("<bI", e["rssi"], e["time_ms"])
        return out
    return status  # commands whose OK result is empty


def event_payload(name, f):
    if name == "BOOT":
        return boot_body(f)
    if name == "RECV":
        return mac(f["src"]) + mac(f["dst"]) + struct.pack("<bI", f["rssi"], f["time_ms"]) + bytes.fromhex(f["data"])
    if name == "SEND_DONE":
        return struct.pack("<H", f["cmd_seq"]) + mac(f["mac"]) + struct.pack("<B", 1 if f["acked"] else 0)
    if name == "LOG":
        return struct.pack("<B", f["level"]) + f["text"].encode()
    if name == "OVERFLOW":
        return struct.pack("<IIII", f["rx_dropped"], f["serial_corrupt"], f["serial_oversize"], f["busy_refused"])
    raise KeyError(name)


A = "24:0a:c4:12:34:56"
B = "24:0a:c4:ab:cd:ef"
BC = "ff:ff:ff:ff:ff:ff"
MC = "01:00:5e:00:00:2a"
LMK = "00112233445566778899aabbccddeeff"
PMK = "0f0e0d0c0b0a09080706050403020100"
BOOT = {"proto_ver": 1, "api_gen": 2, "sta_mac": A, "ap_mac": "24:0a:c4:12:34:57", "channel": 1,
        "max_data_len": 250, "max_peers": 20, "max_encrypt": 6, "queue_depth": 4,
        "free_mem": 104352, "fw_ver": "nowmesh-fw 0.1.0"}
PAYLOAD_250 = bytes((i * 7 + 1) % 256 for i in range(250)).hex()  # contains zeros: exercises COBS
PAYLOAD_ZEROS = "00" * 8

commands = [
    ("hello", "HELLO", 1, {"host_ver": 1}),
    ("ping with data", "PING", 2, {"data": "00010203"}),
    ("ping empty", "PING", 3, {"data": ""}),
    ("reset", "RESET", 4, {}),
    ("init", "INIT", 5, {}),
    ("deinit", "DEINIT", 6, {}),
    ("config get rxbuf", "CONFIG_GET", 7, {"param": 1}),
    ("config set rxbuf and timeout", "CONFIG_SET", 8, {"params": [[1, 1024], [2, -1]]}),
    ("config set channel", "CONFIG_SET", 9, {"params": [[3, 6]]}),
    ("set pmk", "SET_PMK", 10, {"pmk": PMK}),
    ("add plain peer", "ADD_PEER", 11, {"mac": B, "encrypt": False, "channel": 0, "ifidx": 0, "lmk": None}),
    ("add encrypted peer on AP, channel 6", "ADD_PEER", 12, {"mac": B, "encrypt": True, "channel": 6, "ifidx": 1, "lmk": LMK}),
    ("add broadcast peer", "ADD_PEER", 13, {"mac": BC, "encrypt": False, "channel": 0, "ifidx": 0, "lmk": None}),
    ("del peer", "DEL_PEER", 14, {"mac": B}),
    ("mod peer", "MOD_PEER", 15, {"mac": B, "encrypt": False, "channel": 11, "ifidx": 0, "lmk": LMK}),
    ("get peer", "GET_PEER", 16, {"mac": B}),
    ("get peers", "GET_PEERS", 17, {}),
    ("peer count", "PEER_COUNT", 18, {}),
    ("send sync to one", "SEND", 19, {"sync": True, "all": False, "mac": B, "data": "68656c6c6f"}),
    ("send async to one, zeros in payload", "SEND", 20, {"sync": False, "all": False, "mac": B, "data": PAYLOAD_ZEROS}),
    ("send sync to all peers", "SEND", 21, {"sync": True, "all": True, "mac": "00:00:00:00:00:00", "data": "6869"}),
    ("send 250 bytes", "SEND", 22, {"sync": True, "all": False, "mac": B, "data": PAYLOAD_250}),
    ("send empty payload", "SEND", 23, {"sync": True, "all": False, "mac": BC, "data": ""}),
    ("stats", "STATS", 24, {}),
    ("peers table", "PEERS_TABLE", 25, {}),
    ("seq wraps high", "PING", 65535, {"data": "ff"}),
]

replies = [
    ("hello reply", "HELLO", 1, dict(BOOT, status="OK")),
    ("ping reply", "PING", 2, {"status": "OK", "uptime_ms": 123456, "data": "00010203"}),
    ("init ok", "INIT", 5, {"status": "OK"}),
    ("config get reply", "CONFIG_GET", 7, {"status": "OK", "param": 1, "value": 526}),
    ("config set unsupported rate", "CONFIG_SET", 9, {"status": "UNSUPPORTED", "detail": "rate"}),
    ("add peer full", "ADD_PEER", 11, {"status": "ESP_ERR_ESPNOW_FULL", "detail": ""}),
    ("add peer exists", "ADD_PEER", 12, {"status": "ESP_ERR_ESPNOW_EXIST", "detail": "peer exists"}),
    ("get peer reply", "GET_PEER", 16, {"status": "OK", "mac": B, "encrypt": True, "channel": 6, "ifidx": 1, "lmk": LMK}),
    ("get peers reply", "GET_PEERS", 17, {"status": "OK", "peers": [
        {"mac": B, "encrypt": False, "channel": 0, "ifidx": 0, "lmk": None},
        {"mac": BC, "encrypt": False, "channel": 0, "ifidx": 0, "lmk": None}]}),
    ("get peers empty", "GET_PEERS", 17, {"status": "OK", "peers": []}),
    ("peer count reply", "PEER_COUNT", 18, {"status": "OK", "total": 3, "encrypted": 1}),
    ("send sync acked", "SEND", 19, {"status": "OK", "all_acked": True, "acks": [{"mac": B, "acked": True}]}),
    ("send async queued", "SEND", 20, {"status": "OK", "all_acked": True, "acks": []}),
    ("send to all, one missing", "SEND", 21, {"status": "OK", "all_acked": False, "acks": [
        {"mac": B, "acked": True}, {"mac": "24:0a:c4:00:00:01", "acked": False}]}),
    ("send not found", "SEND", 22, {"status": "ESP_ERR_ESPNOW_NOT_FOUND", "detail": ""}),
    ("send not init", "SEND", 23, {"status": "ESP_ERR_ESPNOW_NOT_INIT", "detail": ""}),
    ("stats reply", "STATS", 24, {"status": "OK", "tx_pkts": 10, "tx_responses": 9, "tx_failures": 1,
                                  "rx_packets": 70000, "rx_dropped": 3}),
    ("peers table reply", "PEERS_TABLE", 25, {"status": "OK", "entries": [
        {"mac": B, "rssi": -43, "time_ms": 12541}, {"mac": "24:0a:c4:00:00:01", "rssi": -127, "time_ms": 4294967295}]}),
    ("busy", "SEND", 26, {"status": "BUSY", "detail": ""}),
    ("ping data too long", "PING", 27, {"status": "BAD_LENGTH", "detail": "ping data > 64 bytes"}),
]

events = [
    ("boot", "BOOT", 0, BOOT),
    ("boot of old api generation", "BOOT", 0, dict(BOOT, api_gen=1, queue_depth=1, free_mem=0, fw_ver="")),
    ("recv unicast", "RECV", 1, {"src": B, "dst": A, "rssi": -31, "time_ms": 18372, "data": "70696e67"}),
    ("recv broadcast", "RECV", 2, {"src": B, "dst": BC, "rssi": -90, "time_ms": 0, "data": PAYLOAD_ZEROS}),
    ("recv multicast 250 bytes", "RECV", 3, {"src": B, "dst": MC, "rssi": -60, "time_ms": 99, "data": PAYLOAD_250}),
    ("send done acked", "SEND_DONE", 4, {"cmd_seq": 20, "mac": B, "acked": True}),
    ("send done lost", "SEND_DONE", 5, {"cmd_seq": 21, "mac": B, "acked": False}),
    ("log", "LOG", 6, {"level": 30, "text": "channel mismatch: peer on 6, home 1"}),
    ("overflow", "OVERFLOW", 65535, {"rx_dropped": 1, "serial_corrupt": 2, "serial_oversize": 0, "busy_refused": 5}),
]


def main():
    out = {"protocol_version": VER, "frames": []}
    for name, cmd, seq, f in commands:
        out["frames"].append({"name": name, "kind": "command", "type": cmd, "seq": seq, "fields": f,
                              "wire": frame(CMD[cmd], seq, command_payload(cmd, f)).hex()})
    for name, cmd, seq, f in replies:
        out["frames"].append({"name": name, "kind": "reply", "type": cmd, "seq": seq, "fields": f,
                              "wire": frame(CMD[cmd] | 0x80, seq, reply_payload(cmd, f)).hex()})
    for name, evt, seq, f in events:
        out["frames"].append({"name": name, "kind": "event", "type": evt, "seq": seq, "fields": f,
                              "wire": frame(EVT[evt], seq, event_payload(evt, f)).hex()})
    good = bytes.fromhex(out["frames"][1]["wire"])
    bad_crc = bytearray(good)
    bad_crc[3] ^= 0x01
    body = struct.pack("<BBH", VER, CMD["PING"], 2) + b"\x00\x01"
    out["corrupt"] = [
        {"name": "crc mismatch (one bit flipped)", "wire": bytes(bad_crc).hex(), "counter": "corrupt"},
        {"name": "body shorter than 8 bytes", "wire": (cobs(b"\x01\x02\x03") + b"\x00").hex(), "counter": "corrupt"},
        {"name": "cobs code points past the end", "wire": "0501020300", "counter": "corrupt"},
        {"name": "missing crc", "wire": (cobs(body) + b"\x00").hex(), "counter": "corrupt"},
        {"name": "longer than MAX_BODY without a delimiter", "wire": ("41" * 1100) + "00", "counter": "oversize"},
    ]
    out["empty"] = [{"name": "two delimiters in a row", "wire": "0000"}]
    out["foreign_version"] = [{"name": "version 2 ping", "ver": 2, "type": "PING", "seq": 7,
                               "wire": frame(CMD["PING"], 7, b"", ver=2).hex()}]
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    assert crc32c(b"123456789") == 0xE3069283, "CRC-32C check value"
    assert cobs(b"\x11\x22\x00\x33") == b"\x03\x11\x22\x02\x33"
    assert cobs(b"\x00") == b"\x01\x01"
    assert cobs(bytes(range(1, 255))) == b"\xff" + bytes(range(1, 255)) + b"\x01"
    main()
