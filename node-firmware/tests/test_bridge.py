"""Dispatcher tests: every command on a model ESP32 (both API generations), errors, flow control."""

import unittest

import support
from support import P, M, Board, mac

A = mac("24:0a:c4:12:34:56")
B = mac("24:0a:c4:ab:cd:ef")
C = mac("24:0a:c4:00:00:01")
BC = b"\xff" * 6
LMK = bytes(range(16))


def peer(m, encrypt=False, lmk=None, channel=0, ifidx=0):
    return {"mac": m, "encrypt": encrypt, "channel": channel, "ifidx": ifidx, "lmk": lmk}


def send(m, data, sync=True, to_all=False):
    return {"sync": sync, "all": to_all, "mac": m, "data": data}


class BridgeCase(unittest.TestCase):
    gen = 2

    def setUp(self):
        self.air = M.LocalAir()
        self.a = Board(A, self.air, self.gen)
        self.b = Board(B, self.air, self.gen)
        self.boot_a = self.a.start()
        self.b.start()

    def ok(self, board, code, fields):
        reply, others = board.command(code, fields)
        self.assertEqual(P.STATUS_NAMES[reply["status"]], "OK", reply.get("detail"))
        return reply, others

    def status(self, board, code, fields):
        return P.STATUS_NAMES[board.command(code, fields)[0]["status"]]

    def init_both(self):
        self.ok(self.a, P.INIT, {})
        self.ok(self.b, P.INIT, {})


class BootAndHelloTest(BridgeCase):
    def test_boot_is_preceded_by_a_zero_byte_and_carries_the_board(self):
        b = Board(C, self.air, self.gen)
        b.bridge.start()
        self.assertEqual(b.port.out[0], 0)
        ev = b.port.frames()[0]
        self.assertEqual((ev[1], ev[2]), (P.EV_BOOT, 0))
        boot = P.unpack(P.EV_BOOT, ev[3])
        self.assertEqual((boot["api_gen"], boot["sta_mac"], boot["proto_ver"]), (self.gen, C, 1))
        self.assertEqual(boot["ap_mac"], C[:5] + bytes([C[5] + 1]))
        self.assertEqual((boot["max_data_len"], boot["max_peers"], boot["max_encrypt"]), (250, 20, 6))
        self.assertEqual(boot["queue_depth"], 4)

    def test_hello_answers_the_boot_body(self):
        reply, _ = self.ok(self.a, P.HELLO, {"host_ver": 1})
        boot = P.unpack(P.EV_BOOT, self.boot_a[0][3])
        del reply["status"]
        reply["free_mem"] = boot["free_mem"] = 0  # free memory moves between the two
        self.assertEqual(reply, boot)

    def test_hello_from_a_newer_host_is_a_version_mismatch(self):
        self.assertEqual(self.status(self.a, P.HELLO, {"host_ver": 2}), "VERSION_MISMATCH")

    def test_frame_of_another_protocol_version_is_refused(self):
        v = support.vectors()["foreign_version"][0]
        self.a.port.feed(support.unhex(v["wire"]))
        frames = self.a.run()
        self.assertEqual(len(frames), 1)
        self.assertEqual(frames[0][0:3], (1, P.PING | P.REPLY, v["seq"]))  # our version, its seq
        self.assertEqual(P.unpack(frames[0][1], frames[0][3])["status"], P.VERSION_MISMATCH)

    def test_ping_echoes_and_long_ping_is_bad_length(self):
        reply, _ = self.ok(self.a, P.PING, {"data": b"\x00\x01\x02"})
        self.assertEqual(reply["data"], b"\x00\x01\x02")
        self.assertEqual(self.status(self.a, P.PING, {"data": b"x" * 65}), "BAD_LENGTH")

    def test_reset_replies_then_restarts(self):
        self.ok(self.a, P.RESET, {})
        self.assertEqual(self.a.resets, 1)


