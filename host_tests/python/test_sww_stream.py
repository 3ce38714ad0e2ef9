"""sww01 streaming host side without QEMU (tools/tinyperf_cli/sww_stream.py):
the wav's channel 0, the audio socket's flow control, the DUT lines' parsing."""

import contextlib
import os
import socket
import struct
import tempfile
import time
import unittest
import wave
from pathlib import Path

from tinyperf_cli import sww_stream as S


class Channel0(unittest.TestCase):
    def test_keeps_the_first_sample_of_each_frame(self):
        with tempfile.TemporaryDirectory() as d:
            p = Path(d) / "s.wav"
            with wave.open(str(p), "wb") as w:
                w.setnchannels(2)
                w.setsampwidth(2)
                w.setframerate(16000)
                w.writeframes(struct.pack("<6h", 1, -1, 2, -2, -32768, 32767))
            self.assertEqual(S.read_channel0(p), struct.pack("<3h", 1, 2, -32768))

    def test_refuses_other_rates(self):
        with tempfile.TemporaryDirectory() as d:
            p = Path(d) / "s.wav"
            with wave.open(str(p), "wb") as w:
                w.setnchannels(1)
                w.setsampwidth(2)
                w.setframerate(8000)
                w.writeframes(b"\0\0")
            with self.assertRaises(S.StreamError):
                S.read_channel0(p)


@contextlib.contextmanager
def feeder_and_dut():
    """An AudioFeeder on a fresh socket and the DUT's end, connected."""
    with tempfile.TemporaryDirectory() as d:
        f = S.AudioFeeder(os.path.join(d, "a.sock"))
        c = None
        try:
            c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            c.connect(f.path)
            yield f, c
        finally:
            if c is not None:
                c.close()
            f.close()


def wait_until(cond, timeout=5.0):
    """Polls cond() until it holds or timeout s pass; its last value."""
    deadline = time.monotonic() + timeout
    while not cond() and time.monotonic() < deadline:
        time.sleep(0.01)
    return cond()


def recv_exactly(c, n, timeout=5.0) -> bytes:
    """Reads n bytes from the DUT's end (fewer if they do not come in time)."""
    got = b""
    deadline = time.monotonic() + timeout
    c.settimeout(timeout)
    while len(got) < n and time.monotonic() < deadline:
        chunk = c.recv(n - len(got))
        if not chunk:
            break
        got += chunk
    return got


class Feeder(unittest.TestCase):
    def test_each_request_gets_one_block_then_silence(self):
        with feeder_and_dut() as (f, c):
            audio = bytes(range(256)) * 6  # 1536 bytes: one block and a half
            f.play(audio)
            c.sendall(b"RRR")
            got = recv_exactly(c, 3 * 1024)
            self.assertEqual(len(got), 3 * 1024)
            self.assertEqual(got[:1536], audio)
            self.assertEqual(got[1536:], bytes(3 * 1024 - 1536))
            self.assertEqual(f.file_blocks, 2)
            self.assertEqual(f.blocks_sent, 3)
            c.sendall(b"S")
            self.assertTrue(wait_until(lambda: f.stopped))

    def test_settles_only_after_S_and_every_block_read(self):
        # The DUT asked ahead, then `stop`: the blocks answering it are still
        # unread on the line. settle() must wait for the 'S' and for the
        # reader to have taken every byte, so that the next `start` cannot
        # capture them.
        with feeder_and_dut() as (f, c):
            f.play(bytes(7 * 1024))
            c.sendall(b"RRRRRRR")
            self.assertTrue(wait_until(lambda: f.blocks_sent >= 7))
            self.assertEqual(f.blocks_sent, 7)
            self.assertFalse(f.settle(0.2))    # no 'S' yet
            c.sendall(b"S")
            self.assertFalse(f.settle(0.2))    # 'S', but 7 KB unread
            self.assertGreater(f.unread(), 0)
            self.assertEqual(len(recv_exactly(c, 6 * 1024)), 6 * 1024)  # all but one block
            self.assertFalse(f.settle(0.2))
            self.assertEqual(len(recv_exactly(c, 1024)), 1024)
            self.assertTrue(f.settle(5))
            self.assertEqual(f.unread(), 0)

    def test_the_next_play_waits_for_the_last_stream_to_settle(self):
        # Every caller (bench's repeated runs, serve's policies one after
        # another on one DUT) gets the wait through play().
        with feeder_and_dut() as (f, c):
            f.play(bytes(2 * 1024))
            c.sendall(b"RRS")
            self.assertTrue(wait_until(lambda: f.stopped))
            with self.assertRaises(S.StreamError):   # 2 KB still unread
                f.play(bytes(1024), settle_s=0.2)
            self.assertEqual(len(recv_exactly(c, 2 * 1024)), 2 * 1024)
            f.play(bytes(1024), settle_s=5)
            self.assertEqual((f.blocks_sent, f.stopped), (0, False))


