"""A virtual ESP32 running the NowMesh firmware (or any espnow script) unmodified under CPython.

Stand-in modules (espnow of either API generation, esp, network, machine, micropython) sit on an
espnow_model.Chip whose radio joins the UDP air of air.py. The board's serial port is a
pseudo-terminal in raw mode: the first line on stdout is `PTY /dev/pts/N`. RESET (machine.soft_reset)
or SIGUSR1 restarts the firmware, which then announces BOOT again.

  python3 board.py --mac 24:0a:c4:00:00:01 --air-port 47474 --host-air
  python3 board.py --mac 24:0a:c4:00:00:02 --air-port 47474 --api-gen 1
  python3 board.py --mac 24:0a:c4:00:00:03 --air-port 47474 --script leaf.py
"""

import argparse
import os
import pty
import runpy
import select
import signal
import sys
import threading
import time
import traceback
import tty

HERE = os.path.dirname(os.path.abspath(__file__))
FIRMWARE = os.path.dirname(HERE)
for _p in (HERE, FIRMWARE):
    if _p not in sys.path:
        sys.path.insert(0, _p)

import air as A  # noqa: E402
import espnow_api  # noqa: E402
import espnow_model as M  # noqa: E402

FIRMWARE_MODULES = ("main", "nowmesh_config", "nowmesh_bridge", "nowmesh_commands", "nowmesh_codec",
                    "nowmesh_frame", "nowmesh_espnow", "nowmesh_serial")


class SoftReset(BaseException):
    """Raised into the firmware to restart it (BaseException: `except Exception` cannot eat it)."""


class _Module:
    pass


class PtyUart:
    """machine.UART stand-in: the master side of the board's pseudo-terminal."""

    def __init__(self, board, *args, **kw):
        self._board = board
        self._fd = board.master

    def any(self):
        self._board.check_reset()
        r, _, _ = select.select([self._fd], [], [], 0)
        return 1 if r else 0

    def readinto(self, buf):
        self._board.check_reset()
        try:
            data = os.read(self._fd, len(buf))
        except (BlockingIOError, OSError):
            return None
        buf[0:len(data)] = data
        return len(data)

    def read(self, n=-1):
        buf = bytearray(4096 if n < 0 else n)
        k = self.readinto(buf)
        return None if not k else bytes(buf[:k])

    def write(self, data, n=-1):
        data = bytes(data) if n < 0 else bytes(data[:n])
        off = 0
        deadline = time.monotonic() + 0.5
        while off < len(data):
            try:
                off += os.write(self._fd, data[off:])
            except BlockingIOError:  # nobody reads: a real UART loses the bytes too
                if time.monotonic() > deadline:
                    break
                select.select([], [self._fd], [], 0.05)
        return off


class Pin:
    OUT = 1
    IN = 0

    def __init__(self, *args, **kw):
        self._v = 0

    def value(self, v=None):
        if v is None:
            return self._v
        self._v = v


