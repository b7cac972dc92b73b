"""Binary serial ports for the bridge: the USB REPL stream (stdin/stdout) or a machine.UART.

Both offer readinto(buf) -> count (never blocks), write(buf, n) (buf[0:n], in one piece, through
MicroPython's stream write(buf, max_len), so no slice is allocated) and wait(ms).
"""

try:
    from time import sleep_ms
except ImportError:  # CPython
    from time import sleep as _sleep

    def sleep_ms(ms):
        _sleep(ms / 1000)


class StdioPort:
    """The USB serial REPL stream, switched to raw binary: Ctrl-C (0x03) no longer interrupts."""

    def __init__(self):
        import sys
        import select
        import micropython
        micropython.kbd_intr(-1)  # 0x03 occurs in binary frames
        self._in = sys.stdin.buffer
        self._out = sys.stdout.buffer
        self._poll = select.poll()
        self._poll.register(sys.stdin, select.POLLIN)
        self._one = bytearray(1)

    def readinto(self, buf):
        n = 0
        limit = len(buf)
        one = self._one
        while n < limit and self._poll.poll(0):
            if not self._in.readinto(one):
                break
            buf[n] = one[0]
            n += 1
        return n

    def write(self, buf, n):
        self._out.write(buf, n)

    def wait(self, ms):
        self._poll.poll(ms)


class UartPort:
    """A hardware UART (e.g. a second USB-serial adapter on GPIO pins)."""

    def __init__(self, uart_id, baudrate, tx=None, rx=None):
        import machine
        kw = {"baudrate": baudrate, "timeout": 0, "rxbuf": 2048}
        if tx is not None:
            kw["tx"] = tx
        if rx is not None:
            kw["rx"] = rx
        self._u = machine.UART(uart_id, **kw)

    def readinto(self, buf):
        if not self._u.any():
            return 0
        n = self._u.readinto(buf)
        return n or 0

    def write(self, buf, n):
        self._u.write(buf, n)

    def wait(self, ms):
        sleep_ms(ms)


def open_port(cfg):
    """The port nowmesh_config asks for: UART when UART_ID is set, else the USB REPL stream."""
    uart_id = getattr(cfg, "UART_ID", None)
    if uart_id is None:
        return StdioPort()
    return UartPort(uart_id, getattr(cfg, "BAUDRATE", 921600),
                    getattr(cfg, "UART_TX", None), getattr(cfg, "UART_RX", None))
