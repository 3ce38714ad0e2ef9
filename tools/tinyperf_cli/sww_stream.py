"""sww01 streaming run: plays a wav into a QEMU DUT's second serial port (or
the native DUT's audio line: the same Unix socket, which it connects to),
collects the DUT's detections and scores them as the MLPerf Tiny runner does.

The DUT side and the audio line's flow control are described in
app/sww_stream.h: the DUT asks for each block of 512 samples ('R') when its
clock says so; we answer with 1024 bytes (channel 0, int16 little endian),
silence after the file's end. Detections come back on the console as
  m-sww-detection-[<hop>,<due us>,<pin us>,<score>,<marker|word>]
and `stop` ends with m-sww-stats-[hops,busy us,elapsed us,underruns,dropped].
"""

from __future__ import annotations

import fcntl
import os
import re
import socket
import struct
import tempfile
import termios
import threading
import time
import wave
from dataclasses import dataclass, field
from pathlib import Path

from tinyperf_cli import sww_pins, sww_score

HOP = 512
RATE = 16000
HOP_S = HOP / RATE
TAIL_HOPS = 8  # after the file: 0.25 s (the runner sleeps 0.25 s before `stop`)
PREFETCH = 7   # blocks the DUT asks ahead (app/sww_stream.cc kPrefetch)
STALL_S = 60   # run_stream gives up when the DUT asked for no block in this long
SETTLE_S = 30  # after `stop`: how long the audio line may take to be read empty (AudioFeeder.settle)


def icount(shift: int) -> str:
    """QEMU's -icount for a streaming run: sleep=off, so that idle DUT time
    (WFI) jumps to the next timer deadline instead of passing in host time.
    The DUT does not sleep while audio it asked for is on its way (it idles
    busy then: app/sww_stream.h), so the blocks come in at the DUT's
    instruction pace, and its timeline (hop k due (k+1) x 32 ms after the
    window is full) depends neither on the host's speed nor on its load.
    (With sleep=on the idle time after a block is in passes in host time and
    a late host wake-up lands in the DUT's clock.)"""
    return f"shift={shift},sleep=off"

DETECTION = re.compile(r"^m-sww-detection-\[(\d+),(\d+),(\d+),(-?\d+),(marker|word)\]$")
STATS = re.compile(r"^m-sww-stats-\[(\d+),(\d+),(\d+),(\d+),(\d+)\]$")


class StreamError(RuntimeError):
    pass


def read_channel0(path) -> bytes:
    """Channel 0 of a 16-bit PCM wav as little-endian int16 bytes."""
    with wave.open(str(path), "rb") as w:
        if w.getsampwidth() != 2:
            raise StreamError(f"{path}: {8 * w.getsampwidth()}-bit samples, sww01 needs 16-bit")
        if w.getframerate() != RATE:
            raise StreamError(f"{path}: {w.getframerate()} Hz, sww01 needs {RATE} Hz")
        ch = w.getnchannels()
        raw = w.readframes(w.getnframes())
    if ch == 1:
        return raw
    frame = 2 * ch
    return b"".join(raw[i:i + 2] for i in range(0, len(raw), frame))


class AudioSocket:
    """The listening Unix socket that QEMU connects the DUT's audio UART to
    (its second -serial), and its closing. AudioFeeder here and the
    interface board stand-in (tools/official_runner/sww_interface.py) serve
    the DUT's block requests on it, each by its own rule."""

    def __init__(self, path: str):
        self.path = path
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(path)
        self.server.listen(1)
        self.conn = None

    def accept(self, timeout: float = 60):
        """The DUT's connection, or None if QEMU did not connect in time."""
        try:
            self.server.settimeout(timeout)
            return self.server.accept()[0]
        except OSError:
            return None

    def unread(self) -> int:
        """Bytes sent on the DUT's line that its peer (QEMU, or the native
        image) has not read yet (SIOCOUTQ; QEMU reads a UART's socket one
        byte at a time, as the UART can take it), 0 without a connection."""
        if self.conn is None:
            return 0
        try:
            buf = fcntl.ioctl(self.conn.fileno(), termios.TIOCOUTQ, b"\0\0\0\0")
        except OSError:
            return 0
        return struct.unpack("i", buf)[0]

    def wait_taken(self, timeout: float) -> bool:
        """Waits until the peer has read every byte sent (False if it has
        not within `timeout` s)."""
        end = time.monotonic() + timeout
        while self.unread():
            if time.monotonic() > end:
                return False
            time.sleep(0.002)
        return True

    def close(self):
        for s in (self.conn, self.server):
            try:
                if s:
                    s.close()
            except OSError:
                pass
        try:
            os.unlink(self.path)
        except OSError:
            pass


