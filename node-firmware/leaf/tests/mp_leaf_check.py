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


count = check_vectors(VECTORS)  # noqa: F821 -- set by the runner
check_leaf()
print('LEAF-MP-OK', count, 'vectors')
