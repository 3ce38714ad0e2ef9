"""Talks the MLPerf Tiny DUT protocol to a tinyperf image.

Transports: a child process on stdin/stdout (the native image, or QEMU with
-serial stdio) or a serial port (pyserial). Every command is answered by lines
ending in the whole line `m-ready`. Each answer has a deadline of its own,
measured from sending its command (in a pipeline: from sending it or from the
end of the answer before it, whichever is later), however many lines arrive
meanwhile. An answer that carries another command's lines is a lost step: the
client gets back in step (as sync() does) and raises DutLostStep. Transport
failures (the process exits, the port goes away) raise DutLinkError. Every
DutError carries the DUT's last lines and the process's exit status, and
DutError.report() formats them for the user.

With a transcript file (Dut.open_transcript) every line sent and received is
written with the host's time, as the official runner keeps log.txt.
"""
from __future__ import annotations

import datetime
import os
import re
import selectors
import subprocess
import sys
import time
import zlib
from pathlib import Path

TAIL_LINES = 20          # lines of the DUT's output a failure report shows
LOAD_RETRIES = 2         # a load whose CRC differs is sent again this often


class DutError(Exception):
    """The DUT did not answer as the protocol says (timeout, e- line, EOF)."""

    def __init__(self, msg, tail=None, exit_status=None):
        super().__init__(msg)
        self.tail = list(tail or [])
        self.exit_status = exit_status

    def report(self) -> str:
        """The one-line reason, then the exit status and the DUT's last lines."""
        out = [str(self)]
        if self.exit_status is not None:
            out.append(f"the DUT process exit status: {self.exit_status}")
        if self.tail:
            out.append(f"the DUT's last {len(self.tail)} lines:")
            out += ["  | " + l for l in self.tail]
        return "\n".join(out)


class DutLinkError(DutError):
    """The link itself failed: the DUT process exited, the port went away."""


class DutLostStep(DutError):
    """An answer did not fit its command; the client got back in step."""


class ProcessTransport:
    def __init__(self, argv, stderr=None, env=None):
        self.argv = list(argv)
        self.proc = subprocess.Popen(self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=stderr if stderr is not None else subprocess.DEVNULL,
                                     env=env, bufsize=0)
        os.set_blocking(self.proc.stdout.fileno(), False)
        self.sel = selectors.DefaultSelector()
        self.sel.register(self.proc.stdout, selectors.EVENT_READ)

    def exit_status(self):
        try:
            return self.proc.wait(timeout=1) if self.proc.poll() is None else self.proc.returncode
        except subprocess.TimeoutExpired:
            return None

    def write(self, data: bytes):
        try:
            self.proc.stdin.write(data)
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError, ValueError) as e:
            raise DutLinkError(f"the DUT process exited (writing to it failed: {e})",
                               exit_status=self.exit_status()) from None

    def read(self, timeout: float) -> bytes:
        if not self.sel.select(timeout):
            return b""
        try:
            data = self.proc.stdout.read(65536)
        except BlockingIOError:
            return b""
        except OSError as e:
            raise DutLinkError(f"reading the DUT's output failed: {e}",
                               exit_status=self.exit_status()) from None
        if not data:
            raise DutLinkError("the DUT process closed its output (it exited)",
                               exit_status=self.exit_status())
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


def _serial_module():
    try:
        import serial  # Debian: python3-serial
    except ImportError:
        sys.path.append("/usr/lib/python3/dist-packages")
        import serial
    return serial


class SerialTransport:
    def __init__(self, port: str, baud: int = 115200):
        serial = _serial_module()
        self.port = port
        self.errors = (serial.SerialException, OSError)
        try:
            self.ser = serial.Serial(port, baud, timeout=0)
            self.ser.reset_input_buffer()
        except self.errors as e:
            raise DutLinkError(f"cannot open serial port {port}: {e}") from None

    def write(self, data: bytes):
        try:
            self.ser.write(data)
            self.ser.flush()
        except self.errors as e:
            raise DutLinkError(f"serial port {self.port} went away while writing: {e}") from None

    def read(self, timeout: float) -> bytes:
        try:
            self.ser.timeout = timeout
            first = self.ser.read(1)
            if not first:
                return b""
            self.ser.timeout = 0
            return first + self.ser.read(self.ser.in_waiting or 0)
        except self.errors as e:
            raise DutLinkError(f"serial port {self.port} went away while reading: {e}") from None

    def close(self):
        try:
            self.ser.close()
        except self.errors:
            pass


