#!/usr/bin/env python3
"""A software stand-in for the MLPerf Tiny sww01 interface board.

The official runner's `stream` test (mlcommons/tiny benchmark/runner,
script.py _ScriptStreamStep) drives two serial ports: the DUT's console and an
"enhanced" interface board (the STM32H573I-DK running benchmark/interface),
which plays a wav from its SD card into the DUT over I2S and times the DUT's
WW_DETECTED and PROCESSING pins. This module is that board for a DUT under
QEMU (or the native image, whose audio line is the same kind of socket and
whose --console-log stands for QEMU's logfile): a pseudo-terminal that
answers the board's commands with the board's replies (InterfaceMenu.cpp),
and plays each file into the DUT's audio UART.

What the board does, and what the stand-in does instead:

  name               "tinyML Enhanced Interface Board"          the same
  ls                 the SD card's files, one a line            the files of --sd (a folder)
  setbaud N          "set baud to: N", then the board resets    the same, no reset
  checkbaud          "baud is: N"                                the same
  record_detections  zeroes its 10 us timer, clears the lists   clears the lists, notes where
                     "Now recording detections"                  the DUT's console log is
  play FILE          "Attempting to play FILE", the file out    "Attempting to play FILE", then
                     over I2S at 16 kHz, "succeeded."           channel 0 of the file into the DUT's
                     (or "Error playing file. ...")              second UART as the DUT asks for it
                                                                 (its own clock paces it, as
                                                                 `./tinyperf bench --model sww01`
                                                                 does), "succeeded." once the DUT
                                                                 has taken the file's last hop
  print_detections   "Detection Timestamps (ms)", "N," a line:  the same lines. OBSERVED under
                     WW_DETECTED falling edges on its timer      QEMU with the pin_watch plugin:
                     (ms, 10 ms apart at least)                  the WW_DETECTED (USERLED1)
                                                                 falling edges on QEMU's virtual
                                                                 clock, ms from (5 us before) the
                                                                 first pulse after
                                                                 record_detections; else
                                                                 (native, no plugin) the DUT's pin
                                                                 us from its m-sww-detection lines,
                                                                 ms after `start`. The same 10 ms
                                                                 rule either way.
  print_dutycycle    "Duty cycle start times (s)", PROCESSING   the same layout and unit (10 us).
                     rising edges "N, " 8 a line, then "Duty    OBSERVED under QEMU with the
                     cycle stop times (s)" and falling edges,   plugin: the PROCESSING (USERLED2)
                     in 10 us ticks                              edges on the virtual clock, from
                                                                 the same zero. Else (the stated
                                                                 fallback) RECONSTRUCTED from the
                                                                 DUT's m-sww-stats (hops, busy
                                                                 time): hop k rises when due,
                                                                 (k+1) x 32 ms after `start`, high
                                                                 for the mean busy time (per-hop
                                                                 remainders spread so that the sum
                                                                 is the DUT's busy time).
  dut CMD            passes CMD to the DUT                      not wired (the DUT has its own port
                                                                 here, as in devices_sww.yaml):
                                                                 answers "[dut]: e-[...]"
  anything else      "m-ready"                                   the same

Every reply ends with "m-ready" (lines end "\\r\\n"); commands end with '%'.

How it observes the DUT: under QEMU, its pins (--pin-log: QEMU's -D log
holding -trace led_change_intensity and the pin_watch plugin's times,
tools/tinyperf_cli/sww_pins.py), the part written since record_detections;
where that log has no times or is inconsistent, and on native, the DUT's
console lines: QEMU (or the native image) writes everything the DUT prints
to a log file as well (-chardev pty,logfile=...); the stand-in reads it.
`sources` says which each print_* used (official.py prints it). The runner
talks to the DUT on the same pseudo-terminal as without the stand-in.
"""
from __future__ import annotations

import argparse
import os
import select
import sys
import threading
import time
import tty
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from tinyperf_cli import sww_pins, sww_stream  # noqa: E402

BOARD_NAME = "tinyML Enhanced Interface Board"
HOP = sww_stream.HOP
BLOCK = 2 * HOP
HOP_US = HOP * 1_000_000 // sww_stream.RATE  # 32000
PREFETCH = sww_stream.PREFETCH
TICK_US = 10  # the board's TIM2: 10 us a count
DEBOUNCE_MS = 10  # the board keeps a detection only 10 ms after the previous one
START_MARK = "Listening for I2S data"


