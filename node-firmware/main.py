"""NowMesh bridge firmware entry point: wire the serial port, the radio and the dispatcher."""

import machine

import nowmesh_config as cfg
from nowmesh_bridge import Bridge
from nowmesh_espnow import Radio
from nowmesh_serial import open_port


def main():
    grace = getattr(cfg, "BOOT_GRACE_MS", 0)
    if grace:  # Ctrl-C still works here: the way back to the REPL (see README)
        import time
        time.sleep_ms(grace)
    led = None
    if getattr(cfg, "LED_PIN", None) is not None:
        led = machine.Pin(cfg.LED_PIN, machine.Pin.OUT)
        led.value(1)  # on: the bridge is running and owns the serial port
    Bridge(Radio(), open_port(cfg), reset=machine.soft_reset).run()


main()
