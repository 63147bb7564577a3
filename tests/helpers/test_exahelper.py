"""Unit tests for exahelper: python3 -m unittest discover -s tests/helpers

Each case runs a tiny helper in a child process, because exahelper owns the real
stdin/stdout file descriptors of the process it lives in.
"""

import os
import subprocess
import sys
import time
import unittest

HERE = os.path.dirname(os.path.realpath(__file__))


def run(body, stdin_chunks, close=True, timeout=10):
    """Run `body` with exahelper imported as h; feed stdin chunk by chunk (0.05 s apart).

    Returns (exit status, stdout text, seconds taken)."""
    code = "import sys; sys.path.insert(0, %r); import exahelper as h\n%s" % (HERE, body)
    start = time.monotonic()
    child = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        for chunk in stdin_chunks:
            child.stdin.write(chunk.encode())
            child.stdin.flush()
            time.sleep(0.05)
        if close:
            child.stdin.close()
        # Not communicate(): it would close stdin, and end-of-file ends the helper.
        child.wait(timeout=timeout)
        out = child.stdout.read()
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        for pipe in (child.stdin, child.stdout):
            pipe.close()
    return child.returncode, out.decode(), time.monotonic() - start


class AckWait(unittest.TestCase):
    def test_counts_every_done_of_one_chunk(self):
        # The reference could miss the second line of a chunk; we must not.
        status, out, took = run("print(h.ack_wait(2, 5))", ["done\ndone\n"], close=False)
        self.assertEqual((status, out), (0, "True\n"))
        self.assertLess(took, 4)

    def test_json_answers_and_reports(self):
        body = "print(h.ack_wait(2, 5))"
        chunks = ['{"type": "update", "answer": "nope"}\n', "{ not json\n",
                  '{"answer": "done"}\n', "neighbor x up\n", "done\n"]
        status, out, _ = run(body, chunks, close=False)
        self.assertEqual((status, out), (0, "True\n"))

    def test_error_fails_at_once(self):
        status, out, took = run("print(h.ack_wait(3, 5))", ["done\nerror\n"], close=False)
        self.assertEqual((status, out), (0, "False\n"))
        self.assertLess(took, 4)

    def test_timeout_fails(self):
        status, out, took = run("print(h.ack_wait(2, 0.5))", ["done\n"], close=False, timeout=5)
        self.assertEqual((status, out), (0, "False\n"))
        self.assertGreaterEqual(took, 0.5)

    def test_leftover_done_counts_for_the_next_wait(self):
        body = "print(h.ack_wait(1, 2), h.ack_wait(1, 2), h.ack_wait(1, 0.3))"
        status, out, _ = run(body, ["done\ndone\n"], close=False)
        self.assertEqual((status, out), (0, "True True False\n"))

    def test_eof_ends_the_helper(self):
        status, out, took = run("print(h.ack_wait(1, 5)); print('after')", [])
        self.assertEqual((status, out), (0, ""))
        self.assertLess(took, 4)

    def test_exact_shutdown_ends_the_helper(self):
        status, out, _ = run("print(h.ack_wait(1, 5))", ["shutdown\n"], close=False)
        self.assertEqual((status, out), (0, ""))


class Tail(unittest.TestCase):
    def test_stops_on_shutdown_message(self):
        body = "h.tail(5, 0.1); print('ended')"
        status, out, _ = run(body, ["done\n", "shutdown 12 34\n"], close=False)
        self.assertEqual((status, out), (0, "ended\n"))

    def test_stops_on_blank_line(self):
        status, out, _ = run("h.tail(5, 0.1); print('ended')", ["\n"], close=False)
        self.assertEqual((status, out), (0, "ended\n"))

    def test_window_bounds_a_chatty_daemon(self):
        body = "h.tail(0.3, 0.2); print('ended')"
        status, out, took = run(body, ["a\n", "b\n", "c\n", "d\n"], close=False)
        self.assertEqual((status, out), (0, "ended\n"))
        self.assertLess(took, 4)

    def test_eof_ends_the_helper(self):
        status, out, _ = run("h.tail(5, 0.1); print('ended')", [])
        self.assertEqual((status, out), (0, ""))


class Output(unittest.TestCase):
    def test_send_and_batch_write_lines(self):
        body = "h.send('announce eor'); h.send_batch(['a', 'b'])"
        status, out, _ = run(body, [])
        self.assertEqual((status, out), (0, "announce eor\na\nb\n"))

    def test_read_line_trims_and_returns_last_unterminated_line(self):
        body = "print(repr(h.read_line())); print(repr(h.read_line()))"
        status, out, _ = run(body, ["  one  \n", "two"])
        self.assertEqual((status, out), (0, "'one'\n'two'\n"))

    def test_answer_of(self):
        sys.path.insert(0, HERE)
        import exahelper
        self.assertEqual(exahelper.answer_of(" done \n"), "done")
        self.assertEqual(exahelper.answer_of('{"answer": "error"}'), "error")
        self.assertIsNone(exahelper.answer_of('{"type": "state"}'))
        self.assertIsNone(exahelper.answer_of("{ broken"))
        self.assertIsNone(exahelper.answer_of('{"answer": null}'))


if __name__ == "__main__":
    unittest.main()
