"""The sww01 interface board stand-in (tools/official_runner/sww_interface.py)
without QEMU or the runner: its replies on the pseudo-terminal, read the way
the runner's SerialDevice reads them (lines split at '\\n', '\\r' dropped,
empty lines skipped, a reply ends at the line holding "m-ready"), the audio
it plays into a fake DUT that asks for blocks as the firmware does, and the
detections and duty-cycle edges it makes from a DUT console log."""

import importlib.util
import os
import socket
import struct
import tempfile
import threading
import time
import tty
import unittest
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location(
    "sww_interface", ROOT / "tools" / "official_runner" / "sww_interface.py")
SI = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(SI)


class Client:
    """The runner's side of the port (serial_device.SerialDevice, without pyserial)."""

    def __init__(self, port):
        self.fd = os.open(port, os.O_RDWR | os.O_NOCTTY)
        tty.setraw(self.fd)
        self.buf = b""

    def line(self, timeout=5.0):
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no line within {timeout} s (have {self.buf!r})")
            import select
            r, _, _ = select.select([self.fd], [], [], left)
            if r:
                self.buf += os.read(self.fd, 4096)
        raw, self.buf = self.buf.split(b"\n", 1)
        return raw.decode().replace("\r", "").replace("\0", "")

    def command(self, text, timeout=5.0, ends=1):
        os.write(self.fd, (text + "%").encode())
        lines = []
        while ends:
            l = self.line(timeout)
            if l:
                lines.append(l)
            if "m-ready" in l:
                ends -= 1
        return lines

    def close(self):
        os.close(self.fd)


def write_wav(path, frames, channels=2):
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(b"".join(struct.pack("<h", v) for v in frames))


class FakeDut:
    """Asks for 7 blocks at `start`, then one more per block taken (app/sww_stream.cc)."""

    def __init__(self, path, prefetch=7):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)
        self.got = bytearray()
        self.prefetch = prefetch
        self.running = True

    def start(self, follow=True):
        self.sock.sendall(b"R" * self.prefetch)
        if follow:
            threading.Thread(target=self._take, daemon=True).start()

    def _take(self):
        taken = 0
        self.sock.settimeout(0.2)
        while self.running:
            try:
                data = self.sock.recv(4096)
            except socket.timeout:
                continue
            except OSError:
                return
            if not data:
                return
            self.got += data
            while len(self.got) >= (taken + 1) * 1024:
                taken += 1
                try:
                    self.sock.sendall(b"R")
                except OSError:
                    return

    def close(self):
        self.running = False
        self.sock.close()


