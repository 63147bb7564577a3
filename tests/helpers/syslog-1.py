#!/usr/bin/env python3
"""Placeholder for the parse-*.conf configurations, which no test starts. It exists so
that `validate` finds an executable program; if started, it sends nothing and copies
what the daemon reports to syslog until shutdown."""

import os
import sys
import syslog

sys.path.insert(0, os.path.dirname(os.path.realpath(__file__)))
import exahelper as h  # noqa: E402

syslog.openlog("syslog-1.py")
while True:
    line = h.read_line()
    syslog.syslog(line)
    if "shutdown" in line:
        break
