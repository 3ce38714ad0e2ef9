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


def check_reply(cmd: str, lines: list[str]) -> list[str]:
    """Raises DutError if an answer has an e-[...] line; returns the lines."""
    errors = [l for l in lines if l.startswith("e-[")]
    if errors:
        raise DutError(f"DUT reported {errors[0]} for {cmd!r}")
    return lines


def load_commands(data: bytes, chunk: int = 31) -> list[str]:
    """`db load N` and the `db <hex>` lines (`chunk` bytes each) for one input.
    Run them with Dut.pipeline(), then check_loaded() on the answers."""
    return [f"db load {len(data)}"] + ["db " + data[i:i + chunk].hex()
                                       for i in range(0, len(data), chunk)]


def check_loaded(n: int, answers: list[list[str]]):
    """Checks the answers to load_commands(): Expecting N, then m-load-done last."""
    if f"m-[Expecting {n} bytes]" not in answers[0]:
        raise DutError(f"unexpected answer to 'db load {n}': {answers[0]}")
    if "m-load-done" not in answers[-1]:
        raise DutError(f"the DUT did not report m-load-done after {n} bytes")


def parse_infer(cmd: str, lines: list[str]) -> dict:
    """The answer to `infer N W`: m-lap-us timestamps and the m-results values."""
    laps = [int(m.group(1)) for l in lines if (m := re.match(r"^m-lap-us-([0-9]+)$", l))]
    results = [m for l in lines if (m := re.match(r"^m-results-\[([^]]*)\]$", l))]
    if not results:
        raise DutError(f"no m-results line in the answer to {cmd!r}: {lines}")
    try:
        values = [float(v) for v in results[0].group(1).split(",")]
    except ValueError:
        raise DutError(f"unreadable m-results line in the answer to {cmd!r}: {results[0].group(0)}")
    return {"laps_us": laps, "results": values, "results_text": results[0].group(0), "lines": lines}


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
        lines = self.read_until_ready(timeout or self.timeout_for(cmd), cmd)
        return check_reply(cmd, lines) if check else lines

    def timeout_for(self, cmd: str) -> float:
        return self.INFER_TIMEOUT if cmd.startswith("infer") else self.DEFAULT_TIMEOUT

    def pipeline(self, cmds: list[str], window: int = 0) -> list[list[str]]:
        """Runs commands in order, sending ahead while at most `window` bytes of
        commands are unanswered (0: one at a time); returns every answer, each
        checked like command(). On an error the answers still due are read
        (so the stream stays in step) before DutError is raised."""
        answers, pending, in_flight, sent = [], [], 0, 0
        while len(answers) < len(cmds):
            while sent < len(cmds) and (not pending or in_flight + len(cmds[sent]) + 1 <= window):
                self.send(cmds[sent] + "%")
                pending.append(cmds[sent])
                in_flight += len(cmds[sent]) + 1
                sent += 1
            cmd = pending.pop(0)
            in_flight -= len(cmd) + 1
            lines = self.read_until_ready(self.timeout_for(cmd), cmd)
            try:
                answers.append(check_reply(cmd, lines))
            except DutError:
                for later in pending:
                    self.read_until_ready(self.timeout_for(later), later)
                raise
        return answers

    def sync(self, timeout: float = 5.0, tries: int = 8):
        """Gets in step with a board the host did not boot: a lone `%` ends any
        half-sent command, then answers are read (and dropped) up to the one
        to `name`, skipping a boot banner that arrives late or stale answers."""
        self.send("%name%")
        for _ in range(tries):
            lines = self.read_until_ready(timeout, "name (getting in step with the DUT)")
            if any(l.startswith("m-name-dut-[") for l in lines):
                return
        raise DutError(f"no answer to 'name' among the first {tries} answers from the DUT")

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

    def load(self, data: bytes, chunk: int = 31, window: int = 0):
        check_loaded(len(data), self.pipeline(load_commands(data, chunk), window))

    def infer(self, n: int, warmup: int, timeout: float | None = None) -> dict:
        cmd = f"infer {n} {warmup}"
        return parse_infer(cmd, self.command(cmd, timeout=timeout))

    def output_tensor(self) -> bytes:
        for line in self.command("output"):
            m = re.match(r"^m-output-\[([0-9a-f]*)\]$", line)
            if m:
                return bytes.fromhex(m.group(1))
        raise DutError("no m-output line in the answer to 'output'")

    def close(self):
        self.t.close()