class CommandVectorsTest(BridgeCase):
    def test_every_command_vector_gets_exactly_one_reply_with_its_seq(self):
        for f in support.vectors()["frames"]:
            if f["kind"] != "command":
                continue
            self.a.port.feed(support.unhex(f["wire"]))
            frames = self.a.run()
            replies = [x for x in frames if x[1] & P.REPLY and x[1] != P.EV_BOOT]
            self.assertEqual(len(replies), 1, f["name"])
            self.assertEqual(replies[0][1:3], (support.type_code(f) | P.REPLY, f["seq"]), f["name"])

    def test_unknown_command_and_bad_length(self):
        self.a.port.feed(P.encode_frame(0x3F, 9, b""))
        r = self.a.run()
        self.assertEqual(r[0][1:3], (0xBF, 9))
        self.assertEqual(P.unpack(0xBF, r[0][3])["status"], P.UNKNOWN_COMMAND)
        self.a.port.feed(P.encode_frame(P.DEL_PEER, 10, b"\x01\x02"))
        r = self.a.run()
        self.assertEqual(P.unpack(P.DEL_PEER | P.REPLY, r[0][3])["status"], P.BAD_LENGTH)
        self.a.port.feed(P.encode_frame(P.CONFIG_SET, 11, b""))
        r = self.a.run()
        self.assertEqual(P.unpack(P.CONFIG_SET | P.REPLY, r[0][3])["status"], P.BAD_LENGTH)


class PeerRulesTest(BridgeCase):
    def test_commands_before_init_are_not_init(self):
        self.assertEqual(self.status(self.a, P.ADD_PEER, peer(B)), "ESP_ERR_ESPNOW_NOT_INIT")
        self.assertEqual(self.status(self.a, P.SEND, send(B, b"x")), "ESP_ERR_ESPNOW_NOT_INIT")

    def test_peer_record_rules_are_esp_err_arg(self):
        self.init_both()
        for bad in (peer(B, channel=15), peer(B, ifidx=2), peer(B, encrypt=True),
                    peer(BC, lmk=LMK), peer(BC, encrypt=True, lmk=LMK)):
            self.assertEqual(self.status(self.a, P.ADD_PEER, bad), "ESP_ERR_ESPNOW_ARG", bad)

    def test_twenty_peers_six_encrypted_and_duplicates(self):
        self.init_both()
        for i in range(6):
            self.ok(self.a, P.ADD_PEER, peer(bytes([2, 0, 0, 0, 1, i]), True, LMK))
        self.assertEqual(self.status(self.a, P.ADD_PEER, peer(bytes([2, 0, 0, 0, 1, 9]), True, LMK)),
                         "ESP_ERR_ESPNOW_FULL")
        for i in range(14):
            self.ok(self.a, P.ADD_PEER, peer(bytes([2, 0, 0, 0, 2, i])))
        self.assertEqual(self.status(self.a, P.ADD_PEER, peer(B)), "ESP_ERR_ESPNOW_FULL")
        self.assertEqual(self.status(self.a, P.ADD_PEER, peer(bytes([2, 0, 0, 0, 2, 0]))),
                         "ESP_ERR_ESPNOW_EXIST")
        reply, _ = self.ok(self.a, P.PEER_COUNT, {})
        self.assertEqual((reply["total"], reply["encrypted"]), (20, 6))

    def test_get_mod_del_peer(self):
        self.init_both()
        self.ok(self.a, P.ADD_PEER, peer(B, True, LMK, channel=1))
        got, _ = self.ok(self.a, P.GET_PEER, {"mac": B})
        self.assertEqual((got["encrypt"], got["lmk"], got["channel"]), (True, LMK, 1))
        self.ok(self.a, P.MOD_PEER, peer(B, channel=0))
        got, _ = self.ok(self.a, P.GET_PEERS, {})
        self.assertEqual(got["peers"], [peer(B)])
        self.ok(self.a, P.DEL_PEER, {"mac": B})
        self.assertEqual(self.status(self.a, P.DEL_PEER, {"mac": B}), "ESP_ERR_ESPNOW_NOT_FOUND")
        self.assertEqual(self.status(self.a, P.GET_PEER, {"mac": B}), "ESP_ERR_ESPNOW_NOT_FOUND")

    def test_deinit_drops_every_peer(self):
        self.init_both()
        self.ok(self.a, P.ADD_PEER, peer(B))
        self.ok(self.a, P.DEINIT, {})
        self.ok(self.a, P.INIT, {})
        self.assertEqual(self.ok(self.a, P.PEER_COUNT, {})[0]["total"], 0)

    def test_pmk_must_be_sixteen_bytes(self):
        self.init_both()
        self.ok(self.a, P.SET_PMK, {"pmk": LMK})
        self.a.port.feed(P.encode_frame(P.SET_PMK, 77, LMK[:15]))
        r = self.a.run()
        self.assertEqual(P.unpack(P.SET_PMK | P.REPLY, r[0][3])["status"], P.BAD_LENGTH)