class AudioFeeder(AudioSocket):
    """Answers each 'R' with the next block of the file played (silence
    after it), or holds the requests beyond `limit` blocks when play() sets
    one (the native DUT's clock then stands still until `stop`, so its hop
    count is the limit's: app/sww_stream_native.h)."""

    def __init__(self, path: str):
        super().__init__(path)
        self.audio = b""
        self.pos = 0
        self.blocks_sent = 0
        self.file_blocks = 0
        self.limit = None
        self.held = 0
        self.stopped = False
        self.pin_log = None  # QEMU's log with the pins' trace (sww_pins), set by boot_streaming
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def play(self, audio: bytes, limit: int | None = None, settle_s: float = SETTLE_S):
        """The next stream's audio. When blocks have been sent since the last
        play, waits first for that stream to settle (settle(): the DUT's `S`,
        every block taken), so that its `start` cannot capture them; a
        StreamError if that does not happen in `settle_s` s."""
        if self.blocks_sent and not self.settle(settle_s):
            raise StreamError(f"the DUT's audio line did not settle in {settle_s:g} s after the last stream "
                              f"(no 'S', or {self.unread()} bytes of the blocks sent not taken): the next "
                              f"`start` could capture them")
        with self.lock:
            self.audio = audio
            self.pos = 0
            self.blocks_sent = 0
            self.file_blocks = (len(audio) + 2 * HOP - 1) // (2 * HOP)
            self.limit = limit
            self.held = 0
            self.stopped = False

    def settle(self, timeout: float = SETTLE_S) -> bool:
        """After the DUT's `stop`: waits for its 'S' (every request before it
        answered) and until the DUT has taken every block sent. The blocks
        answering the requests it made ahead are still on the line when
        `stop` is answered if the host lags (QEMU delivers them in host
        time); the DUT drops them while it is not capturing, but a `start`
        sent before they are in would take them as the next stream's first
        bytes. False if that did not happen in `timeout` s."""
        end = time.monotonic() + timeout
        while not self.stopped:
            if time.monotonic() > end:
                return False
            time.sleep(0.002)
        return self.wait_taken(max(0.0, end - time.monotonic()))

    def _serve(self):
        self.conn = self.accept()
        if self.conn is None:
            return
        while True:
            try:
                data = self.conn.recv(64)
            except OSError:
                return
            if not data:
                return
            for b in data:
                if b == ord("R"):
                    with self.lock:
                        if self.limit is not None and self.blocks_sent >= self.limit:
                            self.held += 1
                            continue
                        block = self.audio[self.pos:self.pos + 2 * HOP]
                        self.pos += len(block)
                        self.blocks_sent += 1
                    block += bytes(2 * HOP - len(block))  # silence after the file
                    try:
                        self.conn.sendall(block)
                    except OSError:
                        return
                elif b == ord("S"):
                    self.stopped = True


@dataclass
class StreamResult:
    wav: str
    detections: list = field(default_factory=list)  # (hop, due_us, pin_us, score, kind)
    hops: int = 0
    busy_us: int = 0
    elapsed_us: int = 0
    underruns: int = 0
    dropped: int = 0
    activations: list = field(default_factory=list)
    transcript: list = field(default_factory=list)
    clock_note: str = ""  # what the DUT's clock is, where it is not QEMU's (native)
    pins: sww_pins.Observed | None = None  # the pins watched from outside (QEMU boards)
    pin_lines: list = field(default_factory=list)   # what the pins showed against the console
    pin_errors: list = field(default_factory=list)  # where they disagree

    @property
    def duty_cycle(self) -> float:
        return self.busy_us / self.elapsed_us if self.elapsed_us else 0.0

    def detection_times_ms(self):
        """What the interface board would record: the WW_DETECTED edges (ms)."""
        return [pin / 1000 for _, _, pin, _, _ in self.detections]

    def key(self):
        """The deterministic part: which hops detected and their scores."""
        return [(h, due, score, kind) for h, due, _, score, kind in self.detections]


