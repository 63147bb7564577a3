#!/usr/bin/env python3
"""Append every JSON message from the daemon to a file, one object per line
(helper for route-monitor.conf).

usage: json-logger.py FILE

Lines that are not JSON objects (acks, the text "shutdown") are skipped. The file is opened
for each message so that log rotation (move, then the next message recreates it) works.
"""

import json
import sys


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    for line in sys.stdin:
        line = line.strip()
        if not line.startswith("{"):
            continue
        try:
            message = json.loads(line)
        except ValueError:
            continue
        with open(sys.argv[1], "a") as out:
            out.write(json.dumps(message, separators=(",", ":")) + "\n")
        if message.get("type") == "notification" and message.get("notification") == "shutdown":
            break


if __name__ == "__main__":
    main()
