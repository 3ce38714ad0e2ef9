#!/usr/bin/env python3
"""The native board's --pty keeps serving when the host closes and reopens
the port (the official MLPerf Tiny runner does that mid-session), and nothing
arrives unasked after a reopen.

  pty_reopen_test.py <native image>
"""
import os
import re
import select
import subprocess
import sys
import termios
import time
import tty


def read_until_ready(fd, timeout=5.0):
    buf = b""
    deadline = time.monotonic() + timeout
    while b"m-ready" not in buf:
        left = deadline - time.monotonic()
        if left <= 0:
            raise SystemExit(f"FAIL: no m-ready within {timeout} s, got {buf!r}")
        r, _, _ = select.select([fd], [], [], left)
        if r:
            buf += os.read(fd, 4096)
    return buf.decode()


def open_port(path):
    fd = os.open(path, os.O_RDWR | os.O_NOCTTY)
    tty.setraw(fd)
    termios.tcflush(fd, termios.TCIFLUSH)  # discard pending input, as the runner does
    return fd


def main():
    proc = subprocess.Popen([sys.argv[1], "--pty"], stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    try:
        line = proc.stderr.readline().decode()
        m = re.match(r"pty: (\S+)", line)
        if not m:
            raise SystemExit(f"FAIL: no pty path printed: {line!r}")
        path = m.group(1)
        for attempt in range(3):
            fd = open_port(path)
            os.write(fd, b"name%")
            out = read_until_ready(fd)
            if "m-name-dut-[tinyperf native]" not in out:
                raise SystemExit(f"FAIL: attempt {attempt}: {out!r}")
            os.write(fd, b"profile%")
            out = read_until_ready(fd)
            if not out.startswith("m-profile-["):
                raise SystemExit(f"FAIL: unexpected line before profile's answer: {out!r}")
            os.close(fd)
            time.sleep(0.2)
        if proc.poll() is not None:
            raise SystemExit("FAIL: the native board exited when the port closed")
        print("pty: served across 3 open/close cycles")
    finally:
        proc.kill()
        proc.wait()


if __name__ == "__main__":
    main()
