"""CPython tests for the leaf library against the golden vectors shared with the Java codec."""

import json
import os
import random
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import nowmesh_leaf as nl  # noqa: E402

VECTORS = os.path.join(HERE, '..', '..', '..', 'docs', 'mesh-vectors.json')
TYPES = {'DATA': nl.DATA, 'ACK': nl.ACK, 'REQUEST': nl.REQUEST, 'RESPONSE': nl.RESPONSE}


def mac(s):
    return bytes.fromhex(s.replace(':', ''))


class FakeEspNow:
    """Records sends; refuses add_peer twice like the radio does."""

    def __init__(self):
        self.peers = set()
        self.sent = []
        self.inbox = []

    def add_peer(self, m):
        if m in self.peers:
            raise OSError(-12395, 'ESP_ERR_ESPNOW_EXIST')
        self.peers.add(m)

    def send(self, m, msg):
        if m not in self.peers:
            raise OSError(-12393, 'ESP_ERR_ESPNOW_NOT_FOUND')
        self.sent.append((m, msg))
        return True

    def recv(self, timeout_ms):
        return self.inbox.pop(0) if self.inbox else (None, None)


class VectorTests(unittest.TestCase):
    def setUp(self):
        with open(VECTORS) as f:
            self.v = json.load(f)

    def test_encodes_every_valid_vector(self):
        self.assertGreaterEqual(len(self.v['valid']), 8)
        for v in self.v['valid']:
            got = nl.encode(TYPES[v['type']], mac(v['origin']), v['id'], mac(v['destination']),
                            bytes.fromhex(v['payload_hex']), v['hops'], v['ack_requested'], v['ref'])
            self.assertEqual(v['hex'], got.hex(), v['name'])

    def test_decodes_every_valid_vector(self):
        for v in self.v['valid']:
            t, ack, hops, origin, mid, dest, ref, payload = nl.decode(bytes.fromhex(v['hex']))
            self.assertEqual((TYPES[v['type']], v['ack_requested'], v['hops'], mac(v['origin']), v['id'],
                              mac(v['destination']), v['ref'], bytes.fromhex(v['payload_hex'])),
                             (t, ack, hops, origin, mid, dest, ref, payload), v['name'])

    def test_refuses_every_invalid_vector_naming_the_rule(self):
        self.assertGreaterEqual(len(self.v['invalid']), 10)
        for v in self.v['invalid']:
            with self.assertRaises(nl.DecodeError, msg=v['name']) as cm:
                nl.decode(bytes.fromhex(v['hex']))
            self.assertEqual(v['reason'], cm.exception.args[0], v['name'])

    def test_garbage_raises_only_decode_error(self):
        rnd = random.Random(7)
        for _ in range(3000):
            n = rnd.randrange(0, 260)
            b = bytes(rnd.randrange(256) for _ in range(n))
            if rnd.random() < 0.7 and n:
                b = bytes((0xA7, 0x10 | rnd.randrange(6))) + b[2:]
            try:
                fields = nl.decode(b)
            except nl.DecodeError:
                continue
            t, ack, hops, origin, mid, dest, ref, payload = fields
            self.assertEqual(b, nl.encode(t, origin, mid, dest, payload, hops, ack, ref))

    def test_states_payload_room(self):
        self.assertEqual(230, nl.room(nl.DATA))
        self.assertEqual(226, nl.room(nl.RESPONSE))
        with self.assertRaises(ValueError):
            nl.encode(nl.DATA, b'\x00' * 6, 1, nl.BROADCAST, b'x' * 231)

    def test_group_mac_is_multicast_and_matches_java(self):
        self.assertEqual('034e4d000007', nl.group_mac(7).hex())
        self.assertTrue(nl.is_group(nl.group_mac(7)))
        self.assertFalse(nl.is_group(nl.BROADCAST))


ME = mac('24:0a:c4:00:00:02')
GW = mac('24:0a:c4:00:00:aa')
APP = mac('02:4e:4d:12:34:56')


