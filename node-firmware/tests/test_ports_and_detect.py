"""API-generation detection and the USB REPL stream port (binary, Ctrl-C disabled)."""

import os
import sys
import unittest

import support
from support import M, espnow_api, nowmesh_espnow


class _Module:
    pass


class DetectTest(unittest.TestCase):
    def setUp(self):
        self.saved = {}
        for name in ("espnow", "esp"):
            self.saved[name] = sys.modules.get(name)

    def tearDown(self):
        for name in self.saved:
            if self.saved[name] is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = self.saved[name]

    def test_current_micropython_is_generation_2(self):
        chip = M.Chip(b"\x02\x00\x00\x00\x00\x10", M.LocalAir())
        mod = espnow_api.make_espnow(chip, 2)
        sys.modules["espnow"] = mod
        found, gen = nowmesh_espnow.detect()
        self.assertEqual((found, gen), (mod, 2))

    def test_older_api_is_generation_1(self):
        chip = M.Chip(b"\x02\x00\x00\x00\x00\x20", M.LocalAir())
        sys.modules.pop("espnow", None)
        esp = _Module()
        esp.espnow = espnow_api.make_espnow(chip, 1)
        sys.modules["esp"] = esp
        found, gen = nowmesh_espnow.detect()
        self.assertEqual((found, gen), (esp.espnow, 1))
        radio = nowmesh_espnow.Radio(found, gen, espnow_api.make_network(chip))
        radio.init()
        self.assertTrue(radio.active())
        self.assertEqual(radio.get_timeout_ms(), 300000)
        with self.assertRaises(NotImplementedError):
            radio.set_rate(11)


class _Stdin:
    def __init__(self, fd):
        self._fd = fd
        self.buffer = os.fdopen(fd, "rb", buffering=0, closefd=False)

    def fileno(self):
        return self._fd


class _StreamOut:
    """MicroPython's stream write(buf, max_len)."""

    def __init__(self):
        self.data = bytearray()

    def write(self, buf, n=-1):
        self.data += bytes(buf if n < 0 else buf[:n])
        return n


class StdioPortTest(unittest.TestCase):
    @unittest.skipIf(not hasattr(os, "pipe"), "needs os.pipe and select.poll on a pipe (CPython)")
    def test_binary_bytes_including_ctrl_c_pass_and_reads_never_block(self):
        r, w = os.pipe()
        saved = (sys.stdin, sys.stdout, sys.modules.get("micropython"))
        kbd = []
        mp = _Module()
        mp.kbd_intr = kbd.append
        sys.modules["micropython"] = mp
        out = _Module()
        out.buffer = _StreamOut()
        try:
            sys.stdin = _Stdin(r)
            sys.stdout = out
            import nowmesh_serial
            port = nowmesh_serial.StdioPort()
            buf = bytearray(8)
            first = port.readinto(buf)  # nothing waiting: returns at once
            os.write(w, b"\x03\x00\xff\x03abcdef")
            second = port.readinto(buf)
            got = bytes(buf)
            third = port.readinto(buf)
            port.write(b"\x00\x03xyz", 3)
        finally:
            sys.stdin, sys.stdout = saved[0], saved[1]
            if saved[2] is None:
                sys.modules.pop("micropython", None)
            else:
                sys.modules["micropython"] = saved[2]
            os.close(r)
            os.close(w)
        self.assertEqual(kbd, [-1])
        self.assertEqual((first, second, got, third), (0, 8, b"\x03\x00\xff\x03abcd", 2))
        self.assertEqual(bytes(out.buffer.data), b"\x00\x03x")


if __name__ == "__main__":
    unittest.main()