class Lines(unittest.TestCase):
    def test_detection_line(self):
        m = S.DETECTION.match("m-sww-detection-[43,1408000,1409240,127,word]")
        self.assertEqual(m.groups(), ("43", "1408000", "1409240", "127", "word"))
        self.assertIsNone(S.DETECTION.match("m-sww-detection-[43,1408000,127,word]"))

    def test_activations_as_the_reference_prints_them(self):
        lines = ["Received command: stop", "m-lap-us-5", "Streaming stopped.", "target activations: ",
                 "[-128, -128, 3, " + ", ".join(["-1"] * 13) + ", ",
                 "127, 5] ", "]", "m-sww-stats-[18,100,576000,0,0]"]
        act = S.parse_activations(lines)
        self.assertEqual(act[:3], [-128, -128, 3])
        self.assertEqual(act[-2:], [127, 5])
        self.assertEqual(len(act), 18)

    def test_scoring_uses_the_pin_times(self):
        r = S.StreamResult(wav="x", detections=[(0, 32000, 33000, -128, "marker"),
                                                (40, 1312000, 1313500, 127, "word")])
        self.assertEqual(r.detection_times_ms(), [33.0, 1313.5])
        self.assertEqual(r.key(), [(0, 32000, -128, "marker"), (40, 1312000, 127, "word")])


class Limits(unittest.TestCase):
    """--expect sww01-underruns=N / sww01-latency-us=N, and the QEMU clock mode."""

    def result(self, underruns, lats):
        return S.StreamResult(wav="x", underruns=underruns, detections=[
            (h, (h + 1) * 32000, (h + 1) * 32000 + lat, 127, "word") for h, lat in lats])

    def check(self, result, *expects):
        out = []
        return S.check_limits(result, list(expects), out.append), out

    def test_within_the_limits_passes(self):
        rc, out = self.check(self.result(0, [(0, 1211), (43, 1213)]),
                             "sww01-underruns=0", "sww01-latency-us=1500", "sww01=2/0/1")
        self.assertEqual((rc, out), (0, []))

    def test_one_underrun_too_many_fails(self):
        rc, out = self.check(self.result(1, [(0, 1211)]), "sww01-underruns=0")
        self.assertEqual(rc, 1)
        self.assertIn("1 underruns", out[0])
        self.assertEqual(self.check(self.result(1, [(0, 1211)]), "sww01-underruns=1")[0], 0)

    def test_a_late_edge_fails_naming_it(self):
        rc, out = self.check(self.result(0, [(0, 1211), (43, 1501)]), "sww01-latency-us=1500")
        self.assertEqual(rc, 1)
        self.assertIn("1501 us", out[0])
        self.assertEqual(self.check(self.result(0, [(0, 1500)]), "sww01-latency-us=1500")[0], 0)

    def test_bad_limits_are_refused(self):
        for bad in ("sww01-underruns=", "sww01-underruns=-1", "sww01-latency-us=1.5 ms"):
            with self.assertRaises(S.StreamError):
                S.check_limits(self.result(0, []), [bad])

    def test_pins_must_have_been_watched_and_timed(self):
        from tinyperf_cli import sww_pins
        r = self.result(0, [(0, 1211)])
        rc, out = self.check(r, "sww01-pins=counted")
        self.assertEqual(rc, 1)
        self.assertIn("not watched", out[0])
        r.pins = sww_pins.Observed([], [], timed=False, problems=[])
        self.assertEqual(self.check(r, "sww01-pins=counted")[0], 0)
        rc, out = self.check(r, "sww01-pins=timed")
        self.assertEqual(rc, 1)
        self.assertIn("not timed", out[0])
        r.pins.timed = True
        self.assertEqual(self.check(r, "sww01-pins=timed")[0], 0)
        with self.assertRaises(S.StreamError):
            S.check_limits(r, ["sww01-pins=yes"])

    def test_latencies(self):
        self.assertEqual(S.latencies(self.result(0, [(0, 1211), (43, 1213)])), [(0, 1211), (43, 1213)])

    def test_streaming_runs_with_sleep_off(self):
        # Idle DUT time must not pass in host time (app/sww_stream.h, pacing).
        self.assertEqual(S.icount(0), "shift=0,sleep=off")


if __name__ == "__main__":
    unittest.main()
