"""Virtual boards end to end over their pseudo-terminals and the UDP air (CPython only)."""

import os
import select
import signal
import socket
import subprocess
import sys
import time
import tty
import unittest

import support
from support import P

BOARD = support.FIRMWARE_DIR + "/virtual_board/board.py"
ECHO = support.FIRMWARE_DIR + "/virtual_board/examples/echo_leaf.py"
MAC1 = bytes.fromhex("240ac4000010")
MAC2 = bytes.fromhex("240ac4000020")
MAC3 = bytes.fromhex("240ac4000030")


def free_udp_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Link:
    """The host side of one board's serial port."""

    def __init__(self, path):
        self.fd = os.open(path, os.O_RDWR | os.O_NOCTTY)
        tty.setraw(self.fd)
        self.frames = []
        self.decoder = P.FrameDecoder(self._on_frame)
        self.seq = 0

    def _on_frame(self, body, n):
        self.frames.append((body[1], body[2] | (body[3] << 8), P.unpack(body[1], body, 4, n - 4)))

    def expect(self, match, timeout=10.0):
        """The first frame satisfying match(type, seq, msg), waiting up to timeout seconds."""
        deadline = time.monotonic() + timeout
        while True:
            for i, f in enumerate(self.frames):
                if match(*f):
                    del self.frames[:i + 1]
                    return f
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError("no matching frame within %.1fs; saw %r" % (timeout, self.frames))
            r, _, _ = select.select([self.fd], [], [], min(left, 0.2))
            if r:
                self.decoder.feed(os.read(self.fd, 4096))

    def command(self, code, fields):
        self.seq += 1
        seq = self.seq
        os.write(self.fd, b"\x00" + P.encode_frame(code, seq, P.pack(code, fields)))
        return self.expect(lambda t, s, m: t == code | P.REPLY and s == seq)[2]

    def close(self):
        os.close(self.fd)


@unittest.skipIf(not hasattr(os, "openpty"), "needs a POSIX pseudo-terminal")
class VirtualBoardTest(unittest.TestCase):
    def setUp(self):
        self.port = free_udp_port()
        self.procs = []
        self.links = []

    def tearDown(self):
        for link in self.links:
            link.close()
        for p in self.procs:
            p.terminate()
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
            p.stdout.close()

    def start(self, mac, *extra):
        args = [sys.executable, BOARD, "--mac", mac.hex(":"), "--air-port", str(self.port)]
        p = subprocess.Popen(args + list(extra), stdout=subprocess.PIPE, text=True)
        self.procs.append(p)
        line = p.stdout.readline().split()
        self.assertEqual(line[0], "PTY")
        return line[1]

    def bridge(self, mac, *extra):
        link = Link(self.start(mac, *extra))
        self.links.append(link)
        link.expect(lambda t, s, m: t == P.EV_BOOT)
        hello = link.command(P.HELLO, {"host_ver": 1})
        self.assertEqual((hello["status"], hello["sta_mac"]), (P.OK, mac))
        self.assertEqual(link.command(P.INIT, {})["status"], P.OK)
        return link

    def add_peer(self, link, mac):
        r = link.command(P.ADD_PEER, {"mac": mac, "encrypt": False, "channel": 0, "ifidx": 0, "lmk": None})
        self.assertEqual(r["status"], P.OK)

    def test_two_bridges_send_receive_and_reset(self):
        a = self.bridge(MAC1, "--host-air")
        b = self.bridge(MAC2, "--api-gen", "1")
        self.add_peer(a, MAC2)
        r = a.command(P.SEND, {"sync": True, "all": False, "mac": MAC2, "data": b"\x00\x03\x11hi"})
        self.assertEqual((r["status"], r["all_acked"]), (P.OK, True))
        recv = b.expect(lambda t, s, m: t == P.EV_RECV)[2]
        self.assertEqual((recv["src"], recv["dst"], recv["data"]), (MAC1, MAC2, b"\x00\x03\x11hi"))
        self.assertTrue(-127 <= recv["rssi"] < 0)
        self.assertEqual(b.command(P.RESET, {})["status"], P.OK)
        boot = b.expect(lambda t, s, m: t == P.EV_BOOT)
        self.assertEqual((boot[1], boot[2]["api_gen"]), (0, 1))
        self.assertEqual(b.command(P.PEER_COUNT, {})["status"], P.ESP_ERR_ESPNOW_NOT_INIT)
        self.procs[0].send_signal(signal.SIGUSR1)
        self.assertEqual(a.expect(lambda t, s, m: t == P.EV_BOOT)[2]["sta_mac"], MAC1)

    def test_unicast_to_a_board_that_is_gone_is_not_acked(self):
        import tempfile
        with tempfile.TemporaryDirectory() as tmp:
            pty_file = tmp + "/pty"
            a = self.bridge(MAC1, "--host-air", "--pty-file", pty_file)
            with open(pty_file) as f:
                self.assertEqual(f.read().strip(), os.ttyname(a.fd))
        self.add_peer(a, MAC3)
        r = a.command(P.SEND, {"sync": True, "all": False, "mac": MAC3, "data": b"anyone?"})
        self.assertEqual((r["status"], r["acks"]), (P.OK, [{"mac": MAC3, "acked": False}]))

    def test_plain_micropython_leaf_echoes_through_the_air(self):
        a = self.bridge(MAC1, "--host-air")
        self.start(MAC3, "--script", ECHO, "--api-gen", "1")
        self.add_peer(a, MAC3)
        deadline = time.monotonic() + 10
        while True:  # the leaf needs a moment to bring its interface up
            r = a.command(P.SEND, {"sync": True, "all": False, "mac": MAC3, "data": b"ping"})
            if r["all_acked"] or time.monotonic() > deadline:
                break
        self.assertTrue(r["all_acked"])
        echo = a.expect(lambda t, s, m: t == P.EV_RECV)[2]
        self.assertEqual((echo["src"], echo["data"]), (MAC3, b"ping"))


if __name__ == "__main__":
    unittest.main()
