#!/usr/bin/env python3
"""Send the API commands of a feed file to every neighbor, then follow the file
(helper for route-server-feed.conf).

usage: route-feed.py FEED

FEED holds one command per line ("announce route 198.51.100.0/24 next-hop 192.0.2.1",
"withdraw route ..."); blank lines and '#' comments are skipped. Each command is prefixed with
"neighbor *" unless it names neighbors itself, and the daemon's ack is read back before the
next one, so a large feed cannot overflow the daemon's input.
"""

import sys
import time


def send(line):
    if not line.startswith("neighbor "):
        line = "neighbor * " + line
    sys.stdout.write(line + "\n")
    sys.stdout.flush()
    return sys.stdin.readline().strip()


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    while True:
        try:
            feed = open(sys.argv[1])
            break
        except FileNotFoundError:
            time.sleep(1)
    with feed:
        while True:
            line = feed.readline()
            if not line:
                time.sleep(0.5)
                continue
            line = line.split("#", 1)[0].strip()
            if line and send(line) == "error":
                print(f"the daemon refused: {line}", file=sys.stderr)


if __name__ == "__main__":
    main()
