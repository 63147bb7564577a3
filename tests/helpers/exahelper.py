"""Building blocks shared by the API helper programs of the functional suite.

The behaviour follows `api-behaviour.md` section 0 of the shared suite: commands go
to the daemon on stdout, acks and event reports come back on stdin.

Two deliberate differences from the reference helpers:

* stdin is split into lines by this module, not by a buffered reader whose
  readiness is tested on the raw pipe, so every `done` is counted exactly once
  even when several arrive in one chunk (the reference could then be one ack
  behind, which made api-rr-rib flaky);
* end-of-file on stdin, or a failed write to stdout, means the daemon is gone,
  so the helper ends at once (status 0) instead of spinning or blocking.
"""

import json
import os
import select
import sys
import time

# The daemon that started us: when our parent changes we were orphaned
# (re-parented to init, or to a subreaper that is not pid 1).
_PARENT = os.getppid()

# Bytes read from stdin but not yet returned as lines.
_pending = b""
_eof = False


def note(text):
    """Free-form diagnostics: stderr is not checked by anything."""
    try:
        sys.stderr.write(text.rstrip("\n") + "\n")
        sys.stderr.flush()
    except OSError:
        pass


def parent_alive():
    ppid = os.getppid()
    return ppid == _PARENT and ppid != 1


def _write(data):
    # os.write on fd 1 bypasses Python's buffering, so one call is one write on
    # the pipe; the loop only matters for writes larger than the pipe buffer.
    try:
        while data:
            data = data[os.write(1, data):]
    except OSError:
        # EPIPE: the daemon closed our stdout, nobody is left to talk to.
        os._exit(0)


def send(command):
    """Write one command, flushed on its own (one write on the pipe)."""
    _write((command + "\n").encode())


def send_batch(commands):
    """Write several commands in ONE write, so the daemon reads them together."""
    _write("".join(c + "\n" for c in commands).encode())


def sleep(seconds):
    time.sleep(seconds)


def _end():
    """stdin reached end-of-file: the daemon is gone, so are we."""
    os._exit(0)


def _read_line(timeout):
    """One line from stdin without its newline, None when `timeout` passes first.

    `timeout` None waits for as long as the daemon lives (checked once a second).
    Calls _end() at end-of-file; a final line without newline is returned first.
    """
    global _pending, _eof
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        if b"\n" in _pending:
            line, _pending = _pending.split(b"\n", 1)
            return line.decode("utf-8", "replace")
        if _eof:
            if _pending:
                line, _pending = _pending, b""
                return line.decode("utf-8", "replace")
            _end()
        if deadline is None:
            if not parent_alive():
                _end()
            wait = 1.0
        else:
            wait = deadline - time.monotonic()
            if wait <= 0:
                return None
        try:
            ready, _, _ = select.select([0], [], [], wait)
            if ready:
                chunk = os.read(0, 65536)
                if chunk:
                    _pending += chunk
                else:
                    _eof = True
        except OSError:
            _eof = True  # an I/O error on stdin ends the helper like EOF


def read_line():
    """Block for one line (trimmed). Ends the helper at end-of-file."""
    return _read_line(None).strip()


def answer_of(line):
    """The ack word of a line: JSON lines carry it under "answer", text lines are it."""
    line = line.strip()
    if not line.startswith("{"):
        return line
    try:
        value = json.loads(line)
    except ValueError:
        return None
    if isinstance(value, dict):
        return value.get("answer")
    return None


def ack_wait(count, timeout=2.0):
    """AckWait (section 0.2): True once `count` `done` lines arrived, False on an
    `error` line or when `timeout` seconds pass first. Other lines are dropped."""
    deadline = time.monotonic() + timeout
    seen = 0
    while seen < count:
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        line = _read_line(left)
        if line is None:
            return False
        answer = answer_of(line)
        if answer == "done":
            seen += 1
        elif answer == "error":
            return False
        elif answer == "shutdown":
            sys.exit(0)
    return True


def tail(window=5.0, pause=1.0):
    """Tail (section 0.3): wait for the shutdown message, but give up after
    `window` seconds when other lines keep coming (the daemon then respawns us)."""
    start = time.monotonic()
    while parent_alive() and time.monotonic() - start < window:
        line = read_line()
        if not line or "shutdown" in line:
            return
        time.sleep(pause)