class VirtualBoard:
    def __init__(self, mac, hub_port, gen, channel):
        self.gen = gen
        self.lock = threading.Lock()
        self.air = A.UdpAir(hub_port)
        self.chip = M.Chip(mac, self.air, self.lock)
        self.chip.channel = channel
        self.home_channel = channel
        self.master, self.slave = pty.openpty()
        tty.setraw(self.slave)  # binary bytes pass unaltered, no echo
        os.set_blocking(self.master, False)
        self.pty_path = os.ttyname(self.slave)
        self.running = False
        self.reset_pending = False
        self.restarted = threading.Event()

    # -- resets --
    def check_reset(self):
        if self.reset_pending and self.running:
            self.reset_pending = False
            raise SoftReset()

    def request_reset(self, *_):
        """SIGUSR1: like pressing EN. Raised straight into a running program (signal handlers run
        on the main thread between bytecodes); an idle board restarts from serve()."""
        if self.running:
            raise SoftReset()
        self.reset_pending = True
        self.restarted.set()

    def soft_reset(self):
        raise SoftReset()

    def power_on_state(self):
        """What a reset leaves: ESP-NOW off and empty, interfaces down, the home channel."""
        d = self.chip.driver
        d.deinit()
        d.__init__(self.chip)
        if self.gen == 1:
            d.rxbuf = 516
        self.chip.if_active = [False, False]
        self.chip.channel = self.home_channel
        self.chip.changed()

    # -- stand-in modules --
    def install_modules(self):
        mods = sys.modules
        esp = _Module()
        if self.gen == 2:
            mods["espnow"] = espnow_api.make_espnow(self.chip, 2)
        else:
            esp.espnow = espnow_api.make_espnow(self.chip, 1)
            mods["espnow"] = None  # `import espnow` fails as on the older firmware
        mods["esp"] = esp
        mods["network"] = espnow_api.make_network(self.chip)
        machine = _Module()
        machine.UART = lambda *a, **kw: PtyUart(self, *a, **kw)
        machine.Pin = Pin
        machine.soft_reset = self.soft_reset
        machine.reset = self.soft_reset
        machine.unique_id = lambda: self.chip.sta_mac
        mods["machine"] = machine
        mp = _Module()
        mp.const = lambda x: x
        mp.kbd_intr = lambda n: None
        mp.schedule = lambda f, arg: f(arg)
        mods["micropython"] = mp
        cfg = _Module()  # the board's configuration: the UART is the pseudo-terminal
        cfg.UART_ID = 1
        cfg.BAUDRATE = 921600
        cfg.UART_TX = None
        cfg.UART_RX = None
        cfg.LED_PIN = 2
        mods["nowmesh_config"] = cfg

    def boot(self, script):
        """Run the firmware (or script) fresh, as after a reset; True if it asked for a restart."""
        for name in FIRMWARE_MODULES:
            if name != "nowmesh_config":
                sys.modules.pop(name, None)
        self.power_on_state()
        self.install_modules()
        self.running = True
        try:
            runpy.run_path(script, run_name="__main__")
        except SoftReset:
            return True
        except Exception:
            traceback.print_exc()  # a crash reboots a real board after a moment
            time.sleep(0.5)
            return True
        finally:
            self.running = False
        return False

    def serve(self, script):
        while True:
            if self.boot(script):
                continue
            # The program ended (a leaf script): idle like a board at the REPL until reset.
            self.restarted.clear()
            self.restarted.wait()
            self.reset_pending = False


def parse_mac(text):
    b = bytes(int(p, 16) for p in text.split(":"))
    if len(b) != 6:
        raise argparse.ArgumentTypeError("MAC needs 6 bytes: aa:bb:cc:dd:ee:ff")
    return b


def main(argv=None):
    ap = argparse.ArgumentParser(description="NowMesh virtual ESP32 board")
    ap.add_argument("--mac", type=parse_mac, required=True, help="STA MAC; the AP MAC is this + 1")
    ap.add_argument("--air-port", type=int, default=47474, help="UDP port of the air hub on 127.0.0.1")
    ap.add_argument("--host-air", action="store_true", help="also run the air hub in this process")
    ap.add_argument("--api-gen", type=int, choices=(1, 2), default=2)
    ap.add_argument("--channel", type=int, default=1)
    ap.add_argument("--script", default=os.path.join(FIRMWARE, "main.py"),
                    help="program to run instead of the bridge firmware (e.g. a leaf node)")
    ap.add_argument("--pty-file", help="also write the pseudo-terminal path to this file")
    args = ap.parse_args(argv)

    if args.host_air:
        hub = A.AirHub(args.air_port)
        threading.Thread(target=hub.serve, name="air-hub", daemon=True).start()
    board = VirtualBoard(args.mac, args.air_port, args.api_gen, args.channel)
    signal.signal(signal.SIGUSR1, board.request_reset)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print("PTY " + board.pty_path, flush=True)
    if args.pty_file:
        tmp = args.pty_file + ".tmp"
        with open(tmp, "w") as f:
            f.write(board.pty_path + "\n")
        os.replace(tmp, args.pty_file)
    try:
        board.serve(os.path.abspath(args.script))
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        board.air.close()


if __name__ == "__main__":
    main()
