"""MicroPython-only: the receive path (radio message -> RECV frame on the serial port) allocates nothing.

Measured with gc.mem_alloc() on real MicroPython (the WebAssembly port in the test run). CPython
has no comparable allocator counter, so there the test reports itself skipped.
"""

import sys
import unittest

import support
from support import P

ON_MICROPYTHON = sys.implementation.name == "micropython"


class NullPort:
    def __init__(self):
        self.frames = 0
        self.bytes = 0

    def readinto(self, buf):
        return 0

    def write(self, data, n):
        self.frames += 1
        self.bytes += n

    def wait(self, ms):
        pass


class CannedRadio:
    """Stands in for nowmesh_espnow.Radio after recvinto: fixed buffers, like MicroPython's."""

    gen = 2

    def __init__(self, count):
        self.left = count
        self.src = b"\x24\x0a\xc4\xab\xcd\xef"
        self.dst = b"\x24\x0a\xc4\x12\x34\x56"
        self.sta_mac = self.dst
        self.ap_mac = self.dst
        self.msg = bytearray(bytes(range(250)))
        self.rssi = -42
        self.time_ms = 123456

    def active(self):
        return True

    def any(self):
        return self.left > 0

    def recv(self):
        self.left -= 1
        return 250


# Method-level skips: MicroPython's unittest cannot skip a whole class.
class ReceivePathAllocationTest(unittest.TestCase):
    @unittest.skipIf(not ON_MICROPYTHON, "gc.mem_alloc() exists only on MicroPython")
    def test_forwarding_messages_as_recv_frames_allocates_nothing_per_message(self):
        import gc
        port = NullPort()
        bridge = support.nowmesh_bridge.Bridge(CannedRadio(0), port)
        warm = CannedRadio(8)
        bridge.radio = warm
        bridge._pump_rx()  # first use: any lazily created objects exist afterwards
        counts = []
        for n in (8, 8 * 9):
            bridge.radio = CannedRadio(n)
            gc.collect()
            gc.disable()
            before = gc.mem_alloc()
            while bridge.radio.left:
                bridge._pump_rx()
            counts.append(gc.mem_alloc() - before)
            gc.enable()
        per_message = (counts[1] - counts[0]) / (8 * 8)
        print("receive path: %d bytes allocated per message" % per_message)
        self.assertEqual(per_message, 0, "receive path allocates %d bytes per message" % per_message)
        self.assertEqual(port.frames, 8 + 8 + 72)
        self.assertTrue(port.bytes <= 278 * port.frames)  # docs/protocol.md §1: at most 278 bytes

    @unittest.skipIf(not ON_MICROPYTHON, "gc.mem_alloc() exists only on MicroPython")
    def test_crc_and_cobs_allocate_nothing(self):
        import gc
        body = bytearray(bytes(range(256)) * 4)
        wire = bytearray(P.MAX_WIRE + 1)
        out = bytearray(4)
        gc.collect()
        gc.disable()
        before = gc.mem_alloc()
        for _ in range(10):
            P.crc32c_into(body, 0, 1020, out, 0)
            P.cobs_encode_into(body, 1020, wire, 0)
        used = gc.mem_alloc() - before
        gc.enable()
        self.assertEqual(used, 0)


if __name__ == "__main__":
    unittest.main()
