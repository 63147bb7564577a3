#!/usr/bin/env python3
"""Regenerate tests/decode/expected.jsonl by running the oracle, `exabgp decode` (5.0.15).

For every corpus line ({"id", "args", "hex"}) it runs `exabgp decode ARGS HEX` and records
{"id", "exit", "stdout"}. The first line of expected.jsonl records the oracle version, so a
reader knows what produced the file. The expected outputs are committed: the Rust test
(tests/decode.rs) never needs ExaBGP.

Usage: python3 tests/decode/regen.py [--exabgp PATH] [--jobs N] [ID ...]
With IDs, only those entries are re-run (the others keep their recorded output).
"""

import argparse
import concurrent.futures
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus.jsonl")
EXPECTED = os.path.join(HERE, "expected.jsonl")
ROOT = os.path.dirname(os.path.dirname(HERE))
WANTED = "5.0.15"


def oracle_version(exabgp):
    out = subprocess.run([exabgp, "version"], capture_output=True, text=True, timeout=60).stdout
    m = re.search(r"ExaBGP\s*:\s*(\S+)", out)
    return m.group(1) if m else "unknown"


def run_one(exabgp, entry):
    # The payload is one argument, as ExaBGP's parser wants; an empty payload stays "".
    cmd = [exabgp, "decode"] + entry["args"] + [entry["hex"]]
    # `-c` paths in the corpus are relative to the repository root, as for the Rust test.
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=ROOT)
    return {"id": entry["id"], "exit": p.returncode, "stdout": p.stdout}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--exabgp", default="exabgp")
    ap.add_argument("--jobs", type=int, default=8)
    ap.add_argument("ids", nargs="*")
    a = ap.parse_args()

    version = oracle_version(a.exabgp)
    if version != WANTED:
        sys.exit("the oracle is ExaBGP %s, the corpus is recorded with %s" % (version, WANTED))
    corpus = [json.loads(line) for line in open(CORPUS) if line.strip()]
    old = {}
    if a.ids and os.path.exists(EXPECTED):
        with open(EXPECTED) as f:
            for line in f:
                e = json.loads(line)
                if "id" in e:
                    old[e["id"]] = e
    todo = [c for c in corpus if not a.ids or c["id"] in a.ids]
    results = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as pool:
        for r in pool.map(lambda c: run_one(a.exabgp, c), todo):
            results[r["id"]] = r
    with open(EXPECTED, "w") as f:
        f.write(json.dumps({"oracle": "ExaBGP %s" % version, "command": "exabgp decode ARGS HEX"}) + "\n")
        for c in corpus:
            r = results.get(c["id"]) or old.get(c["id"])
            if r is None:
                continue
            f.write(json.dumps(r, sort_keys=True) + "\n")
    print("%d outputs recorded (%d re-run) in %s" % (len(corpus), len(todo), EXPECTED))


if __name__ == "__main__":
    main()
