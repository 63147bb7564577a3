#!/usr/bin/env python3
"""P2 helper: print N `announce route` commands as fast as possible, draining the acks on a
second thread so the daemon never blocks on a full pipe. N comes from BENCH_ROUTES."""
import os
import sys
import threading


def drain():
    for _ in sys.stdin.buffer:
        pass


def main():
    n = int(os.environ.get("BENCH_ROUTES", "100000"))
    threading.Thread(target=drain, daemon=True).start()
    out = sys.stdout.buffer
    base = 0x0B000000
    chunk = []
    for i in range(n):
        a = base + i
        chunk.append(b"announce route %d.%d.%d.%d/32 next-hop 192.0.2.1\n" % (a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255))
        if len(chunk) == 4096:
            out.write(b"".join(chunk))
            chunk = []
    out.write(b"".join(chunk))
    out.flush()
    threading.Event().wait()


if __name__ == "__main__":
    main()
