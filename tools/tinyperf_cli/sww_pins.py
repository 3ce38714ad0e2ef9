"""sww01's pins watched from outside the DUT under QEMU, as the interface
board watches them on a real one.

The DUT (app/sww_stream.cc) drives two FPGA I/O LEDs on both QEMU boards:
WW_DETECTED (USERLED1: idle high, pulsed low on each detection and on the
first hop after `start`, the time marker) and PROCESSING (USERLED2: high
while a hop's features and inference run). QEMU shows them two ways, both
in its log (-D FILE):

- `-trace led_change_intensity`: one line per LED change, in execution order,
      led_change_intensity LED desc:'USERLED2' color:green intensity 0% -> 100%
  (which pin, which way; no time: the trace backend stamps host time only);
- the pin_watch TCG plugin (tools/qemu_plugin/pin_watch.c; -d plugin): after
  each store to the LED register,
      pin-store <n> vt_ns=<virtual clock ns> icount=<instructions executed>
  so the changes traced during that store are the lines just before it, and
  they get the DUT's time (QEMU's virtual clock, which its SysTick counts).

The AN386's FPGA I/O has two LEDs (QEMU's mps2-fpgaio drops bit 2): the
stream runs it with -global mps2-fpgaio.num-leds=3 (qemu_args below).

Counting is done on the part of the log written while the stream ran (the
log's size when `start` went out to after `stop`'s reply): both pins are at
rest at those points, PROCESSING low and WW_DETECTED high.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

WW_DETECTED = "USERLED1"
PROCESSING = "USERLED2"
PLUGIN_TARGET = "tinyperf_pin_watch"
PLUGIN_ENV = "TINYPERF_PIN_WATCH"  # the plugin's path; "off" runs without it

# Per QEMU machine: the FPGA I/O LED register (docs/qemu.md) and what QEMU
# needs to model the PROCESSING LED.
MACHINES = {
    "mps2-an386": (0x40028000, ["-global", "mps2-fpgaio.num-leds=3"]),
    "mps3-an547": (0x49302000, []),
}

LED_LINE = re.compile(r"led_change_intensity LED desc:'([^']+)' color:\S+ intensity (\d+)% -> (\d+)%")
STORE_LINE = re.compile(r"pin-store (\d+) vt_ns=(\d+) icount=(\d+)")


class PinError(RuntimeError):
    pass


@dataclass
class Edge:
    pin: str
    high: bool            # the level after the edge
    vt_ns: int | None     # QEMU's virtual clock at the store (None: no plugin)
    icount: int | None    # instructions executed by then


@dataclass
class Pulse:
    start: Edge   # PROCESSING: the rise; WW_DETECTED: the fall
    end: Edge

    @property
    def width_ns(self):
        if self.start.vt_ns is None or self.end.vt_ns is None:
            return None
        return self.end.vt_ns - self.start.vt_ns


@dataclass
class PinLog:
    edges: list = field(default_factory=list)
    stores: int = 0        # pin-store lines (0: no plugin)
    problems: list = field(default_factory=list)

    @property
    def timed(self) -> bool:
        return self.stores > 0


def machine_of(qemu_argv) -> str | None:
    argv = list(qemu_argv)
    for i, a in enumerate(argv[:-1]):
        if a == "-M":
            return argv[i + 1].split(",")[0]
    return None


def qemu_args(machine: str, log_path: str, plugin: str | None) -> list[str]:
    """What a streaming QEMU needs for its pins to be watched: the LED trace
    and the plugin's lines in the log file `log_path`."""
    if machine not in MACHINES:
        raise PinError(f"no pin map for QEMU machine {machine}")
    addr, extra = MACHINES[machine]
    args = list(extra) + ["-trace", "led_change_intensity", "-D", log_path]
    if plugin:
        args += ["-plugin", f"file={plugin},addr={addr:#x}", "-d", "plugin"]
    return args


