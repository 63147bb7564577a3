#!/usr/bin/env python3
"""FlowSpec blackholing from a list of attacking sources (helper for flowspec-blackhole.conf).

usage: flowspec-blackhole.py BLOCKLIST PROTECTED-PREFIX

Every second, BLOCKLIST (one IPv4 address or prefix per line, '#' comments) is read again;
a FlowSpec rule discarding traffic from each listed source to PROTECTED-PREFIX is announced,
and the rule of a source no longer listed is withdrawn. Commands go to the daemon on stdout,
one per line; its acks ("done"/"error") arrive on stdin and are read back after each one.
"""

import ipaddress
import sys
import time


def rule(source, protected):
    return f"flow route {{ match {{ source {source}; destination {protected}; }} then {{ discard; }} }}"


def read_blocklist(path):
    sources = set()
    try:
        with open(path) as handle:
            for line in handle:
                line = line.split("#", 1)[0].strip()
                if not line:
                    continue
                try:
                    sources.add(str(ipaddress.ip_network(line, strict=False)))
                except ValueError:
                    print(f"ignoring {line!r}: not an address", file=sys.stderr)
    except FileNotFoundError:
        pass
    return sources


def send(command):
    sys.stdout.write(command + "\n")
    sys.stdout.flush()
    sys.stdin.readline()  # the daemon's ack


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    blocklist, protected = sys.argv[1], str(ipaddress.ip_network(sys.argv[2]))
    active = set()
    while True:
        wanted = read_blocklist(blocklist)
        for source in sorted(wanted - active):
            send("announce " + rule(source, protected))
        for source in sorted(active - wanted):
            send("withdraw " + rule(source, protected))
        active = wanted
        time.sleep(1)


if __name__ == "__main__":
    main()
