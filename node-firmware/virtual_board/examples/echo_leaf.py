"""A plain MicroPython ESP-NOW leaf node: echoes every message back to its sender.

Runs on a real ESP32 or on a virtual board (`board.py --script examples/echo_leaf.py`), with
either espnow API generation; it uses nothing from NowMesh.
"""

import network

try:
    import espnow  # current MicroPython
    e = espnow.ESPNow()
    e.active(True)
except ImportError:
    from esp import espnow  # the older API
    e = espnow.ESPNow()
    e.init()

sta = network.WLAN(network.STA_IF)
sta.active(True)
sta.disconnect()

while True:
    host, msg = e.irecv(1000)
    if not msg:
        continue
    try:
        e.send(host, msg, True)
    except OSError as err:
        if len(err.args) > 1 and err.args[1] == "ESP_ERR_ESPNOW_NOT_FOUND":
            e.add_peer(host)
            e.send(host, msg, True)
        else:
            raise
