"""Codec tests: CRC-32C, COBS, the stream decoder and every golden vector of docs/protocol-vectors.json."""

import unittest

import support
from support import P, unhex


def decode_all(wire):
    got = []
    d = P.FrameDecoder(lambda body, n: got.append(bytes(body[:n])))
    d.feed(wire)
    return d, got


class CrcAndCobsTest(unittest.TestCase):
    def test_crc32c_check_value(self):
        self.assertEqual(P.crc32c(b"123456789"), 0xE3069283)
        self.assertEqual(P.crc32c(b""), 0)

    def test_cobs_examples_from_the_reference_encoder(self):
        for raw, enc in ((b"\x11\x22\x00\x33", b"\x03\x11\x22\x02\x33"), (b"\x00", b"\x01\x01"),
                         (bytes(range(1, 255)), b"\xff" + bytes(range(1, 255)) + b"\x01")):
            out = bytearray(len(raw) + 4)
            end = P.cobs_encode_into(raw, len(raw), out, 0)
            self.assertEqual(bytes(out[:end]), enc)
            buf = bytearray(enc)
            self.assertEqual(bytes(buf[:P.cobs_decode_in_place(buf, len(buf))]), raw)

    def test_cobs_round_trip_keeps_zeros_out(self):
        for n in (0, 1, 253, 254, 255, 508, 509, 1024):
            for zero_every in (0, 1, 3, 300):
                raw = bytes([0 if zero_every and i % zero_every == 0 else (i % 255) + 1
                             for i in range(n)])
                out = bytearray(n + n // 254 + 2)
                end = P.cobs_encode_into(raw, n, out, 0)
                self.assertTrue(all(b != 0 for b in out[:end]))
                self.assertTrue(end <= P.MAX_WIRE)
                self.assertEqual(bytes(out[:P.cobs_decode_in_place(out, end)]), raw)

    def test_invalid_cobs_is_rejected(self):
        self.assertEqual(P.cobs_decode_in_place(bytearray(b"\x05\x01\x02\x03"), 4), -1)


class GoldenVectorTest(unittest.TestCase):
    def test_every_frame_encodes_to_its_wire(self):
        frames = support.vectors()["frames"]
        self.assertTrue(len(frames) > 50)
        for f in frames:
            code = support.type_code(f)
            wire = P.encode_frame(code, f["seq"], P.pack(code, support.to_codec(f["fields"])))
            self.assertEqual(support.tohex(wire), f["wire"], f["name"])

    def test_every_wire_decodes_to_its_fields(self):
        for f in support.vectors()["frames"]:
            d, got = decode_all(unhex(f["wire"]))
            self.assertEqual(len(got), 1, f["name"])
            body = got[0]
            self.assertEqual(body[0], 1)
            self.assertEqual(body[1], support.type_code(f), f["name"])
            self.assertEqual(body[2] | (body[3] << 8), f["seq"])
            msg = P.unpack(body[1], body, 4, len(body) - 4)
            self.assertEqual(msg, support.to_codec(f["fields"]), f["name"])

    def test_corrupt_frames_are_counted_and_dropped_then_the_stream_resyncs(self):
        good = unhex(support.vectors()["frames"][0]["wire"])
        for c in support.vectors()["corrupt"]:
            d, got = decode_all(unhex(c["wire"]) + good)
            self.assertEqual(len(got), 1, c["name"])
            self.assertEqual(got[0][1], P.HELLO)
            counter = d.corrupt if c["counter"] == "corrupt" else d.oversize
            other = d.oversize if c["counter"] == "corrupt" else d.corrupt
            self.assertEqual((counter, other), (1, 0), c["name"])

    def test_empty_frames_are_ignored_silently(self):
        for e in support.vectors()["empty"]:
            d, got = decode_all(unhex(e["wire"]))
            self.assertEqual((got, d.corrupt, d.oversize), ([], 0, 0))

    def test_foreign_version_is_delivered_to_the_protocol_layer(self):
        for v in support.vectors()["foreign_version"]:
            d, got = decode_all(unhex(v["wire"]))
            self.assertEqual(len(got), 1)
            self.assertEqual((got[0][0], got[0][1]), (v["ver"], P.CODES[v["type"]]))


class DecoderBoundsTest(unittest.TestCase):
    def test_decoder_never_buffers_more_than_max_wire(self):
        d, got = decode_all(b"\x41" * 5000)
        self.assertEqual((d.oversize, got), (1, []))
        self.assertTrue(d.n <= P.MAX_WIRE)
        self.assertEqual(len(d.buf), P.MAX_WIRE)

    def test_longest_legal_frame_passes_and_the_writer_refuses_a_longer_one(self):
        payload = bytes([(i % 255) + 1 for i in range(P.MAX_BODY - 8)])
        wire = P.encode_frame(P.PING, 1, payload)
        d, got = decode_all(wire)
        self.assertEqual((len(got), d.oversize, d.corrupt), (1, 0, 0))
        with self.assertRaises(ValueError):
            P.FrameWriter(lambda b, n: None).send(P.PING, 1, P.MAX_BODY - 7)

    def test_bytes_after_an_oversize_run_are_dropped_until_the_delimiter(self):
        hello = unhex(support.vectors()["frames"][0]["wire"])
        d, got = decode_all(b"\x41" * 1031 + hello[:-1] + b"\x00" + hello)
        self.assertEqual((len(got), d.oversize), (1, 1))

    def test_truncated_frame_glued_to_the_next_fails_crc_then_recovers(self):
        hello = unhex(support.vectors()["frames"][0]["wire"])
        ping = unhex(support.vectors()["frames"][1]["wire"])
        d, got = decode_all(ping[:5] + hello + ping)
        self.assertEqual(d.corrupt, 1)
        self.assertEqual([g[1] for g in got], [P.PING])


class PayloadTest(unittest.TestCase):
    def test_recv_hot_path_packer_matches_the_generic_packer(self):
        src, dst = support.mac("24:0a:c4:ab:cd:ef"), support.mac("ff:ff:ff:ff:ff:ff")
        data = bytearray(b"\x00\x01hello")
        buf = bytearray(300)
        end = P.pack_recv_into(buf, 0, src, dst, -90, 123456, data, len(data))
        ref = P.pack(P.EV_RECV, {"src": src, "dst": dst, "rssi": -90, "time_ms": 123456,
                                 "data": bytes(data)})
        self.assertEqual(bytes(buf[:end]), ref)

    def test_short_and_long_payloads_raise_bad_length(self):
        with self.assertRaises(P.BadLength):
            P.unpack(P.ADD_PEER, b"\x01\x02\x03")
        with self.assertRaises(P.BadLength):
            P.unpack(P.DEL_PEER, b"\x01\x02\x03\x04\x05\x06\x07")
        with self.assertRaises(P.BadLength):
            P.unpack(P.CONFIG_SET, b"\x01\x00\x00")
        with self.assertRaises(P.BadLength):
            P.unpack(P.ADD_PEER, b"\x01\x02\x03\x04\x05\x06\x03\x00\x00" + b"k" * 15)

    def test_reserved_flag_bits_are_refused(self):
        with self.assertRaises(ValueError):
            P.unpack(P.SEND, b"\x04" + b"\x01" * 6)
        with self.assertRaises(ValueError):
            P.unpack(P.ADD_PEER, b"\x02" * 6 + b"\x80\x00\x00")


if __name__ == "__main__":
    unittest.main()
