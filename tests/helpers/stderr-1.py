#!/usr/bin/env python3
"""Placeholder for the parse-*.conf configurations, which no test starts. It exists so
that `validate` finds an executable program; if started, it sends nothing and copies
what the daemon reports to stderr until shutdown."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.realpath(__file__)))
import exahelper as h  # noqa: E402

while True:
    line = h.read_line()
    h.note(line)
    if "shutdown" in line:
        break
