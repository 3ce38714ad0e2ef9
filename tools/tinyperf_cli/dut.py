"""Talks the MLPerf Tiny DUT protocol to a tinyperf image.

Transports: a child process on stdin/stdout (the native image, or QEMU with
-serial stdio) or a serial port (pyserial). Every command is answered by lines
ending in one containing `m-ready`; each line must arrive within a timeout.
"""
from __future__ import annotations

import os
import re
import selectors
import subprocess
import time


class DutError(Exception):
    """The DUT did not answer as the protocol says (timeout, e- line, EOF)."""


class ProcessTransport:
    def __init__(self, argv, stderr=None, env=None):
        self.argv = list(argv)
        self.proc = subprocess.Popen(self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=stderr if stderr is not None else subprocess.DEVNULL,
                                     env=env, bufsize=0)
        os.set_blocking(self.proc.stdout.fileno(), False)
        self.sel = selectors.DefaultSelector()
        self.sel.register(self.proc.stdout, selectors.EVENT_READ)

    def write(self, data: bytes):
        try:
            self.proc.stdin.write(data)
            self.proc.stdin.flush()
        except BrokenPipeError as e:
            raise DutError(f"the DUT process exited (code {self.proc.poll()})") from e

    def read(self, timeout: float) -> bytes:
        if not self.sel.select(timeout):
            return b""
        try:
            data = self.proc.stdout.read(65536)
        except BlockingIOError:
            return b""
        if data == b"":
            raise DutError(f"the DUT process closed its output (exit code {self.proc.poll()})")
        return data

    def close(self):
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class SerialTransport:
    def __init__(self, port: str, baud: int = 115200):
        try:
            import serial  # Debian: python3-serial
        except ImportError:
            import sys
            sys.path.append("/usr/lib/python3/dist-packages")
            import serial
        try:
            self.ser = serial.Serial(port, baud, timeout=0)
        except (serial.SerialException, OSError) as e:
            raise DutError(f"cannot open serial port {port}: {e}") from e
        self.ser.reset_input_buffer()

    def write(self, data: bytes):
        self.ser.write(data)
        self.ser.flush()

    def read(self, timeout: float) -> bytes:
        self.ser.timeout = timeout
        first = self.ser.read(1)
        if not first:
            return b""
        self.ser.timeout = 0
        return first + self.ser.read(self.ser.in_waiting or 0)

    def close(self):
        self.ser.close()


class Dut:
    """Line-level protocol client."""

    DEFAULT_TIMEOUT = 5.0   # the official runner's per-line timeout
    INFER_TIMEOUT = 30.0    # ... and during infer

    def __init__(self, transport):
        self.t = transport
        self.buf = b""
        self.log = []  # every line received, for diagnostics

    # -- low level -------------------------------------------------------
    def read_line(self, timeout: float, waiting_for: str) -> str:
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise DutError(f"no answer within {timeout:g} s while waiting for {waiting_for!r}")
            self.buf += self.t.read(min(left, 1.0))
        line, self.buf = self.buf.split(b"\n", 1)
        text = line.rstrip(b"\r").decode("ascii", errors="replace")
        self.log.append(text)
        return text

    def read_until_ready(self, timeout: float, waiting_for: str) -> list[str]:
        lines = []
        while True:
            line = self.read_line(timeout, waiting_for)
            if "m-ready" in line:
                return lines
            lines.append(line)

    def send(self, text: str):
        self.t.write(text.encode("ascii"))

    # -- protocol ----------------------------------------------------------
    def banner(self, timeout: float = 10.0) -> list[str]:
        return self.read_until_ready(timeout, "boot banner")

    def command(self, cmd: str, timeout: float | None = None, check: bool = True) -> list[str]:
        """Sends `cmd%` and returns the answer's lines (without m-ready)."""
        self.send(cmd + "%")
        lines = self.read_until_ready(timeout or self.DEFAULT_TIMEOUT, cmd)
        if check:
            errors = [l for l in lines if l.startswith("e-[")]
            if errors:
                raise DutError(f"DUT reported {errors[0]} for {cmd!r}")
        return lines

    def name(self) -> str:
        for line in self.command("name"):
            m = re.match(r"^m-name-dut-\[([^]]+)\]$", line)
            if m:
                return m.group(1)
        raise DutError("no m-name-dut line in the answer to 'name'")

    def profile(self) -> dict:
        out = {}
        for line in self.command("profile"):
            m = re.match(r"^m-(model|profile)-\[([^]]+)\]$", line)
            if m:
                out[m.group(1)] = m.group(2)
        return out

    def select_model(self, model_id: str):
        lines = self.command(f"model {model_id}")
        if f"m-model-[{model_id}]" not in lines:
            raise DutError(f"the DUT did not switch to {model_id}: {lines}")

    def load(self, data: bytes, chunk: int = 31):
        lines = self.command(f"db load {len(data)}")
        if f"m-[Expecting {len(data)} bytes]" not in lines:
            raise DutError(f"unexpected answer to 'db load {len(data)}': {lines}")
        done = False
        for i in range(0, len(data), chunk):
            lines = self.command("db " + data[i:i + chunk].hex())
            done = "m-load-done" in lines
        if not done:
            raise DutError("the DUT did not report m-load-done")

    def infer(self, n: int, warmup: int) -> dict:
        lines = self.command(f"infer {n} {warmup}", timeout=self.INFER_TIMEOUT)
        laps = [int(m.group(1)) for l in lines if (m := re.match(r"^m-lap-us-([0-9]+)$", l))]
        results = [l for l in lines if l.startswith("m-results-[")]
        if not results:
            raise DutError(f"no m-results line after 'infer {n} {warmup}': {lines}")
        values = [float(v) for v in re.match(r"^m-results-\[([^]]*)\]$", results[0]).group(1).split(",")]
        return {"laps_us": laps, "results": values, "results_text": results[0], "lines": lines}

    def output_tensor(self) -> bytes:
        for line in self.command("output"):
            m = re.match(r"^m-output-\[([0-9a-f]*)\]$", line)
            if m:
                return bytes.fromhex(m.group(1))
        raise DutError("no m-output line in the answer to 'output'")

    def close(self):
        self.t.close()