class ConfigTest(BridgeCase):
    def test_config_get_and_set(self):
        self.init_both()
        self.assertEqual(self.ok(self.a, P.CONFIG_GET, {"param": 1})[0]["value"],
                         526 if self.gen == 2 else 516)
        self.ok(self.a, P.CONFIG_SET, {"params": [[1, 1024], [2, -1], [3, 6]]})
        self.assertEqual(self.ok(self.a, P.CONFIG_GET, {"param": 1})[0]["value"], 1024)
        self.assertEqual(self.ok(self.a, P.CONFIG_GET, {"param": 2})[0]["value"], -1)
        self.assertEqual(self.ok(self.a, P.CONFIG_GET, {"param": 3})[0]["value"], 6)

    def test_config_errors(self):
        self.init_both()
        self.assertEqual(self.status(self.a, P.CONFIG_GET, {"param": 9}), "ESP_ERR_ESPNOW_ARG")
        self.assertEqual(self.status(self.a, P.CONFIG_SET, {"params": [[3, 15]]}), "ESP_ERR_ESPNOW_ARG")
        self.assertEqual(self.status(self.a, P.CONFIG_GET, {"param": 4}), "UNSUPPORTED")
        self.assertEqual(self.status(self.a, P.CONFIG_SET, {"params": [[1, 1]] * 5}), "BAD_LENGTH")
        self.assertEqual(self.status(self.a, P.CONFIG_SET, {"params": [[4, 11]]}),
                         "OK" if self.gen == 2 else "UNSUPPORTED")