class AudioPort(sww_stream.AudioSocket):
    """The host end of the DUT's audio UART (QEMU's second -serial, a Unix
    socket). The DUT asks for each 1024-byte block with 'R' and sends 'S' at
    `stop` (app/sww_stream.h). Requests that come before `play` wait (the
    reference's DUT hears nothing until the board plays: no I2S clock);
    `play` answers them with the file's first blocks, and after the file the
    DUT gets silence until it stops; or, with hold_after_file (the native
    DUT, whose clock waits for the audio it asked for: app/sww_stream_native.h),
    nothing after the file, as a real DUT hears nothing once the board's I2S
    stops, so that its hops are the file's on every run."""

    def __init__(self, path: str, hold_after_file: bool = False):
        super().__init__(path)
        self.hold_after_file = hold_after_file
        self.cv = threading.Condition()
        self.audio = None  # bytes while playing (and after, until 'S'); None: hold requests
        self.pos = 0
        self.pending = 0  # requests held
        self.asked = 0  # requests since the DUT's last 'S' (or since it connected)
        self.sent = 0
        self.closed = False
        threading.Thread(target=self._serve, daemon=True).start()

    def _send_block_locked(self):
        block = self.audio[self.pos:self.pos + BLOCK]
        self.pos += len(block)
        block += bytes(BLOCK - len(block))
        self.sent += 1
        self.conn.sendall(block)

    def _serve(self):
        conn = self.accept()
        if conn is None:
            return
        with self.cv:
            self.conn = conn
            self.cv.notify_all()
        while True:
            try:
                data = conn.recv(64)
            except OSError:
                data = b""
            with self.cv:
                if not data:
                    self.closed = True
                    self.cv.notify_all()
                    return
                try:
                    for b in data:
                        if b == ord("R"):
                            self.asked += 1
                            if self.audio is None or (self.hold_after_file and
                                                      self.pos >= len(self.audio)):
                                self.pending += 1
                            else:
                                self._send_block_locked()
                        elif b == ord("S"):
                            self.audio, self.pending, self.asked = None, 0, 0
                except OSError:
                    self.closed = True
                    return
                finally:
                    self.cv.notify_all()

    def play(self, audio: bytes, deadline: float) -> bool:
        """Plays `audio` (int16 LE mono) into the DUT; True once the DUT has
        processed the file's last hop (asked for PREFETCH blocks beyond it),
        False if that did not happen by `deadline` (time.monotonic())."""
        file_blocks = (len(audio) + BLOCK - 1) // BLOCK
        with self.cv:
            self.audio, self.pos = audio, 0
            base = self.asked - self.pending  # blocks of an earlier play, if any
            try:
                while self.pending and self.conn and not (self.hold_after_file and
                                                          self.pos >= len(audio)):
                    self.pending -= 1
                    self._send_block_locked()
            except OSError:
                return False
            while self.asked - base < file_blocks + PREFETCH:
                left = deadline - time.monotonic()
                if left <= 0 or self.closed or self.audio is None:
                    return False
                self.cv.wait(min(left, 0.5))
        return True


def parse_console(text: str):
    """The DUT's detection lines and its last stats line in console text."""
    return sww_stream.parse_lines(text.replace("\r", "").split("\n"))


def detection_ms(detections) -> list[int]:
    """What the board's print_detections lists: ms (floored, as TIM2 / 100),
    a detection kept only more than 10 ms after the previous kept one."""
    out = []
    for _, _, pin_us, _, _ in detections:
        ms = pin_us // 1000
        if not out or ms > out[-1] + DEBOUNCE_MS:
            out.append(ms)
    return out