def parse_lines(lines):
    """The DUT's m-sww-detection lines as (hop, due us, pin us, score, kind)
    and its last m-sww-stats line as a tuple (None if there is none)."""
    detections, stats = [], None
    for line in lines:
        line = line.strip()
        if m := DETECTION.match(line):
            h, due, pin, score = (int(x) for x in m.groups()[:4])
            detections.append((h, due, pin, score, m.group(5)))
        elif m := STATS.match(line):
            stats = tuple(int(x) for x in m.groups())
    return detections, stats


def parse_activations(lines):
    text = " ".join(lines)
    m = re.search(r"target activations:\s*\[(.*?)\]\s*\]", text, re.S)
    if not m:
        return []
    return [int(v) for v in re.split(r"[,\]\s]+", m.group(1)) if v.strip()]


def run_stream(dut, feeder: AudioFeeder, audio: bytes, wav_name: str, progress=None,
               hold: bool = False) -> StreamResult:
    """One streaming run on a booted DUT: stop, start, play, stop (the runner's order).
    hold (native): no block beyond the file, its tail and the blocks asked ahead, so
    the DUT's virtual clock stops there and every run has the same hops."""
    result = StreamResult(wav=wav_name)
    dut.command("stop", check=False)
    want = (len(audio) + 2 * HOP - 1) // (2 * HOP) + TAIL_HOPS + PREFETCH  # + the blocks asked ahead
    feeder.play(audio, limit=want if hold else None)
    pin_begin = sww_pins.log_size(feeder.pin_log) if feeder.pin_log else 0  # the pins are at rest
    lines = dut.command("start", check=False)
    result.transcript += lines
    if any(l.startswith("e-[") for l in lines):
        raise StreamError(f"the DUT refused start: {[l for l in lines if l.startswith('e-[')][0]}")
    seen = []
    last = time.monotonic()
    # A hung DUT or QEMU: no block asked for in STALL_S. (No limit on the whole
    # run: on a loaded host it takes as long as the host needs, and the DUT's
    # figures do not depend on that.) Held: also until the DUT has asked for
    # PREFETCH blocks beyond the limit, i.e. has processed every block it got
    # (its clock then waits for the next one).
    moved_at, asked = time.monotonic(), (feeder.blocks_sent, feeder.held)
    while feeder.blocks_sent < want or (hold and feeder.held < PREFETCH):
        if (feeder.blocks_sent, feeder.held) != asked:
            moved_at, asked = time.monotonic(), (feeder.blocks_sent, feeder.held)
        elif time.monotonic() - moved_at > STALL_S:
            raise StreamError(f"the DUT asked for {feeder.blocks_sent} of {want} audio blocks, "
                              f"then none in {STALL_S} s")
        try:
            line = dut.read_line(0.5, "sww01 detections", time.monotonic() + 0.5)
            seen.append(line)
        except Exception:  # nothing within 0.5 s: keep waiting for the audio
            pass
        if progress and time.monotonic() - last > 5:
            progress(f"sww01: {feeder.blocks_sent}/{want} blocks played")
            last = time.monotonic()
    lines = dut.command("stop", timeout=30, check=False)
    seen += lines
    result.transcript += seen
    result.detections, stats = parse_lines(seen)
    if stats:
        result.hops, result.busy_us, result.elapsed_us, result.underruns, result.dropped = stats
    result.activations = parse_activations(lines)
    if not result.hops:
        raise StreamError("`stop` gave no m-sww-stats line: " + " | ".join(lines[-5:]))
    if feeder.pin_log:  # `stop` has answered: the last hop's pulses are in the log
        result.pins = sww_pins.observe(sww_pins.read_window(feeder.pin_log, pin_begin))
        result.pin_lines, result.pin_errors = sww_pins.check(
            result.pins, result.detections, result.hops, result.dropped, result.busy_us, result.elapsed_us,
            result.underruns)
    return result


NATIVE_CLOCKS = ("m4", "cpu")


def native_clock_note(clock: str) -> str:
    """What the native DUT's clock is (app/sww_stream_native.h) under --sww-clock."""
    if clock == "cpu":
        return ("DUT clock: native, the kernel host port's virtual clock; a hop costs this host's CPU "
                "time of it (--sww-clock cpu: busy, duty cycle and WW_DETECTED times vary run to run)")
    import json
    from tinyperf_cli import project
    table = json.loads((project.ROOT / "boards" / "native" / "m4_layer_instructions.json").read_text())
    return (f"DUT clock: native, the kernel host port's virtual clock; a hop costs the Cortex-M4's "
            f"measured {table['sww01_hop_instructions']:,} instructions at 1 ns each (--sww-clock m4, "
            f"boards/native/m4_layer_instructions.json): deterministic")