def check_reply(cmd: str, lines: list[str]) -> list[str]:
    """Raises DutError if an answer has an e-[...] line; returns the lines."""
    errors = [l for l in lines if l.startswith("e-[")]
    if errors:
        raise DutError(f"DUT reported {errors[0]} for {cmd!r}")
    return lines


# Lines only one kind of command prints: seeing one in the answer to another
# command means host and DUT are out of step.
OWNERS = (
    ("m-name-dut-", ("name",)),
    ("m-profile-[", ("profile",)),
    ("m-models-[", ("model",)),
    ("m-[Expecting ", ("db",)),
    ("m-load-done", ("db",)),
    ("m-db-crc32-[", ("db",)),
    ("m-output-[", ("output",)),
    ("m-results-[", ("infer", "layers", "selftest")),
    ("m-lap-us-", ("infer", "layers", "selftest")),
    ("m-infer-start-", ("infer", "layers", "selftest")),
    ("m-warmup-start-", ("infer", "layers", "selftest")),
)
KNOWN = {c for _, owners in OWNERS for c in owners}


def foreign_line(cmd: str, lines: list[str]) -> str | None:
    """The first line of `lines` that belongs to the answer of another command."""
    word = cmd.split()[0] if cmd.split() else ""
    if word not in KNOWN:
        return None
    for l in lines:
        for prefix, owners in OWNERS:
            if l.startswith(prefix) and word not in owners:
                return l
    return None


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


def parse_crc(lines: list[str]) -> int | None:
    for l in lines:
        m = re.match(r"^m-db-crc32-\[([0-9a-fA-F]{8})\]$", l)
        if m:
            return int(m.group(1), 16)
    return None


def parse_infer(cmd: str, lines: list[str]) -> dict:
    """The answer to `infer N W`: m-lap-us timestamps and the m-results values."""
    laps = [int(m.group(1)) for l in lines if (m := re.match(r"^m-lap-us-([0-9]+)$", l))]
    results = [m for l in lines if (m := re.match(r"^m-results-\[([^]]*)\]$", l))]
    if not results:
        raise DutError(f"no m-results line in the answer to {cmd!r}: {lines}")
    if len(results) > 1:
        raise DutError(f"{len(results)} m-results lines in the answer to {cmd!r}")
    try:
        values = [float(v) for v in results[0].group(1).split(",")]
    except ValueError:
        raise DutError(f"unreadable m-results line in the answer to {cmd!r}: {results[0].group(0)}")
    return {"laps_us": laps, "results": values, "results_text": results[0].group(0), "lines": lines}


