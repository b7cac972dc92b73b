"""Opens a pseudo-terminal, prints the slave's path, and echoes every byte back until stdin closes."""
import os
import select
import sys
import tty

master, slave = os.openpty()
tty.setraw(slave)
print(os.ttyname(slave), flush=True)
while True:
    r, _, _ = select.select([master, sys.stdin], [], [], 0.2)
    if sys.stdin in r:
        if not sys.stdin.buffer.read1(64):
            break
    if master in r:
        try:
            data = os.read(master, 4096)
        except OSError:
            continue
        os.write(master, data)