class SendAndReceiveTest(BridgeCase):
    def test_sync_send_is_acked_and_arrives_as_recv_with_rssi(self):
        self.init_both()
        self.ok(self.a, P.ADD_PEER, peer(B))
        reply, _ = self.ok(self.a, P.SEND, send(B, b"hello\x00"))
        self.assertEqual((reply["all_acked"], reply["acks"]), (True, [{"mac": B, "acked": True}]))
        evs = [f for f in self.b.run() if f[1] == P.EV_RECV]
        self.assertEqual(len(evs), 1)
        recv = P.unpack(P.EV_RECV, evs[0][3])
        self.assertEqual((recv["src"], recv["dst"], recv["data"]), (A, B, b"hello\x00"))
        self.assertTrue(-127 <= recv["rssi"] < 0)
        table, _ = self.ok(self.b, P.PEERS_TABLE, {})
        self.assertEqual([(e["mac"], e["rssi"]) for e in table["entries"]], [(A, recv["rssi"])])

    def test_unicast_is_not_acked_when_the_receiver_wifi_is_off(self):
        self.init_both()
        self.ok(self.a, P.ADD_PEER, peer(B))
        self.b.network.WLAN(0).active(False)
        reply, _ = self.ok(self.a, P.SEND, send(B, b"x"))
        self.assertEqual(reply["all_acked"], False)
        self.assertEqual(self.ok(self.a, P.STATS, {})[0]["tx_failures"], 1)

    def test_ack_without_delivery_when_receiver_espnow_is_not_initialised(self):
        self.ok(self.a, P.INIT, {})
        self.ok(self.a, P.ADD_PEER, peer(B))
        self.assertEqual(self.ok(self.a, P.SEND, send(B, b"x"))[0]["all_acked"], True)
        self.assertEqual([f for f in self.b.run() if f[1] == P.EV_RECV], [])

    def test_send_rules(self):
        self.init_both()
        self.assertEqual(self.status(self.a, P.SEND, send(B, b"x")), "ESP_ERR_ESPNOW_NOT_FOUND")
        self.ok(self.a, P.ADD_PEER, peer(B))
        self.assertEqual(self.status(self.a, P.SEND, send(B, b"x" * 251)), "ESP_ERR_ESPNOW_ARG")
        self.ok(self.a, P.MOD_PEER, peer(B, channel=9))
        self.assertEqual(self.status(self.a, P.SEND, send(B, b"x")), "ESP_ERR_ESPNOW_CHAN")
        self.ok(self.a, P.MOD_PEER, peer(B, ifidx=1))
        self.assertEqual(self.status(self.a, P.SEND, send(B, b"x")), "ESP_ERR_ESPNOW_IF")

    def test_broadcast_reaches_every_listener_and_reports_acked(self):
        self.init_both()
        c = Board(C, self.air, self.gen)
        c.start()
        self.ok(c, P.INIT, {})
        self.ok(self.a, P.ADD_PEER, peer(BC))
        reply, _ = self.ok(self.a, P.SEND, send(BC, b"all"))
        self.assertEqual(reply["acks"], [{"mac": BC, "acked": True}])
        for board in (self.b, c):
            evs = [P.unpack(P.EV_RECV, f[3]) for f in board.run() if f[1] == P.EV_RECV]
            self.assertEqual([(e["src"], e["data"]) for e in evs], [(A, b"all")])

    def test_send_to_all_without_unicast_peers_is_not_found(self):
        self.init_both()
        self.ok(self.a, P.ADD_PEER, peer(BC))
        for sync in (True, False):
            self.assertEqual(self.status(self.a, P.SEND, send(b"\x00" * 6, b"x", sync, to_all=True)),
                             "ESP_ERR_ESPNOW_NOT_FOUND")

    def test_send_to_all_lists_each_unicast_peer(self):
        self.init_both()
        for m in (B, C, BC):
            self.ok(self.a, P.ADD_PEER, peer(m))
        reply, _ = self.ok(self.a, P.SEND, send(b"\x00" * 6, b"hi", to_all=True))
        self.assertEqual(reply["acks"], [{"mac": B, "acked": True}, {"mac": C, "acked": False}])
        self.assertEqual(reply["all_acked"], False)

    def test_async_send_replies_queued_then_send_done(self):
        self.init_both()
        self.ok(self.a, P.ADD_PEER, peer(B))
        self.ok(self.a, P.ADD_PEER, peer(C))
        reply, others = self.a.command(P.SEND, send(B, b"later", sync=False), seq=500)
        self.assertEqual((reply["status"], reply["all_acked"], reply["acks"]), (P.OK, True, []))
        reply, others2 = self.a.command(P.SEND, send(b"\x00" * 6, b"both", sync=False, to_all=True),
                                        seq=501)
        done = [P.unpack(P.EV_SEND_DONE, f[3]) for f in others + others2 + self.a.run()
                if f[1] == P.EV_SEND_DONE]
        self.assertEqual(done, [{"cmd_seq": 500, "mac": B, "acked": True},
                                {"cmd_seq": 501, "mac": B, "acked": True},
                                {"cmd_seq": 501, "mac": C, "acked": False}])
        self.assertEqual(self.status(self.a, P.SEND, send(A, b"x", sync=False)),
                         "ESP_ERR_ESPNOW_NOT_FOUND")

    def test_receive_buffer_overflow_is_counted_and_reported(self):
        self.init_both()
        self.ok(self.a, P.ADD_PEER, peer(B))
        for i in range(4):  # rxbuf holds two 250-byte messages
            self.a.radio.send(B, b"x" * 250, True)
        self.b.bridge._last_overflow -= 2000
        frames = self.b.run()
        self.assertEqual(len([f for f in frames if f[1] == P.EV_RECV]), 2)
        ov = [P.unpack(P.EV_OVERFLOW, f[3]) for f in frames if f[1] == P.EV_OVERFLOW]
        self.assertEqual(ov[-1]["rx_dropped"], 2)