class Dut:
    """Line-level protocol client."""

    DEFAULT_TIMEOUT = 5.0   # the official runner's per-line timeout, here per answer
    INFER_TIMEOUT = 30.0    # ... and for infer

    def __init__(self, transport, note=None):
        self.t = transport
        self.buf = b""
        self.log = []             # the last lines received (at most 10 x TAIL_LINES kept)
        self.transcript = None
        self.crc = None           # None: not asked yet; True/False: the DUT answers `db crc`
        self.load_retries = 0     # loads sent again because the DUT's CRC differed
        self.lost_steps = 0       # answers that did not fit their command
        self.note = note or (lambda text: print(f"tinyperf: note: {text}", file=sys.stderr))

    # -- transcript and failures ------------------------------------------------
    def open_transcript(self, path):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.transcript = open(path, "w", encoding="utf-8", errors="replace")
        self._record("#", f"tinyperf DUT transcript ({type(self.t).__name__})")

    def _record(self, way: str, text: str):
        if self.transcript:
            now = datetime.datetime.now().isoformat(timespec="milliseconds")
            self.transcript.write(f"{now} {way} {text}\n")
            self.transcript.flush()

    def fail(self, msg: str, cls=DutError, cause: DutError | None = None) -> DutError:
        status = cause.exit_status if cause is not None else None
        if status is None and hasattr(self.t, "exit_status") and getattr(self.t, "proc", None):
            if self.t.proc.poll() is not None:
                status = self.t.proc.returncode
        self._record("!", msg)
        return cls(msg, tail=self.log[-TAIL_LINES:], exit_status=status)

    # -- low level -------------------------------------------------------
    def _read(self, timeout: float) -> bytes:
        try:
            return self.t.read(timeout)
        except DutLinkError as e:
            raise self.fail(str(e), DutLinkError, e) from None

    def read_line(self, timeout: float, waiting_for: str, deadline: float | None = None) -> str:
        deadline = deadline if deadline is not None else time.monotonic() + timeout
        while b"\n" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise self.fail(f"no answer within {timeout:g} s while waiting for {waiting_for!r}")
            self.buf += self._read(min(left, 1.0))
        line, self.buf = self.buf.split(b"\n", 1)
        text = line.rstrip(b"\r").decode("ascii", errors="replace")
        self.log.append(text)
        if len(self.log) > 10 * TAIL_LINES:
            del self.log[:-TAIL_LINES]
        self._record("<", text)
        return text

    def read_until_ready(self, timeout: float, waiting_for: str,
                         deadline: float | None = None) -> list[str]:
        """Lines up to the whole line `m-ready`, all within `timeout` (or by `deadline`)."""
        deadline = deadline if deadline is not None else time.monotonic() + timeout
        lines = []
        while True:
            line = self.read_line(timeout, waiting_for, deadline)
            if line == "m-ready":
                return lines
            lines.append(line)

    def send(self, text: str):
        self._record(">", text)
        try:
            self.t.write(text.encode("ascii"))
        except DutLinkError as e:
            raise self.fail(str(e), DutLinkError, e) from None

    def drain(self, quiet: float = 0.2, limit: float = 2.0):
        """Drops whatever the DUT sends until it has been quiet for `quiet` s."""
        end = time.monotonic() + limit
        while time.monotonic() < end:
            data = self._read(quiet)
            if not data:
                break
            self._record("<", f"(dropped) {data!r}")
        self.buf = b""

    def lost_step(self, cmd: str, why: str):
        """Gets back in step and raises DutLostStep naming what happened."""
        self.lost_steps += 1
        self.drain()
        self.sync(tries=64)
        raise self.fail(f"lost step with the DUT: {why} in the answer to {cmd!r} "
                        f"(got back in step)", DutLostStep)

    def answer(self, cmd: str, timeout: float, deadline: float, check: bool) -> list[str]:
        lines = self.read_until_ready(timeout, cmd, deadline)
        stray = foreign_line(cmd, lines)
        if stray is not None:
            self.lost_step(cmd, f"{stray!r}, a line of another command's answer,")
        if check:
            try:
                check_reply(cmd, lines)
            except DutError as e:
                raise self.fail(str(e)) from None
        return lines

    # -- protocol ----------------------------------------------------------
    def banner(self, timeout: float = 10.0) -> list[str]:
        return self.read_until_ready(timeout, "boot banner")

    def command(self, cmd: str, timeout: float | None = None, check: bool = True) -> list[str]:
        """Sends `cmd%` and returns the answer's lines (without m-ready)."""
        timeout = timeout or self.timeout_for(cmd)
        sent = time.monotonic()
        self.send(cmd + "%")
        return self.answer(cmd, timeout, sent + timeout, check)

    def timeout_for(self, cmd: str) -> float:
        return self.INFER_TIMEOUT if cmd.startswith("infer") else self.DEFAULT_TIMEOUT

    def pipeline(self, cmds: list[str], window: int = 0, unchecked=()) -> list[list[str]]:
        """Runs commands in order, sending ahead while at most `window` bytes of
        commands are unanswered (0: one at a time); returns every answer, each
        checked like command() except those in `unchecked`. On an error the
        answers still due are read (so the stream stays in step) before
        DutError is raised."""
        answers, pending, in_flight, sent = [], [], 0, 0
        done_at = time.monotonic()
        while len(answers) < len(cmds):
            while sent < len(cmds) and (not pending or in_flight + len(cmds[sent]) + 1 <= window):
                self.send(cmds[sent] + "%")
                pending.append((cmds[sent], time.monotonic()))
                in_flight += len(cmds[sent]) + 1
                sent += 1
            cmd, sent_at = pending.pop(0)
            in_flight -= len(cmd) + 1
            timeout = self.timeout_for(cmd)
            try:
                answers.append(self.answer(cmd, timeout, max(sent_at, done_at) + timeout,
                                           cmd not in unchecked))
            except DutLostStep:
                raise
            except DutLinkError:
                raise
            except DutError:
                for later, _ in pending:
                    self.read_until_ready(self.timeout_for(later), later)
                raise
            done_at = time.monotonic()
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
        raise self.fail(f"no answer to 'name' among the first {tries} answers from the DUT")

    def name(self) -> str:
        for line in self.command("name"):
            m = re.match(r"^m-name-dut-\[([^]]+)\]$", line)
            if m:
                return m.group(1)
        raise self.fail("no m-name-dut line in the answer to 'name'")

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
            raise self.fail(f"the DUT did not switch to {model_id}: {lines}")

    # -- verified input ------------------------------------------------------
    def probe_crc(self) -> bool:
        """Asks once whether the firmware answers `db crc` (send it before any
        `db load`: another vendor's DUT may read an unknown `db` word as data).
        Without it, says once that inputs are unverified."""
        if self.crc is None:
            lines = self.command("db crc", check=False)
            # before any load tinyperf answers e-[db crc: nothing loaded]
            self.crc = parse_crc(lines) is not None or any(l.startswith("e-[db crc") for l in lines)
            if not self.crc:
                self.note("the firmware does not answer 'db crc': inputs sent to it are unverified")
        return self.crc

    def crc_matches(self, data: bytes, lines: list[str]) -> bool:
        got = parse_crc(lines)
        if got is None:
            raise self.fail(f"no m-db-crc32 line in the answer to 'db crc': {lines}")
        return got == zlib.crc32(data)

    def load_and(self, data: bytes, after: list[str], chunk: int = 31, window: int = 0,
                 what: str = "the input") -> list[list[str]]:
        """Loads `data`, checks the DUT's CRC where it has `db crc` (reloading up
        to LOAD_RETRIES times on a mismatch), then runs `after` in the same
        pipeline; returns the answers to `after`. The answers to `after` from a
        load whose CRC differed are dropped, never used."""
        load = load_commands(data, chunk)
        verify = ["db crc"] if self.crc else []
        for attempt in range(LOAD_RETRIES + 1):
            answers = self.pipeline(load + verify + after, window, unchecked=("db crc",))
            check_loaded(len(data), answers[:len(load)])
            if not verify or self.crc_matches(data, answers[len(load)]):
                return answers[len(load) + len(verify):]
            if attempt < LOAD_RETRIES:
                self.load_retries += 1
                self.note(f"the DUT's CRC of {what} differs from the host's: loading it again "
                          f"(retry {attempt + 1} of {LOAD_RETRIES})")
        raise self.fail(f"{what}: the DUT's CRC still differs from the host's after "
                        f"{LOAD_RETRIES + 1} loads (a faulty link?)")

    def load(self, data: bytes, chunk: int = 31, window: int = 0, what: str = "the input"):
        self.load_and(data, [], chunk, window, what)

    def infer(self, n: int, warmup: int, timeout: float | None = None) -> dict:
        cmd = f"infer {n} {warmup}"
        return parse_infer(cmd, self.command(cmd, timeout=timeout))

    def output_tensor(self) -> bytes:
        for line in self.command("output"):
            m = re.match(r"^m-output-\[([0-9a-f]*)\]$", line)
            if m:
                return bytes.fromhex(m.group(1))
        raise self.fail("no m-output line in the answer to 'output'")

    def close(self):
        self.t.close()
        if self.transcript:
            self.transcript.close()
            self.transcript = None