def boot_streaming(info: dict, icount_shift: int, transcript=None, native_clock: str = "m4"):
    """Boots a QEMU image with its second UART on a fresh Unix socket (or the
    native image with its audio line on it); returns (Target, AudioFeeder,
    temp dir)."""
    from tinyperf_cli import bench, project
    from tinyperf_cli.dut import Dut, ProcessTransport
    if info["kind"] not in ("arm", "host"):
        raise StreamError(f"sww01 streaming runs on the QEMU boards and native (the audio comes in "
                          f"on a second serial line); {info['board']} has no audio input here")
    if native_clock not in NATIVE_CLOCKS:
        raise StreamError(f"--sww-clock {native_clock}: one of {', '.join(NATIVE_CLOCKS)}")
    tmp = tempfile.TemporaryDirectory(prefix="tp-sww-")
    path = os.path.join(tmp.name, "audio.sock")
    feeder = AudioFeeder(path)
    if info["kind"] == "host":  # the native DUT connects to the socket itself (board.cc --audio)
        argv = project.launch_argv(info, extra=["--audio", path, "--audio-clock", native_clock])
        log = tempfile.TemporaryFile()
        dut = Dut(ProcessTransport(argv, stderr=log))
        if transcript:
            dut.open_transcript(transcript)
        dut.banner()
        return bench.Target(dut, info["board"], "native", None, " ".join(argv)), feeder, tmp
    argv = project.launch_argv(info, icount_shift=None, extra=["-serial", f"unix:{path}"])
    argv += ["-icount", icount(icount_shift)]
    # The pins, watched from outside: QEMU's LED trace (and the pin_watch
    # plugin's times, where it is built) in a log file (sww_pins).
    feeder.pin_log = os.path.join(tmp.name, "qemu.log")
    try:
        argv += sww_pins.qemu_args(sww_pins.machine_of(argv), feeder.pin_log, sww_pins.find_plugin())
    except sww_pins.PinError as e:
        feeder.close()
        tmp.cleanup()
        raise StreamError(str(e)) from None
    log = tempfile.TemporaryFile()
    dut = Dut(ProcessTransport(argv, stderr=log))
    if transcript:
        dut.open_transcript(transcript)
    dut.banner()
    return bench.Target(dut, info["board"], "qemu", icount_shift, " ".join(argv)), feeder, tmp


def scored(result: StreamResult, test: sww_score.StreamTest):
    return sww_score.score(result.detection_times_ms(), test.windows)


def report(result: StreamResult, test: sww_score.StreamTest, out=print):
    score = scored(result, test)
    tp, fp, fn = score.counts
    out(f"== sww01 {result.wav} ({test.length_sec:.1f} s, {result.hops} hops of {HOP_S * 1000:.0f} ms) ==")
    for line in sww_score.report_lines(score, test.windows, test.length_sec):
        out(line)
    out(f"Duty cycle: {result.duty_cycle:.4f} (busy {result.busy_us / max(result.hops, 1):.0f} us "
        f"per {HOP_S * 1e6:.0f} us hop, DUT clock), underruns {result.underruns}")
    if result.clock_note:
        out(result.clock_note)
    lat = [pin - due for _, due, pin, _, _ in result.detections]
    if lat:
        out(f"WW_DETECTED after the hop was due: {min(lat)}..{max(lat)} us (the hop's processing; a "
            f"late block pauses the timeline instead: underruns)")
    for line in result.pin_lines:
        out(line)
    for line in result.pin_errors:
        out(f"tinyperf: error: {line}")
    return score


# -- `./tinyperf bench --model sww01` and the main job ----------------------------------

TESTS = {"short": "sww_short_test.json", "med": "sww_med_test.json", "long": "sww_long_test.json"}


def find_test(dataset, which: str = "short"):
    """(StreamTest list, directory of the wavs): --sww-test short|med|long or a JSON path;
    the wavs are looked for beside the JSON."""
    p = Path(which) if which not in TESTS else Path(dataset) / "sww01" / TESTS[which]
    if not p.is_file():
        raise StreamError(f"no sww01 test file {p} (the runner's sww_data_dir JSON; "
                          f"give --dataset DIR holding sww01/{TESTS['short']})")
    return sww_score.load_tests(p), p.parent