class StandIn(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = Path(self.tmp.name)
        self.sd = self.dir / "sd"
        self.sd.mkdir()
        self.log = self.dir / "console.log"
        self.log.write_text("")
        self.audio = SI.AudioPort(str(self.dir / "audio.sock"))
        self.board = SI.InterfaceBoard(self.sd, self.audio, self.log, play_slack_s=1.5)
        self.c = Client(self.board.port)
        self.dut = None

    def tearDown(self):
        if self.dut:
            self.dut.close()
        self.c.close()
        self.board.close()
        self.audio.close()
        self.tmp.cleanup()

    def test_board_commands_and_replies(self):
        (self.sd / "b.wav").write_bytes(b"")
        (self.sd / "a.wav").write_bytes(b"")
        self.assertEqual(self.c.command("name"), ["tinyML Enhanced Interface Board", "m-ready"])
        self.assertEqual(self.c.command("setbaud 115200"), ["set baud to: 115200", "m-ready"])
        self.assertEqual(self.c.command("checkbaud"), ["baud is: 115200", "m-ready"])
        self.assertEqual(self.c.command("ls"), ["a.wav", "b.wav", "m-ready"])
        self.assertEqual(self.c.command("help"), ["m-ready"])
        self.assertEqual(self.c.command("record_detections"), ["Now recording detections", "m-ready"])
        lines = self.c.command("dut name", ends=2)
        self.assertEqual(lines[:2], ["m-dut-passthrough(name)", "m-ready"])
        self.assertTrue(lines[2].startswith("[dut]: e-["), lines)
        self.assertEqual(lines[3], "[dut]: m-ready")
        # after all that the board still answers
        self.assertEqual(self.c.command("name")[-1], "m-ready")

    def test_play_feeds_channel0_at_the_duts_pace(self):
        frames = []
        for i in range(2600):  # 2600 samples: 5 blocks and a bit
            frames += [(i * 37) % 65536 - 32768, -1]
        write_wav(self.sd / "t.wav", frames)
        self.dut = FakeDut(self.audio.path)
        self.dut.start()
        time.sleep(0.3)
        self.assertEqual(len(self.dut.got), 0, "blocks asked for before play must wait for it")
        lines = self.c.command("play t.wav", timeout=10)
        self.assertEqual(lines, ["Attempting to play t.wav", "succeeded.", "m-ready"])
        want = b"".join(struct.pack("<h", frames[2 * i]) for i in range(2600))
        self.assertEqual(bytes(self.dut.got[:len(want)]), want)
        self.assertEqual(bytes(self.dut.got[len(want):6 * 1024]), bytes(6 * 1024 - len(want)))

    def test_play_fails_when_the_dut_takes_nothing(self):
        write_wav(self.sd / "t.wav", [0, 0] * 1600)  # 0.1 s
        self.dut = FakeDut(self.audio.path)
        t0 = time.monotonic()
        lines = self.c.command("play t.wav", timeout=10)
        self.assertEqual(lines[0], "Attempting to play t.wav")
        self.assertTrue(lines[1].startswith("Error playing file."), lines)
        self.assertLess(time.monotonic() - t0, 5)
        lines = self.c.command("play missing.wav", timeout=10)
        self.assertTrue(lines[1].startswith("Error playing file."), lines)

    def test_detections_and_dutycycle_from_the_console(self):
        self.log.write_text(
            "m-sww-detection-[0,32000,33100,-128,marker]\r\n"  # an earlier run's
            "Received command: start\r\nListening for I2S data ... \r\nm-lap-us-1\r\n"
            "DMA receive initiated.\r\nm-ready\r\n")
        self.assertEqual(self.c.command("record_detections")[-1], "m-ready")
        with open(self.log, "a") as f:
            f.write("m-sww-detection-[0,32000,36999,-128,marker]\r\n"
                    "m-sww-detection-[43,1408000,1409500,120,word]\r\n"
                    "m-sww-detection-[44,1440000,1441200,121,word]\r\n"
                    "m-sww-detection-[44,1440000,1449999,121,word]\r\n"  # 8 ms later: not kept
                    "Received command: stop\r\nStreaming stopped.\r\ntarget activations: \r\n"
                    "[-128, -128] \r\n]\r\nm-sww-stats-[19,23001,608000,0,0]\r\nm-ready\r\n")
        lines = self.c.command("print_detections")
        self.assertEqual(lines, ["Detection Timestamps (ms)", "36,", "1409,", "1441,", "m-ready"])
        lines = self.c.command("print_dutycycle")
        self.assertEqual(lines[0], "Duty cycle start times (s)")
        i = lines.index("Duty cycle stop times (s)")
        self.assertEqual(len(lines), i + 4)  # 19 stop times: 8, 8, then 3 with m-ready
        self.assertTrue(lines[-1].endswith("m-ready"), lines[-1])
        self.assertEqual([len(l.split(", ")) - 1 for l in lines[1:i]], [8, 8, 3])

        def ticks(ls):  # as streaming_ww_utils.process_dutycycle reads them
            return [int(n) for l in ls for n in l.replace("m-ready", "").strip().split(",") if n.strip()]

        rises, falls = ticks(lines[1:i]), ticks(lines[i + 1:])
        self.assertEqual(rises, [(k + 1) * 3200 for k in range(19)])
        on = [f - r for r, f in zip(rises, falls)]
        self.assertEqual(sum(on), 2300)  # 23001 us in 10 us ticks
        self.assertLessEqual(max(on) - min(on), 1)
        duty = (sum(on) / 19) / ((rises[-1] - rises[0]) / 18)
        self.assertAlmostEqual(duty, 23001 / 608000, places=4)

    def pin_board(self, pin_lines_before, pin_lines_after):
        """A second stand-in reading a QEMU pin log (sww_pins) beside the console."""
        pins = self.dir / "qemu.log"
        pins.write_text("".join(l + "\n" for l in pin_lines_before))
        board = SI.InterfaceBoard(self.sd, None, self.log, pin_log=pins)
        c = Client(board.port)
        self.addCleanup(board.close)
        self.addCleanup(c.close)
        self.log.write_text("Received command: start\r\nListening for I2S data ... \r\nm-ready\r\n")
        self.assertEqual(c.command("record_detections")[-1], "m-ready")
        with open(pins, "a") as f:
            f.write("".join(l + "\n" for l in pin_lines_after))
        with open(self.log, "a") as f:
            f.write("m-sww-detection-[0,32000,33133,-128,marker]\r\n"
                    "m-sww-detection-[2,96000,97133,120,word]\r\n"
                    "m-sww-stats-[3,3393,96000,0,0]\r\nm-ready\r\n")
        return board, c

    @staticmethod
    def led(pin, a, b):
        return f"led_change_intensity LED desc:'{pin}' color:green intensity {a}% -> {b}%"

    def test_detections_and_dutycycle_from_the_pins(self):
        P, W = "USERLED2", "USERLED1"
        before = [self.led(P, 0, 100), "pin-store 0 vt_ns=1000 icount=1000"]  # a pulse begun before
        after, n = [self.led(P, 100, 0), "pin-store 1 vt_ns=2000 icount=2000"], 2
        t0 = 50_000_000  # virtual ns of hop 0's due time
        for k, on in enumerate((1_131_400, 1_129_900, 1_134_700)):
            rise = t0 + k * 32_000_000 + 250
            for pin, a, b, t in ((P, 0, 100, rise), (P, 100, 0, rise + on)):
                after += [self.led(pin, a, b), f"pin-store {n} vt_ns={t} icount={t}"]
                n += 1
            if k in (0, 2):
                for pin, a, b, t in ((W, 100, 0, rise + on + 1500), (W, 0, 100, rise + on + 3500)):
                    after += [self.led(pin, a, b), f"pin-store {n} vt_ns={t} icount={t}"]
                    n += 1
        board, c = self.pin_board(before, after)
        # zero: the start of the first whole pulse after record_detections (hop 0's rise;
        # the end of the pulse begun before it is not one)
        zero = t0 + 250 - 5000  # half a 10 us tick before it
        lines = c.command("print_detections")
        det = [(t0 + 1_131_400 + 250 + 1500 - zero) // 10**6, (t0 + 64_000_000 + 1_134_700 + 250 + 1500 - zero) // 10**6]
        self.assertEqual(lines, ["Detection Timestamps (ms)"] + [f"{d}," for d in det] + ["m-ready"])
        lines = c.command("print_dutycycle")
        i = lines.index("Duty cycle stop times (s)")
        rises = [int(x) for x in lines[1].split(",") if x.strip()]
        falls = [int(x) for x in lines[i + 1].replace("m-ready", "").split(",") if x.strip()]
        self.assertEqual(rises, [(t0 + k * 32_000_000 + 250 - zero) // 10_000 for k in range(3)])
        ons = (1_131_400, 1_129_900, 1_134_700)
        self.assertEqual(falls, [(t0 + k * 32_000_000 + 250 + on - zero) // 10_000
                                 for k, on in enumerate(ons)])  # floored 10 us ticks
        self.assertTrue(board.sources["print_dutycycle"].startswith("observed"), board.sources)
        self.assertTrue(board.sources["print_detections"].startswith("observed"), board.sources)

    def test_pins_without_times_fall_back_to_the_duts_lines(self):
        P = "USERLED2"
        board, c = self.pin_board([], [self.led(P, 0, 100), self.led(P, 100, 0)] * 3)
        lines = c.command("print_detections")
        self.assertEqual(lines, ["Detection Timestamps (ms)", "33,", "97,", "m-ready"])
        lines = c.command("print_dutycycle")
        self.assertEqual([int(x) for x in lines[1].split(",") if x.strip()], [3200, 6400, 9600])
        self.assertIn("rebuilt", board.sources["print_dutycycle"])
        self.assertIn("no pin_watch times", board.sources["print_dutycycle"])


class Helpers(unittest.TestCase):
    def test_detection_ms_floors_and_keeps_10ms_apart(self):
        d = [(0, 0, 999, 0, "marker"), (1, 0, 11_000, 0, "word"), (2, 0, 11_999, 0, "word"),
             (3, 0, 21_999, 0, "word"), (4, 0, 22_000, 0, "word")]
        self.assertEqual(SI.detection_ms(d), [0, 11, 22])

    def test_dutycycle_edges_empty(self):
        self.assertEqual(SI.dutycycle_edges(0, 0), ([], []))


if __name__ == "__main__":
    unittest.main()