class FlowControlAndRobustnessTest(BridgeCase):
    def test_commands_beyond_queue_depth_are_busy_and_counted(self):
        for seq in range(1, 7):
            self.a.port.feed(P.encode_frame(P.PING, seq, b""))
        self.a.bridge._last_overflow -= 2000
        frames = self.a.run()
        replies = [(f[2], P.unpack(f[1], f[3])["status"]) for f in frames if f[1] == P.PING | P.REPLY]
        self.assertEqual(sorted(replies), [(1, 0), (2, 0), (3, 0), (4, 0), (5, P.BUSY), (6, P.BUSY)])
        ov = [P.unpack(P.EV_OVERFLOW, f[3]) for f in frames if f[1] == P.EV_OVERFLOW]
        self.assertEqual(ov[-1]["busy_refused"], 2)

    def test_garbage_never_kills_the_bridge_and_is_counted(self):
        seed = 12345
        junk = bytearray(4000)
        for i in range(len(junk)):
            seed = (seed * 1103515245 + 12345) & 0x7FFFFFFF
            junk[i] = (seed >> 16) & 0xFF
        self.a.port.feed(junk)
        self.a.port.feed(b"\x00")  # as a host does: flush the junk's unterminated tail
        self.a.port.feed(P.encode_frame(P.PING, 4242, b"alive"))
        self.a.bridge._last_overflow -= 2000
        frames = self.a.run(200)
        pings = [f for f in frames if f[1] == P.PING | P.REPLY and f[2] == 4242]
        self.assertEqual(len(pings), 1)
        self.assertTrue(self.a.bridge.decoder.corrupt > 0)
        self.a.bridge._last_overflow -= 2000  # the next report is due: it carries the final count
        ov = [P.unpack(P.EV_OVERFLOW, f[3]) for f in self.a.run() if f[1] == P.EV_OVERFLOW]
        self.assertEqual(ov[-1]["serial_corrupt"], self.a.bridge.decoder.corrupt)

    def test_event_sequence_counts_up_from_boot(self):
        self.assertEqual([f[2] for f in self.boot_a], list(range(len(self.boot_a))))
        self.init_both()
        self.ok(self.b, P.ADD_PEER, peer(A))
        self.b.radio.send(A, b"1", True)
        self.b.radio.send(A, b"2", True)
        evs = [f[2] for f in self.a.run() if f[1] == P.EV_RECV]
        self.assertEqual(evs, [len(self.boot_a), len(self.boot_a) + 1])


class ErrorMappingTest(unittest.TestCase):
    def test_espnow_errors_map_to_their_status(self):
        s = support.nowmesh_bridge.status_of
        self.assertEqual(s(M.esp_error("ESP_ERR_ESPNOW_FULL"))[0], P.ESP_ERR_ESPNOW_FULL)
        self.assertEqual(s(OSError(-0x306B))[0], P.ESP_ERR_ESPNOW_EXIST)
        self.assertEqual(s(OSError(12))[0], P.ESP_ERR_ESPNOW_NO_MEM)
        self.assertEqual(s(OSError(110))[0], P.FAILED)
        self.assertEqual(s(ValueError("bad"))[0], P.ESP_ERR_ESPNOW_ARG)
        self.assertEqual(s(KeyError("x"))[0], P.FAILED)


class OldApiBootAndHelloTest(BootAndHelloTest):
    gen = 1


class OldApiPeerRulesTest(PeerRulesTest):
    gen = 1


class OldApiConfigTest(ConfigTest):
    gen = 1


class OldApiSendAndReceiveTest(SendAndReceiveTest):
    gen = 1


if __name__ == "__main__":
    unittest.main()