def find_plugin() -> str | None:
    """The pin_watch plugin: $TINYPERF_PIN_WATCH (a path, or "off"), else the
    one of the host build (build/native: `./tinyperf test` builds it; where
    that build is configured and the plugin not built yet, it is built now,
    one C file), else None (the pins are then counted, not timed)."""
    env = os.environ.get(PLUGIN_ENV)
    if env:
        if env == "off":
            return None
        if not Path(env).is_file():
            raise PinError(f"{PLUGIN_ENV}={env}: no such file")
        return env
    import subprocess
    from tinyperf_cli import project
    v = project.Variant(board="native")
    so = v.dir / "tools" / "qemu_plugin" / f"lib{PLUGIN_TARGET}.so"
    if not so.is_file() and (v.dir / "build.ninja").is_file():
        try:
            subprocess.run(["cmake", "--build", str(v.dir), "--target", PLUGIN_TARGET], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
        except (OSError, subprocess.SubprocessError):
            pass
    return str(so) if so.is_file() else None


def log_size(path) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def read_window(path, begin: int, end: int | None = None) -> list[str]:
    with open(path, "rb") as f:
        f.seek(begin)
        data = f.read() if end is None else f.read(max(0, end - begin))
    return data.decode(errors="replace").splitlines()


def parse(lines, pins=(WW_DETECTED, PROCESSING)) -> PinLog:
    """The edges of `pins` in log lines. A store's LED lines come before its
    pin-store line; without pin-store lines the edges have no time. A line
    that does not move its LED from the level the previous one left it at is
    a problem (an edge is missing); lines of other LEDs are ignored."""
    log = PinLog()
    pending = []
    level = {}
    for line in lines:
        if m := LED_LINE.search(line):
            pin, a, b = m.group(1), int(m.group(2)), int(m.group(3))
            if pin not in pins:
                continue
            before, after = a >= 50, b >= 50
            if pin in level and level[pin] != before:
                log.problems.append(f"{pin}: {a}% -> {b}% while it was "
                                    f"{'high' if level[pin] else 'low'} (an edge is missing)")
            level[pin] = after
            pending.append(Edge(pin, after, None, None))
        elif m := STORE_LINE.search(line):
            log.stores += 1
            vt, ic = int(m.group(2)), int(m.group(3))
            for e in pending:
                e.vt_ns, e.icount = vt, ic
            log.edges += pending
            pending = []
    if pending and log.stores:
        log.problems.append(f"{len(pending)} LED change(s) after the last pin-store line (no time)")
    log.edges += pending
    return log


def pulses(log: PinLog, pin: str, active_high: bool, strict: bool = True):
    """(pulses, problems): the complete pulses of `pin` (active level first,
    then back to rest). strict: the pin must start and end at rest (a
    stream's window); otherwise an end of a pulse at the start is dropped
    (a recording that began during one) and one still active at the end
    too."""
    out, problems = [], []
    start = None
    first = True
    for e in (e for e in log.edges if e.pin == pin):
        active = e.high == active_high
        if active:
            if start is not None:
                problems.append(f"{pin}: a second start of a pulse without its end (an edge is missing)")
            start = e
        else:
            if start is None:
                if not (first and not strict):
                    problems.append(f"{pin}: an end of a pulse without its start (an edge is missing)")
            else:
                out.append(Pulse(start, e))
                start = None
        first = False
    if start is not None and strict:
        problems.append(f"{pin}: a pulse still active at the end")
    return out, problems


@dataclass
class Observed:
    """What watching the pins gave for one stream."""
    processing: list      # Pulse
    detected: list        # Pulse
    timed: bool
    problems: list

    def rises_ns(self):
        return [p.start.vt_ns for p in self.processing]

    def falls_ns(self):
        return [p.end.vt_ns for p in self.processing]

    def detection_ns(self):
        """WW_DETECTED falling edges (what the interface board times)."""
        return [p.start.vt_ns for p in self.detected]

    def on_ns(self):
        return [p.width_ns for p in self.processing]

    def duty_cycle(self):
        """The runner's figure from these edges (streaming_ww_utils.process_dutycycle):
        mean on-time over the mean period between rises."""
        if not self.timed or len(self.processing) < 2:
            return None
        rises = self.rises_ns()
        period = (rises[-1] - rises[0]) / (len(rises) - 1)
        return sum(self.on_ns()) / len(self.processing) / period

    def periods_ns(self):
        r = self.rises_ns()
        return [b - a for a, b in zip(r, r[1:])]


def observe(lines, strict: bool = True) -> Observed:
    log = parse(lines)
    proc, p1 = pulses(log, PROCESSING, active_high=True, strict=strict)
    det, p2 = pulses(log, WW_DETECTED, active_high=False, strict=strict)
    return Observed(proc, det, log.timed, log.problems + p1 + p2)


# The checks of a stream's pins against what its console said.

# A detection's WW_DETECTED edge against the DUT's pin us: the DUT stamps the
# time when its hop's work ended (app/sww_stream.cc: `end`, read before
# PROCESSING falls) and the pin falls a fixed stretch of code later (PROCESSING
# low, the block request to the host, the pulse's start): the same
# instructions for every detection, so after taking the marker's offset off,
# every detection agrees within the DUT clock's whole microseconds.
PIN_TOLERANCE_US = 1
# The duty cycle: the DUT's busy time is whole microseconds of its clock per
# hop (read just after PROCESSING rises and just before it falls), the pins'
# on-time is in ns between the two stores; per hop they differ by under a
# microsecond and the clock reads (measured: 0.2 to 1.2 us), so the two duty
# cycles agree within 1 us per 32 ms hop.
DUTY_TOLERANCE = 1 / 32000


def check(obs: Observed, detections, hops: int, dropped: int = 0, busy_us: int | None = None,
          elapsed_us: int | None = None, underruns: int = 0):
    """(report lines, error lines) comparing the pins with the console: the
    PROCESSING pulses must be the hops, the WW_DETECTED pulses the detection
    lines (+ those the DUT dropped); with times, each detection's edge must
    agree with its pin us (after the marker's offset) and the pins' duty cycle
    with the DUT's busy / elapsed. After underruns the DUT's timeline has
    paused for late blocks and the pins' clock has not, so the times are
    reported, not compared (the counts still are)."""
    lines, errors = [], list(f"pins: {p}" for p in obs.problems)
    n_proc, n_det = len(obs.processing), len(obs.detected)
    want_det = len(detections) + dropped
    lines.append(f"Pins (QEMU LED trace): {n_proc} PROCESSING pulses for {hops} hops, {n_det} WW_DETECTED "
                 f"pulses for {want_det} detections (marker included)")
    if n_proc != hops:
        errors.append(f"pins: {n_proc} PROCESSING pulses, but the DUT reported {hops} hops")
    if n_det != want_det:
        errors.append(f"pins: {n_det} WW_DETECTED pulses, but the DUT reported {want_det} detections")
    if not obs.timed or errors:
        return lines, errors
    if underruns:
        lines.append(f"  {underruns} underruns: the DUT's timeline paused for late blocks, the pins' clock did "
                     f"not, so the pins' times and duty cycle are not compared with the DUT's")
    det_ns = obs.detection_ns()
    pin_us = [pin for _, _, pin, _, _ in detections]
    if det_ns and len(det_ns) == len(pin_us):
        offset = det_ns[0] / 1000 - pin_us[0]
        diffs = [d / 1000 - offset - p for d, p in zip(det_ns, pin_us)]
        worst = max(abs(x) for x in diffs)
        lines.append(f"WW_DETECTED edges (virtual clock) against the DUT's pin us (its clock from its t0, "
                     f"at {offset:.3f} us of QEMU's by the marker's edge): every one within {worst:.3f} us "
                     f"(tolerance {PIN_TOLERANCE_US} us)")
        if worst > PIN_TOLERANCE_US and not underruns:
            errors.append(f"pins: a WW_DETECTED edge {worst:.3f} us off the DUT's pin us "
                          f"(offset taken from the marker), more than {PIN_TOLERANCE_US} us")
    duty = obs.duty_cycle()
    if duty is not None:
        on = obs.on_ns()
        per = obs.periods_ns()
        lines.append(f"PROCESSING (virtual clock): on {min(on) / 1000:.3f}..{max(on) / 1000:.3f} us, mean "
                     f"{sum(on) / len(on) / 1000:.3f} us; rise to rise {min(per) / 1000:.3f}.."
                     f"{max(per) / 1000:.3f} us; duty cycle {duty:.5f}")
        if busy_us is not None and elapsed_us:
            dut = busy_us / elapsed_us
            lines.append(f"  the DUT's own busy / elapsed: {dut:.5f}; difference {duty - dut:+.6f} "
                         f"(tolerance {DUTY_TOLERANCE:.6f})")
            if abs(duty - dut) > DUTY_TOLERANCE and not underruns:
                errors.append(f"pins: duty cycle {duty:.5f} from the PROCESSING edges, {dut:.5f} from the "
                              f"DUT's busy time: more than {DUTY_TOLERANCE:.6f} apart")
    return lines, errors
