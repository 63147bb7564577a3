#!/usr/bin/env python3
"""P3 helper: count the announced prefixes in the JSON UPDATE events the daemon sends; once
BENCH_ROUTES are counted, write the count to BENCH_DONE (the bench polls for that file)."""
import os
import sys


def main():
    n = int(os.environ.get("BENCH_ROUTES", "100000"))
    done = os.environ["BENCH_DONE"]
    seen = 0
    for line in sys.stdin.buffer:
        seen += line.count(b'"nlri"')
        if seen >= n:
            with open(done + ".tmp", "w") as f:
                f.write(str(seen))
            os.rename(done + ".tmp", done)
            break
    for _ in sys.stdin.buffer:
        pass


if __name__ == "__main__":
    main()
