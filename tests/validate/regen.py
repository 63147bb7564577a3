#!/usr/bin/env python3
"""Record what `exabgp validate -nrv` prints for every configuration of the shared suite.

Only a digest of each output is kept (expected.txt), not the output itself: the output
repeats the configuration's content, which stays in ../shared and out of this project.
tests/validate_render.rs runs `ferrobgp validate -nrv` the same way, normalises the same way
and compares digests; when one differs and `exabgp` is installed it re-runs the oracle to
show the first differing lines.

How both are run (the test mirrors this exactly):
  * each etc/*.conf is copied to a fresh temporary folder, with an empty executable stub for
    every relative `run` program it names (the suite's helper scripts are not shipped, and
    ExaBGP refuses a configuration whose program it cannot find);
  * `validate -nrv <tmp>/<name>.conf` runs with that folder as working directory, with
    exabgp.log.short forced on, and stdout, stderr and the exit status are captured.

Normalisation: the temporary folder becomes @DIR@; in the JSON of decoded UPDATEs, the
values of "time", "host", "pid" and "ppid" become 0 / "@HOST@".

The digest is FNV-1a 64 over "<status>\\n--stdout--\\n<stdout>--stderr--\\n<stderr>".

Run from anywhere: python3 tests/validate/regen.py [path/to/exabgp-suite]
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SUITE = os.path.join(HERE, '..', '..', '..', 'shared', 'exabgp-suite')


def fnv1a64(data: bytes) -> int:
    h = 0xCBF29CE484222325
    for b in data:
        h ^= b
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def normalise(text: str, tmp: str) -> str:
    text = text.replace(tmp, '@DIR@')
    text = re.sub(r'"time": [0-9.e+-]+', '"time": 0', text)
    text = re.sub(r'"host" : "[^"]*"', '"host" : "@HOST@"', text)
    text = re.sub(r'"pid" : [0-9]+', '"pid" : 0', text)
    text = re.sub(r'"ppid" : [0-9]+', '"ppid" : 0', text)
    return text


def stage(conf: str, tmp: str) -> str:
    """Copy one configuration into tmp with a stub for each relative program it runs."""
    target = os.path.join(tmp, os.path.basename(conf))
    shutil.copyfile(conf, target)
    with open(conf) as f:
        text = f.read()
    for prg in re.findall(r'^\s*run\s+([^\s;]+)', text, re.M):
        if prg.startswith('/'):
            continue
        path = os.path.join(tmp, prg)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'w') as f:
            f.write('#!/bin/sh\n')
        os.chmod(path, 0o755)
    return target


def main():
    suite = sys.argv[1] if len(sys.argv) > 1 else SUITE
    etc = os.path.join(suite, 'etc')
    version = subprocess.run(['exabgp', 'version'], capture_output=True, text=True).stdout
    version = [v.strip() for v in version.splitlines() if v.startswith(('ExaBGP', 'Python'))]
    env = dict(os.environ, exabgp_log_short='true')
    rows = []
    for name in sorted(os.listdir(etc)):
        if not name.endswith('.conf'):
            continue
        tmp = tempfile.mkdtemp(prefix='validate-oracle-')
        try:
            target = stage(os.path.join(etc, name), tmp)
            p = subprocess.run(['exabgp', 'validate', '-nrv', target], cwd=tmp, env=env,
                               capture_output=True, text=True, timeout=120)
            out = '%d\n--stdout--\n%s--stderr--\n%s' % (p.returncode, p.stdout, p.stderr)
            out = normalise(out, tmp)
            rows.append('%s %d %d %016x' % (name[:-5], p.returncode, out.count('\n'), fnv1a64(out.encode())))
        finally:
            shutil.rmtree(tmp)
    with open(os.path.join(HERE, 'expected.txt'), 'w') as f:
        f.write('# exabgp validate -nrv, recorded by tests/validate/regen.py\n')
        f.write('# oracle: %s\n' % ' | '.join(version))
        f.write('# name status lines fnv1a64\n')
        for row in rows:
            f.write(row + '\n')
    print('%d configurations recorded' % len(rows))


if __name__ == '__main__':
    main()