def parse_expect(text: str):
    """sww01=TP/FP/FN, e.g. sww01=2/0/1."""
    try:
        tp, fp, fn = (int(x) for x in text.split("=", 1)[1].split("/"))
    except ValueError:
        raise StreamError(f"--expect {text}: for sww01 give TP/FP/FN, e.g. sww01=2/0/1") from None
    return tp, fp, fn


def parse_limit(text: str) -> int:
    """sww01-underruns=N or sww01-latency-us=N: the most allowed."""
    try:
        n = int(text.split("=", 1)[1])
    except (IndexError, ValueError):
        n = -1
    if n < 0:
        raise StreamError(f"--expect {text}: give a whole number >= 0, e.g. sww01-underruns=0")
    return n


# --repeat: how far one detection's WW_DETECTED time after its due time may
# move between runs. Under -icount the hop's work is the same instructions
# every run; what moves is where the start of the timeline falls between two
# whole microseconds of the DUT's clock (measured: 1 us).
LATENCY_SPREAD_US = 2


def latencies(result: StreamResult):
    """(hop, WW_DETECTED us after the hop was due) of each detection."""
    return [(h, pin - due) for h, due, pin, _, _ in result.detections]


def check_limits(result: StreamResult, expects, out=print) -> int:
    """--expect sww01-underruns=N (at most N hops found their block late),
    sww01-latency-us=N (every WW_DETECTED at most N us after its hop was due)
    and sww01-pins=counted|timed (the pins were watched from outside: their
    edges counted from QEMU's LED trace; timed: also timed by the pin_watch
    plugin, sww_pins)."""
    rc = 0
    for e in expects:
        if e.startswith("sww01-pins="):
            want = e.split("=", 1)[1]
            if want not in ("counted", "timed"):
                raise StreamError(f"--expect {e}: sww01-pins=counted or sww01-pins=timed")
            if result.pins is None:
                out("tinyperf: error: the pins were not watched (the QEMU boards only)")
                rc = 1
            elif want == "timed" and not result.pins.timed:
                out("tinyperf: error: the pins' edges were not timed: no pin-store lines from the "
                    "pin_watch plugin (build it: tinyperf_pin_watch; or set TINYPERF_PIN_WATCH)")
                rc = 1
        if e.startswith("sww01-underruns="):
            n = parse_limit(e)
            if result.underruns > n:
                out(f"tinyperf: error: {result.underruns} underruns (hops whose audio block came "
                    f"late), expected at most {n}")
                rc = 1
        elif e.startswith("sww01-latency-us="):
            n = parse_limit(e)
            worst = max((lat for _, lat in latencies(result)), default=0)
            if worst > n:
                out(f"tinyperf: error: a WW_DETECTED edge {worst} us after its hop was due, "
                    f"expected at most {n} us")
                rc = 1
    return rc


def activation_diff(a, b) -> str:
    """Where two runs' class-0 scores part: " (first at hop k: x vs y; n hops differ)"."""
    diff = [k for k, (x, y) in enumerate(zip(a, b)) if x != y]
    if not diff:
        return ""
    return f" (first at hop {diff[0]}: {a[diff[0]]} vs {b[diff[0]]}; {len(diff)} hops differ)"


