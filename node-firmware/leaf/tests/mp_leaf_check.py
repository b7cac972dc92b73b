"""Checks the leaf library on real MicroPython: golden vectors and the Leaf answer paths (no unittest there)."""

import sys
import json
import binascii

sys.path.insert(0, LEAF_DIR)  # noqa: F821 -- set by the runner before this script runs
import nowmesh_leaf as nl  # noqa: E402

T = {'DATA': nl.DATA, 'ACK': nl.ACK, 'REQUEST': nl.REQUEST, 'RESPONSE': nl.RESPONSE}


def mac(s):
    return binascii.unhexlify(s.replace(':', ''))


def check_vectors(path):
    v = json.load(open(path))
    n = 0
    for x in v['valid']:
        payload = binascii.unhexlify(x['payload_hex'])
        b = nl.encode(T[x['type']], mac(x['origin']), x['id'], mac(x['destination']), payload, x['hops'],
                      x['ack_requested'], x['ref'])
        assert binascii.hexlify(b).decode() == x['hex'], x['name']
        assert nl.decode(b) == (T[x['type']], x['ack_requested'], x['hops'], mac(x['origin']), x['id'],
                                mac(x['destination']), x['ref'], payload), x['name']
        n += 1
    for x in v['invalid']:
        try:
            nl.decode(binascii.unhexlify(x['hex']))
            raise AssertionError('accepted ' + x['name'])
        except nl.DecodeError as e:
            assert e.args[0] == x['reason'], x['name']
        n += 1
    for x in v['authenticated']:
        key = binascii.unhexlify(x['key_hex'])
        payload = binascii.unhexlify(x['payload_hex'])
        b = nl.encode(T[x['type']], mac(x['origin']), x['id'], mac(x['destination']), payload, x['hops'],
                      x['ack_requested'], x['ref'], key, x['counter'])
        assert binascii.hexlify(b).decode() == x['hex'], x['name']
        assert nl.decode(b)[7] == payload, x['name']
        assert nl.auth_counter(b) == x['counter'], x['name']
        assert nl.verify(b, key), x['name']
        n += 1
    for x in v['auth_rejected']:
        b = binascii.unhexlify(x['hex'])
        nl.decode(b)
        assert not nl.verify(b, binascii.unhexlify(x['key_hex'])), x['name']
        n += 1
    return n


class Esp:
    def __init__(self):
        self.peers = set()
        self.sent = []

    def add_peer(self, m):
        if m in self.peers:
            raise OSError(-12395, 'ESP_ERR_ESPNOW_EXIST')
        self.peers.add(m)

    def send(self, m, msg):
        self.sent.append((m, msg))
        return True

    def recv(self, timeout_ms):
        return (None, None)


def check_leaf():
    me = mac('24:0a:c4:00:00:02')
    gw = mac('24:0a:c4:00:00:aa')
    app = mac('02:4e:4d:12:34:56')
    esp = Esp()
    leaf = nl.Leaf(esp, me, on_request=lambda o, p: p.upper())
    assert leaf.handle(gw, nl.encode(nl.DATA, app, 41, me, b'do', 0, True)) == ('data', app, me, b'do')
    assert esp.sent[-1][0] == gw and nl.decode(esp.sent[-1][1])[0] == nl.ACK
    assert leaf.handle(gw, nl.encode(nl.REQUEST, app, 77, me, b'ping')) is None
    assert nl.decode(esp.sent[-1][1])[6:] == (77, b'PING')
    leaf.join(3)
    frame = nl.encode(nl.DATA, app, 9, nl.group_mac(3), b'g', 2)
    assert leaf.handle(gw, frame) == ('data', app, nl.group_mac(3), b'g')
    assert leaf.handle(gw, frame) is None
    assert leaf.handle(gw, b'hello') == ('raw', gw, me, b'hello')
    leaf.broadcast(b'x')
    assert esp.sent[-1][0] == nl.BROADCAST


def check_auth_leaf():
    me = mac('24:0a:c4:00:00:02')
    gw = mac('24:0a:c4:00:00:aa')
    app = mac('02:4e:4d:12:34:56')
    key = bytes(range(16))
    esp = Esp()
    leaf = nl.Leaf(esp, me, key=key)
    good = nl.encode(nl.DATA, app, 1, nl.BROADCAST, b'ok', 2, False, 0, key, 1)
    assert leaf.handle(gw, good) == ('data', app, nl.BROADCAST, b'ok')
    assert leaf.handle(gw, nl.encode(nl.DATA, app, 2, nl.BROADCAST, b'f', 2, False, 0, bytes(16), 2)) is None
    assert leaf.handle(gw, nl.encode(nl.DATA, app, 3, nl.BROADCAST, b'u', 2)) is None
    for i in range(nl.DEDUP_SIZE):
        leaf.handle(gw, nl.encode(nl.DATA, app, 10 + i, nl.BROADCAST, b'', 2, False, 0, key, 10 + i))
    assert leaf.handle(gw, good) is None
    assert leaf.stats == {'forged': 1, 'unsigned': 1, 'replayed': 1}, leaf.stats
    leaf.broadcast(b'x')
    assert nl.verify(esp.sent[-1][1], key)


count = check_vectors(VECTORS)  # noqa: F821 -- set by the runner
check_leaf()
check_auth_leaf()
print('LEAF-MP-OK', count, 'vectors')