class LeafTests(unittest.TestCase):
    def setUp(self):
        self.esp = FakeEspNow()
        self.leaf = nl.Leaf(self.esp, ME, on_request=lambda origin, p: p.upper())

    def test_broadcast_goes_to_the_broadcast_mac_with_hops(self):
        mid = self.leaf.broadcast(b'hi')
        dst, msg = self.esp.sent[-1]
        self.assertEqual(nl.BROADCAST, dst)
        self.assertEqual((nl.DATA, False, nl.DEFAULT_HOPS, ME, mid, nl.BROADCAST, 0, b'hi'), nl.decode(msg))

    def test_group_send_airs_on_broadcast_with_group_destination(self):
        self.leaf.send_group(7, b'g')
        dst, msg = self.esp.sent[-1]
        self.assertEqual(nl.group_mac(7), nl.decode(msg)[5])

    def test_unicast_goes_via_the_learned_gateway(self):
        self.leaf.handle(GW, nl.encode(nl.DATA, APP, 5, ME, b'x'))
        self.leaf.send(APP, b'reply')
        self.assertEqual(GW, self.esp.sent[-1][0])
        self.assertEqual(APP, nl.decode(self.esp.sent[-1][1])[5])

    def test_answers_an_ack_request_to_the_radio_it_heard(self):
        got = self.leaf.handle(GW, nl.encode(nl.DATA, APP, 41, ME, b'do', 0, True))
        self.assertEqual(('data', APP, ME, b'do'), got)
        dst, msg = self.esp.sent[-1]
        self.assertEqual(GW, dst)
        self.assertEqual((nl.ACK, False, 0, ME), nl.decode(msg)[:4])
        self.assertEqual((APP, 41), (nl.decode(msg)[5], nl.decode(msg)[6]))

    def test_retried_message_is_acked_again_but_delivered_once(self):
        frame = nl.encode(nl.DATA, APP, 42, ME, b'do', 0, True)
        self.assertIsNotNone(self.leaf.handle(GW, frame))
        self.assertIsNone(self.leaf.handle(GW, frame))
        self.assertEqual(2, len([s for s in self.esp.sent if nl.decode(s[1])[0] == nl.ACK]))

    def test_request_gets_a_correlated_response(self):
        self.assertIsNone(self.leaf.handle(GW, nl.encode(nl.REQUEST, APP, 77, ME, b'ping')))
        dst, msg = self.esp.sent[-1]
        t, _, _, origin, _, dest, ref, payload = nl.decode(msg)
        self.assertEqual((GW, nl.RESPONSE, ME, APP, 77, b'PING'), (dst, t, origin, dest, ref, payload))

    def test_broadcast_delivered_once_despite_two_gateways(self):
        frame = nl.encode(nl.DATA, APP, 9, nl.BROADCAST, b'b', 2)
        self.assertEqual(('data', APP, nl.BROADCAST, b'b'), self.leaf.handle(GW, frame))
        self.assertIsNone(self.leaf.handle(mac('24:0a:c4:00:00:bb'), frame))

    def test_group_traffic_reaches_members_only(self):
        frame = nl.encode(nl.DATA, APP, 10, nl.group_mac(3), b'g', 2)
        self.assertIsNone(self.leaf.handle(GW, frame))
        self.leaf.join(3)
        frame = nl.encode(nl.DATA, APP, 11, nl.group_mac(3), b'g', 2)
        self.assertEqual(('data', APP, nl.group_mac(3), b'g'), self.leaf.handle(GW, frame))

    def test_plain_espnow_is_delivered_raw(self):
        self.assertEqual(('raw', GW, ME, b'hello'), self.leaf.handle(GW, b'hello'))

    def test_own_broadcast_reaired_is_ignored(self):
        mid = self.leaf.broadcast(b'me')
        self.assertIsNone(self.leaf.handle(GW, nl.encode(nl.DATA, ME, mid, nl.BROADCAST, b'me', 1)))

    def test_poll_reads_from_espnow(self):
        self.esp.inbox.append((GW, nl.encode(nl.DATA, APP, 3, ME, b'p')))
        self.assertEqual(('data', APP, ME, b'p'), self.leaf.poll(10))
        self.assertIsNone(self.leaf.poll(0))

    def test_dedup_window_is_bounded_and_forgets_the_oldest(self):
        first = nl.encode(nl.DATA, APP, 1000, nl.BROADCAST, b'old')
        self.assertIsNotNone(self.leaf.handle(GW, first))
        for i in range(1, nl.DEDUP_SIZE - 1):
            self.leaf.handle(GW, nl.encode(nl.DATA, APP, 1000 + i, nl.BROADCAST, b''))
        self.assertIsNone(self.leaf.handle(GW, first), 'still remembered within the window')
        for i in range(nl.DEDUP_SIZE):
            self.leaf.handle(GW, nl.encode(nl.DATA, APP, 2000 + i, nl.BROADCAST, b''))
        self.assertEqual(('data', APP, nl.BROADCAST, b'old'), self.leaf.handle(GW, first))
        self.assertEqual(nl.DEDUP_SIZE, len(self.leaf._seen))


if __name__ == '__main__':
    unittest.main()