def bench_stream(info: dict, dataset, which="short", expects=(), icount_shift=0,
                 transcript=None, repeat=1, json_path=None, out=print, native_clock="m4") -> int:
    """Plays each wav of the test into a QEMU or native DUT and scores it; returns an exit code.
    repeat > 1 reruns each (fresh boot) and fails unless the detections agree (on native
    with --sww-clock m4 also their WW_DETECTED times, the busy time and the duty cycle)."""
    native = info["kind"] == "host"
    tests, wav_dir = find_test(dataset, which)
    rc = 0
    records = []
    for test in tests:
        wav = wav_dir / test.wav_file
        if not wav.is_file():
            out(f"tinyperf: error: {wav} is not here (the runner's sww_data_dir/{test.wav_file}; "
                f"point --dataset at a folder holding sww01/ with it)")
            rc = 1
            continue
        audio = read_channel0(wav)
        runs = []
        for _ in range(repeat):
            target, feeder, tmp = boot_streaming(info, icount_shift, transcript, native_clock)
            try:
                runs.append(run_stream(target.dut, feeder, audio, test.wav_file, hold=native))
                if native:
                    runs[-1].clock_note = native_clock_note(native_clock)
            finally:
                target.dut.close()
                feeder.close()
                tmp.cleanup()
        result = runs[0]
        score = report(result, test, out)
        if result.pin_errors:
            rc = 1
        # The hops of the file itself (after it, how many silent hops run before
        # `stop` arrives depends on the host's speed; not on native, which is held
        # after the file's tail).
        n_file = (len(audio) + 2 * HOP - 1) // (2 * HOP)
        for i, other in enumerate(runs[1:], 2):
            same_act = other.activations[:n_file] == result.activations[:n_file]
            moved = [(h, a, b) for (h, a), (_, b) in zip(latencies(result), latencies(other))
                     if abs(a - b) > LATENCY_SPREAD_US]
            # Native with the m4 charge: everything but the m-lap-us timestamps is the
            # audio's: the hops, every activation, the WW_DETECTED times, the busy time,
            # 0 underruns (app/sww_stream_native.h).
            timed = native and native_clock == "m4"
            same_time = not timed or (other.detections == result.detections and
                                      other.activations == result.activations and
                                      other.underruns == result.underruns == 0 and
                                      (other.hops, other.busy_us, other.elapsed_us) ==
                                      (result.hops, result.busy_us, result.elapsed_us))
            if other.key() != result.key() or not same_act or not same_time:
                out(f"tinyperf: error: run {i} differs from run 1: detections {other.detections if timed else other.key()} vs "
                    f"{result.detections if timed else result.key()}; activations of the {n_file} file hops "
                    f"{'equal' if same_act else 'differ'}"
                    + activation_diff(other.activations[:n_file], result.activations[:n_file])
                    + f"; underruns {other.underruns} vs {result.underruns}"
                    + (f"; {other.hops} hops, busy {other.busy_us} us, elapsed {other.elapsed_us} us, underruns "
                       f"{other.underruns} vs {result.hops}, {result.busy_us}, {result.elapsed_us}, "
                       f"{result.underruns}; all {len(other.activations)} activations "
                       f"{'equal' if other.activations == result.activations else 'differ'}" if timed else ""))
                rc = 1
            elif moved:
                out(f"tinyperf: error: run {i}: WW_DETECTED after due moved by more than "
                    f"{LATENCY_SPREAD_US} us from run 1: (hop, run 1 us, run {i} us) {moved[:5]}")
                rc = 1
            elif timed:
                out(f"run {i}: the same {len(other.detections)} detections (hop, due time, WW_DETECTED time, "
                    f"score), the same {other.hops} hops and class-0 score on each, the same busy time "
                    f"({other.busy_us} us) and elapsed time, 0 underruns")
            else:
                spread = max((abs(a - b) for (_, a), (_, b) in
                              zip(latencies(result), latencies(other))), default=0)
                out(f"run {i}: the same {len(other.detections)} detections (hop, due time, score), "
                    f"the same class-0 score on each of the file's {n_file} hops, WW_DETECTED "
                    f"after due within {spread} us of run 1's, underruns {other.underruns}")
            for line in other.pin_errors:
                out(f"tinyperf: error: run {i}: {line}")
                rc = 1
            rc |= check_limits(other, expects, out)
        tp, fp, fn = score.counts
        records.append({"model": "sww01", "mode": "stream", "wav": test.wav_file,
                        "true_positives": tp, "false_positives": fp, "false_negatives": fn,
                        "duty_cycle": result.duty_cycle, "hops": result.hops,
                        "busy_us": result.busy_us, "elapsed_us": result.elapsed_us,
                        "underruns": result.underruns,
                        "icount_shift": None if native else icount_shift,
                        "clock": f"native virtual, --sww-clock {native_clock}" if native else "qemu icount",
                        "detections": [list(d) for d in result.detections]})
        rc |= check_limits(result, expects, out)
        for e in expects:
            if not e.startswith("sww01="):
                continue
            want = parse_expect(e)
            if (tp, fp, fn) != want:
                out(f"tinyperf: error: sww01 on {test.wav_file}: {tp}/{fp}/{fn} TP/FP/FN, "
                    f"expected {'/'.join(map(str, want))}")
                rc = 1
    if json_path:
        import json
        Path(json_path).write_text(json.dumps(records, indent=1) + "\n")
        out(f"tinyperf: wrote {json_path}")
    return rc
