#!/usr/bin/env python3
"""P3 helper: count the announced prefixes in the JSON UPDATE events the daemon sends; once
BENCH_ROUTES are counted, write the count and the time to BENCH_DONE (the bench polls for
that file and takes the time from it).
Reads large blocks rather than lines so that the helper is not what the bench measures."""
import os
import time

NEEDLE = b'"nlri"'


def main():
    n = int(os.environ.get("BENCH_ROUTES", "100000"))
    done = os.environ["BENCH_DONE"]
    seen = 0
    tail = b""
    while True:
        block = os.read(0, 1 << 20)
        if not block:
            return
        data = tail + block
        seen += data.count(NEEDLE)
        # Keep what could be the start of a needle cut by the block boundary.
        tail = data[-(len(NEEDLE) - 1):]
        if tail.find(NEEDLE[:1]) < 0:
            tail = b""
        else:
            # The tail holds no whole needle (counted already); only its partial start matters.
            tail = tail[tail.find(NEEDLE[:1]):]
        if seen >= n:
            break
    at = time.time()
    with open(done + ".tmp", "w") as f:
        f.write("%d %.6f\n" % (seen, at))
    os.rename(done + ".tmp", done)
    while os.read(0, 1 << 20):
        pass


if __name__ == "__main__":
    main()