def observed_ticks(obs: sww_pins.Observed) -> tuple[list[int], list[int], list[int], int]:
    """The watched pins in the board's units: WW_DETECTED falling edges in ms
    (floored, the same 10 ms rule) and PROCESSING rising and falling edges in
    10 us ticks (floored), all on QEMU's virtual clock from half a tick
    before the first whole pulse after record_detections (the stand-in's
    timer zero: the virtual
    clock has no counterpart of the host's moment of record_detections, and
    the runner uses only differences and times after its first detection);
    returns (detections ms, rises, falls, zero ns)."""
    # Half a tick before the first pulse's start: in emulation the hops keep
    # one phase against the board's 10 us grid (one clock for both; a real
    # board's own crystal drifts against the DUT's), and rises jitter by about
    # 1 us around their 32 ms period, so rises just after a tick boundary
    # would be floored a whole tick early on some hops and not on others.
    # From the middle of a tick each on-time comes out rounded to the nearest
    # tick (error at most 5 us a pulse, plus the rises' jitter).
    times = [e.vt_ns for p in obs.processing + obs.detected for e in (p.start, p.end)]
    zero = min(times) - TICK_US * 1000 // 2 if times else 0
    ms = []
    for t in obs.detection_ns():
        m = (t - zero) // 1_000_000
        if not ms or m > ms[-1] + DEBOUNCE_MS:
            ms.append(m)
    tick = TICK_US * 1000
    return (ms, [(t - zero) // tick for t in obs.rises_ns()], [(t - zero) // tick for t in obs.falls_ns()],
            zero)


def dutycycle_edges(hops: int, busy_us: int) -> tuple[list[int], list[int]]:
    """PROCESSING edges in 10 us ticks reconstructed from the DUT's figures:
    hop k rises when due ((k+1) x 32 ms after `start`) and falls after its
    share of the busy time (shares differ by at most one tick, sum = busy)."""
    rises, falls = [], []
    total = busy_us / TICK_US
    done = 0
    for k in range(hops):
        rise = (k + 1) * HOP_US // TICK_US
        upto = round(total * (k + 1) / hops)
        rises.append(rise)
        falls.append(rise + upto - done)
        done = upto
    return rises, falls


class InterfaceBoard:
    """Serves the interface board's commands on a pseudo-terminal."""

    def __init__(self, sd_dir, audio: AudioPort | None, console_log, baud=115200,
                 play_slack_s=8.0, log=None, pin_log=None):
        self.sd_dir = Path(sd_dir)
        self.audio = audio
        self.console_log = Path(console_log) if console_log else None
        # QEMU's log with the LED trace and the pin_watch plugin's times
        # (tools/tinyperf_cli/sww_pins.py): the pins watched, where there is one.
        self.pin_log = Path(pin_log) if pin_log else None
        self.pin_mark = 0  # its size at record_detections
        self.sources = {}  # command -> where its figures came from (observed pins or the DUT's lines)
        self.baud = baud
        self.play_slack_s = play_slack_s
        self.log = log or (lambda s: None)
        self.mark = 0  # console log offset at record_detections
        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)
        self.port = os.ttyname(self.slave)
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    # -- the line ----------------------------------------------------------------------
    def _write(self, text: str):
        data = text.encode()
        while data:
            try:
                n = os.write(self.master, data)
            except BlockingIOError:
                time.sleep(0.01)
                continue
            except OSError:
                return
            data = data[n:]

    def _line(self, text: str):
        self._write(text + "\r\n")

    def _end(self):
        self._line("m-ready")

    def _serve(self):
        buf = b""
        while self.running:
            try:
                r, _, _ = select.select([self.master], [], [], 0.2)
                if not r:
                    continue
                data = os.read(self.master, 256)
            except OSError:  # nobody has the port open: EIO until someone does
                time.sleep(0.05)
                continue
            buf += data
            while b"%" in buf:
                cmd, buf = buf.split(b"%", 1)
                text = cmd.decode(errors="replace").strip("\r\n\0 ")
                self.log(f"interface: < {text}")
                try:
                    self.handle(text)
                except Exception as e:  # one bad command must not kill the board
                    self._line(f"e-[stand-in: {type(e).__name__}: {e}]")
                    self._end()

    # -- the commands (InterfaceMenu.cpp: a command is a prefix, then ' ' and its args) --
    def handle(self, text: str):
        for name, fn in (("dut", self.dut), ("name", self.name), ("ls", self.ls),
                         ("play", self.play), ("setbaud", self.setbaud),
                         ("checkbaud", self.checkbaud), ("record_detections", self.record),
                         ("print_detections", self.print_detections),
                         ("print_dutycycle", self.print_dutycycle)):
            if text.startswith(name):
                if len(text) == len(name):
                    return fn("")
                if len(text) > len(name) + 1 and text[len(name)] == " ":
                    return fn(text[len(name) + 1:])
                return None  # the board matches the prefix and then ignores it: no reply
        self._end()

    def name(self, _):
        self._line(BOARD_NAME)
        self._end()

    def ls(self, _):
        if self.sd_dir.is_dir():
            for p in sorted(self.sd_dir.iterdir()):
                if p.is_file():
                    self._line(p.name)
        self._end()

    def setbaud(self, args):
        self.baud = int(args)
        self._write(f"set baud to: {args}\n")
        self._end()

    def checkbaud(self, _):
        self._write(f"baud is: {self.baud}\n")
        self._end()

    def dut(self, args):
        self._line(f"m-dut-passthrough({args})")
        self._end()
        self._line("[dut]: e-[stand-in interface board: no DUT on its passthrough; "
                   "the DUT has its own port]")
        self._line("[dut]: m-ready")

    def _console(self) -> str:
        if not self.console_log or not self.console_log.exists():
            return ""
        return self.console_log.read_bytes().decode(errors="replace")

    def record(self, _):
        text = self._console()
        i = text.rfind(START_MARK)  # this run's lines start at the DUT's `start`
        self.mark = i if i >= 0 else len(text)
        self.pin_mark = sww_pins.log_size(self.pin_log) if self.pin_log else 0
        self._line("Now recording detections")
        self._end()

    def play(self, args):
        f = self.sd_dir / args
        self._write(f"Attempting to play {args}\n")
        ok = False
        try:
            audio = sww_stream.read_channel0(f) if f.is_file() else None
        except (sww_stream.StreamError, EOFError, OSError) as e:
            self.log(f"interface: {f}: {e}")
            audio = None
        if audio is not None and self.audio is not None:
            seconds = len(audio) / (2 * sww_stream.RATE)
            ok = self.audio.play(audio, time.monotonic() + seconds + self.play_slack_s)
            self.log(f"interface: played {f.name} ({seconds:.1f} s): "
                     f"{'the DUT took it all' if ok else 'the DUT did not take it all in time'}")
        if ok:
            self._write("succeeded.\n")
        else:
            self._write("Error playing file. Check that the file exists and is a 2-channel wav file.\n")
        self._end()

    def _since_record(self):
        return parse_console(self._console()[self.mark:])

    def _observed(self):
        """The pins since record_detections, as ticks (observed_ticks), or
        None with the reason where they were not timed."""
        if not self.pin_log or not self.pin_log.exists():
            return None, "no QEMU pin log (not a QEMU DUT, or not given)"
        obs = sww_pins.observe(sww_pins.read_window(self.pin_log, self.pin_mark), strict=False)
        if not obs.timed:
            return None, "the pin log has no pin_watch times (plugin not loaded)"
        if obs.problems:
            return None, "the pin log is inconsistent: " + "; ".join(obs.problems[:3])
        return observed_ticks(obs), f"{len(obs.processing)} PROCESSING and {len(obs.detected)} WW_DETECTED pulses"

    def print_detections(self, _):
        seen, why = self._observed()
        if seen:
            times = seen[0]
            self.sources["print_detections"] = f"observed: WW_DETECTED edges on QEMU's virtual clock ({why})"
        else:
            detections, _ = self._since_record()
            times = detection_ms(detections)
            self.sources["print_detections"] = f"the DUT's m-sww-detection lines ({why})"
        self.log(f"interface: print_detections: {self.sources['print_detections']}")
        self._line("Detection Timestamps (ms)")
        for ms in times:
            self._line(f"{ms},")
        self._end()

    def print_dutycycle(self, _):
        seen, why = self._observed()
        if seen:
            _, rises, falls, _ = seen
            self.sources["print_dutycycle"] = f"observed: PROCESSING edges on QEMU's virtual clock ({why})"
        else:
            _, stats = self._since_record()
            rises, falls = dutycycle_edges(stats[0], stats[1]) if stats else ([], [])
            self.sources["print_dutycycle"] = f"rebuilt from the DUT's m-sww-stats busy time ({why})"
        self.log(f"interface: print_dutycycle: {self.sources['print_dutycycle']}")
        self._line("Duty cycle start times (s)")
        for edges, last in ((rises, False), (falls, True)):
            text = ""
            for i, t in enumerate(edges):
                text += f"{t}, "
                if (i + 1) % 8 == 0:
                    self._write(text + "\r\n")
                    text = ""
            if last:
                self._write(text)
                self._end()
            else:
                self._write(text + "\r\n")
                self._line("Duty cycle stop times (s)")

    def close(self):
        self.running = False
        self.thread.join(timeout=2)
        for fd in (self.master, self.slave):
            try:
                os.close(fd)
            except OSError:
                pass


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sd", required=True, help="folder standing for the SD card (the wav files)")
    ap.add_argument("--audio-socket", help="Unix socket path for the DUT's audio UART "
                    "(give QEMU -serial unix:PATH as its second serial port)")
    ap.add_argument("--console-log", help="the DUT console's log (QEMU -chardev ...,logfile=PATH)")
    ap.add_argument("--pin-log", help="QEMU's log with the pins (-D PATH with -trace "
                    "led_change_intensity and the pin_watch plugin: tools/tinyperf_cli/sww_pins.py)")
    args = ap.parse_args(argv)
    audio = AudioPort(args.audio_socket) if args.audio_socket else None
    board = InterfaceBoard(args.sd, audio, args.console_log,
                           log=lambda s: print(s, file=sys.stderr, flush=True), pin_log=args.pin_log)
    print(f"interface board: {board.port}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        board.close()
        if audio:
            audio.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
