"""Board configuration for the NowMesh bridge firmware; edit before copying to the board."""

# None: talk protocol v1 on the USB serial REPL stream (sys.stdin/sys.stdout).
# An integer: use machine.UART(UART_ID) instead, e.g. UART_ID = 1 with UART_TX/UART_RX pins.
UART_ID = None
BAUDRATE = 921600
UART_TX = None
UART_RX = None

# GPIO of a status LED (2 on most ESP32 DevKit boards), or None for no LED.
LED_PIN = None

# Milliseconds after boot during which Ctrl-C still reaches the REPL (mpremote uses it to take
# the board back); afterwards the serial port is binary and Ctrl-C is ignored.
BOOT_GRACE_MS = 1000
