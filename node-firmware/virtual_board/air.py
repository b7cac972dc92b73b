"""The simulated air shared by virtual boards: a UDP hub on 127.0.0.1 and each board's client.

Every board keeps one UDP socket on 127.0.0.1 and tells the hub its MACs, channel and which
Wi-Fi interfaces are up. A transmission goes to the hub, which delivers it to every board that
would hear it (same channel; unicast: the board owning the destination MAC with that interface
up; broadcast/multicast: every board with an interface up) and answers the sender with the
MAC-level ack (unicast: acked iff delivered; group: always). Datagrams are small JSON objects.
Run a hub alone with `python3 air.py --port 47474`, or inside a board with --host-air.
"""

import argparse
import json
import socket
import threading
import time

import espnow_model as M

LOOPBACK = "127.0.0.1"
EXPIRY_S = 10.0
HEARTBEAT_S = 2.0


def _hex(b):
    return None if b is None else bytes(b).hex()


def rssi(src, dst):
    """A fixed, plausible signal strength per pair of radios (-30..-89 dBm)."""
    return -30 - (src[5] * 7 + dst[5] * 13 + src[4]) % 60


class AirHub:
    """The registry of boards and the delivery rules; serve() runs until stop()."""

    def __init__(self, port=0):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((LOOPBACK, port))
        self.port = self.sock.getsockname()[1]
        self.boards = {}  # udp addr -> {"sta", "ap", "channel", "ifs", "seen"}
        self._stop = False

    def stop(self):
        self._stop = True

    def serve(self):
        self.sock.settimeout(0.5)
        while not self._stop:
            try:
                data, addr = self.sock.recvfrom(4096)
            except socket.timeout:
                continue
            except OSError:
                break
            try:
                self.handle(json.loads(data.decode()), addr)
            except (ValueError, KeyError) as e:  # a bad datagram never stops the air
                print("air: dropped bad datagram from %s: %s" % (addr, e), flush=True)

    def handle(self, msg, addr):
        op = msg["op"]
        now = time.monotonic()
        if addr in self.boards:
            self.boards[addr]["seen"] = now
        if op == "state":
            self.boards[addr] = {"sta": bytes.fromhex(msg["sta"]), "ap": bytes.fromhex(msg["ap"]),
                                 "channel": msg["channel"], "ifs": msg["ifs"], "seen": now}
        elif op == "bye":
            self.boards.pop(addr, None)
        elif op == "tx":
            acked = self.transmit(msg, addr, now)
            self.sock.sendto(json.dumps({"op": "ack", "id": msg["id"], "acked": acked}).encode(), addr)

    def transmit(self, msg, sender, now):
        src = bytes.fromhex(msg["src"])
        dst = bytes.fromhex(msg["dst"])
        group = M.is_group(dst)
        acked = False
        for addr, b in list(self.boards.items()):
            if now - b["seen"] > EXPIRY_S:
                del self.boards[addr]
                continue
            if addr == sender or b["channel"] != msg["channel"]:
                continue
            if group:
                hears = b["ifs"][0] or b["ifs"][1]
                own = b["sta"]
            else:
                idx = 0 if dst == b["sta"] else 1 if dst == b["ap"] else -1
                hears = idx >= 0 and b["ifs"][idx]
                own = dst
            if hears:
                acked = True
                rx = {"op": "rx", "src": msg["src"], "dst": msg["dst"], "data": msg["data"],
                      "rssi": rssi(src, own), "key": msg["key"]}
                self.sock.sendto(json.dumps(rx).encode(), addr)
        return acked or group


class UdpAir:
    """One board's side of the air; implements the Air interface of espnow_model."""

    def __init__(self, hub_port, ack_timeout_s=1.0):
        self.hub = (LOOPBACK, hub_port)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((LOOPBACK, 0))
        self.sock.settimeout(HEARTBEAT_S)
        self.ack_timeout_s = ack_timeout_s
        self.chip = None
        self._next_id = 0
        self._acks = {}
        self._cond = threading.Condition()
        self._closed = False
        self._thread = threading.Thread(target=self._receive, name="air-rx", daemon=True)

    # -- Air interface --
    def attach(self, chip):
        self.chip = chip
        self._thread.start()
        self.update(chip)

    def update(self, chip):
        self._send({"op": "state", "sta": _hex(chip.sta_mac), "ap": _hex(chip.ap_mac),
                    "channel": chip.channel, "ifs": list(chip.if_active)})

    def pump(self, chip, wait_ms):
        if wait_ms > 0:
            with self._cond:
                self._cond.wait(wait_ms / 1000)

    def transmit(self, sender, dst, msg, ifidx, key):
        with self._cond:
            self._next_id += 1
            tx_id = self._next_id
        src = sender.ap_mac if ifidx == M.AP_IF else sender.sta_mac
        self._send({"op": "tx", "id": tx_id, "src": _hex(src), "dst": _hex(dst), "data": _hex(msg),
                    "channel": sender.channel,
                    "key": None if key is None else [_hex(key[0]), _hex(key[1])]})
        deadline = time.monotonic() + self.ack_timeout_s
        with self._cond:
            while tx_id not in self._acks:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False  # no hub: nobody heard it
                self._cond.wait(left)
            return self._acks.pop(tx_id)

    def close(self):
        self._closed = True
        try:
            self._send({"op": "bye"})
            self.sock.close()
        except OSError:
            pass

    # -- internals --
    def _send(self, msg):
        try:
            self.sock.sendto(json.dumps(msg).encode(), self.hub)
        except OSError:
            pass  # the hub is not up yet; the heartbeat retries

    def _receive(self):
        while not self._closed:
            try:
                data, _ = self.sock.recvfrom(4096)
            except socket.timeout:
                self.update(self.chip)  # heartbeat: keeps this board in the hub's registry
                continue
            except OSError:
                if self._closed:
                    return
                time.sleep(0.1)
                continue
            msg = json.loads(data.decode())
            if msg["op"] == "ack":
                with self._cond:
                    self._acks[msg["id"]] = msg["acked"]
                    self._cond.notify_all()
            elif msg["op"] == "rx":
                key = msg["key"]
                if key is not None:
                    key = (None if key[0] is None else bytes.fromhex(key[0]), bytes.fromhex(key[1]))
                self.chip.driver.deliver(bytes.fromhex(msg["src"]), bytes.fromhex(msg["dst"]),
                                         bytes.fromhex(msg["data"]), msg["rssi"], key)
                with self._cond:
                    self._cond.notify_all()


def main():
    ap = argparse.ArgumentParser(description="NowMesh simulated air hub (UDP on 127.0.0.1)")
    ap.add_argument("--port", type=int, default=47474)
    args = ap.parse_args()
    hub = AirHub(args.port)
    print("AIR %s:%d" % (LOOPBACK, hub.port), flush=True)
    try:
        hub.serve()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
