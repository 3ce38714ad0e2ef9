"""The protocol client under faults: deadlines per answer, whole-line m-ready,
lost steps, verified loads (db crc), dead links and the DUT transcript."""
import contextlib
import io
import json
import sys
import tempfile
import time
import unittest
import zlib
from pathlib import Path

from fakedut import FakeDut, FakeTransport
from tinyperf_cli import bench
from tinyperf_cli.dut import (TAIL_LINES, Dut, DutError, DutLinkError, DutLostStep,
                              ProcessTransport, SerialTransport)


def fake(**kw):
    dut = FakeDut(**kw)
    notes = []
    return dut, Dut(FakeTransport(dut), note=notes.append), notes


def first_byte(model, data):
    return [float(data[0])] + [0.0] * 11


class Deadlines(unittest.TestCase):
    def test_a_dut_that_keeps_talking_without_m_ready_times_out_per_answer(self):
        _, d, _ = fake(chatty_on="infer")
        d.INFER_TIMEOUT = 0.5
        d.load(bytes(490))
        t = time.monotonic()
        with self.assertRaisesRegex(DutError, r"no answer within 0.5 s while waiting for 'infer 1 0'") as cm:
            d.infer(1, 0)
        self.assertLess(time.monotonic() - t, 2.0)
        # the DUT's last lines come with the error
        self.assertEqual(len(cm.exception.tail), TAIL_LINES)
        self.assertEqual(cm.exception.tail[-1], "m-still-busy")
        self.assertIn("the DUT's last 20 lines", cm.exception.report())

    def test_m_ready_ends_an_answer_only_as_a_whole_line(self):
        _, d, _ = fake(near_ready=True)
        d.load(bytes(490))
        r = d.infer(1, 0)
        self.assertEqual(r["results"], [0.5] * 12)
        self.assertEqual(r["lines"][:4], ["xm-ready", "m-ready-not", "  m-ready", "m-ready "])
        self.assertEqual(d.name(), "tinyperf fake")  # still in step


class LostStep(unittest.TestCase):
    def test_another_commands_answer_is_never_read_as_data(self):
        dut, d, _ = fake(stray_on="infer")
        d.load(bytes(490))
        with self.assertRaisesRegex(DutLostStep, r"lost step.*m-name-dut.*'infer 1 0'"):
            d.infer(1, 0)
        self.assertEqual(d.lost_steps, 1)
        self.assertEqual(d.name(), "tinyperf fake")  # back in step
        self.assertEqual(d.infer(1, 0)["results"], [0.5] * 12)

    def test_bench_reruns_a_file_after_a_lost_step(self):
        dut, d, notes = fake(stray_on="infer", score=first_byte)
        self.assertEqual(bench.infer_one(d, bytes([7]) + bytes(489), 256)[0], 7.0)
        self.assertEqual((d.lost_steps, d.load_retries), (1, 1))
        self.assertIn("lost step", notes[0])


class VerifiedInput(unittest.TestCase):
    def test_crc_matches_after_a_clean_load(self):
        dut, d, notes = fake(db_crc=True)
        self.assertTrue(d.probe_crc())
        data = bytes(range(256)) + bytes(234)
        d.load(data, window=256)
        self.assertEqual(dut.commands.count("db crc"), 2)  # probe, then after the load
        self.assertEqual((d.load_retries, notes), (0, []))
        self.assertEqual(dut.data, data)
        self.assertEqual(zlib.crc32(dut.data), zlib.crc32(data))

    def test_a_corrupted_load_is_sent_again_and_its_result_dropped(self):
        dut, d, notes = fake(db_crc=True, corrupt_loads=2, score=first_byte)
        d.probe_crc()
        # the first two loads keep 0x17 where 0x07 was sent; their infer results
        # (23.0) must never come back
        self.assertEqual(bench.infer_one(d, bytes([7]) + bytes(489), 256)[0], 7.0)
        self.assertEqual(d.load_retries, 2)
        self.assertEqual(dut.commands.count("db load 490"), 3)
        self.assertEqual(len(notes), 2)

    def test_a_load_that_stays_corrupted_is_an_error(self):
        dut, d, _ = fake(db_crc=True, corrupt_loads=3)
        d.probe_crc()
        with self.assertRaisesRegex(DutError, "f7.bin: the DUT's CRC still differs .* after 3 loads"):
            bench.infer_one(d, bytes(490), 256, "f7.bin")
        self.assertEqual(d.load_retries, 2)

    def test_firmware_without_db_crc_is_said_once_to_be_unverified(self):
        dut, d, notes = fake()
        self.assertFalse(d.probe_crc())
        self.assertFalse(d.probe_crc())
        d.load(bytes(490))
        d.load(bytes(490))
        self.assertEqual(dut.commands.count("db crc"), 1)
        self.assertEqual(len(notes), 1)
        self.assertIn("unverified", notes[0])


class DeadLinks(unittest.TestCase):
    def test_a_dut_that_dies_reports_its_exit_status_and_last_lines(self):
        _, d, _ = fake(die_on="infer")
        d.load(bytes(490))
        with self.assertRaises(DutLinkError) as cm:
            d.infer(1, 0)
        text = cm.exception.report()
        self.assertIn("exit status: -11", text)
        self.assertIn("m-load-done", text)

    def test_a_real_process_that_exits(self):
        code = "import sys; print('m-init-done'); print('m-ready'); print('fault: hard'); sys.exit(3)"
        d = Dut(ProcessTransport([sys.executable, "-c", code]))
        self.assertEqual(d.banner(), ["m-init-done"])
        with self.assertRaises(DutLinkError) as cm:
            d.command("name")
        self.assertEqual(cm.exception.exit_status, 3)
        self.assertEqual(cm.exception.tail[-1], "fault: hard")
        d.close()

    def test_a_serial_port_that_goes_away(self):
        class Gone:
            timeout = 0
            in_waiting = 0

            def read(self, n):
                raise OSError(5, "Input/output error")

            def write(self, data):
                raise OSError(19, "No such device")

            def flush(self):
                pass

            def close(self):
                pass
        t = SerialTransport.__new__(SerialTransport)
        t.port, t.ser, t.errors = "/dev/ttyACM9", Gone(), (OSError,)
        d = Dut(t)
        with self.assertRaisesRegex(DutLinkError, "/dev/ttyACM9 went away while writing"):
            d.command("name")
        with self.assertRaisesRegex(DutLinkError, "/dev/ttyACM9 went away while reading"):
            d.read_line(1, "x")


class BenchUnderFaults(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = Path(self.tmp.name)

    def tearDown(self):
        self.tmp.cleanup()

    def run_plan(self, dut, transcript=None):
        d = Dut(FakeTransport(dut), note=lambda t: print(f"tinyperf: note: {t}", file=sys.stderr))
        if transcript:
            d.open_transcript(transcript)
        target = bench.Target(d, "fake", "native", None, "test")
        err, out = io.StringIO(), io.StringIO()
        golden = self.root / "golden"
        (golden / "kws01").mkdir(parents=True, exist_ok=True)
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            plan = bench.Plan(models=["kws01"], performance="quick", golden=golden)
            with unittest.mock.patch.object(bench.datasets, "golden_sample",
                                            lambda g, m: self.sample):
                rc = bench.run_plan(target, plan, json_path=str(self.root / "r.json"))
        d.close()
        return rc, err.getvalue()

    def setUpSample(self):
        self.sample = self.root / "sample.bin"
        self.sample.write_bytes(bytes(490))

    def test_dead_dut_exits_non_zero_without_traceback(self):
        self.setUpSample()
        rc, err = self.run_plan(FakeDut(die_on="infer"))
        self.assertEqual(rc, 1)
        self.assertNotIn("Traceback", err)
        self.assertIn("tinyperf: error: the DUT process closed its output", err)
        self.assertIn("exit status: -11", err)

    def test_retries_reach_the_json_and_the_transcript_is_kept(self):
        self.setUpSample()
        log = self.root / "r.log.txt"
        rc, err = self.run_plan(FakeDut(db_crc=True, corrupt_loads=1), transcript=log)
        self.assertEqual(rc, 0, err)
        rec = json.loads((self.root / "r.json").read_text())
        self.assertEqual(rec["results"][0]["load_retries"], 1)
        self.assertTrue(rec["inputs_verified"])
        self.assertEqual(rec["load_retries"], 1)
        text = log.read_text().splitlines()
        self.assertRegex(text[1], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3} > name%$")
        self.assertTrue(any(l.endswith("< m-name-dut-[tinyperf fake]") for l in text))
        self.assertTrue(any(l.endswith("> db crc%") for l in text))

    def test_transcript_path_beside_json(self):
        ns = type("A", (), {"log": None, "json": "out/run.json"})
        self.assertEqual(bench.transcript_path(ns), Path("out/run.log.txt"))
        ns.log = "x.txt"
        self.assertEqual(bench.transcript_path(ns), Path("x.txt"))


import unittest.mock  # noqa: E402


class Log(unittest.TestCase):
    def test_the_log_keeps_the_last_lines_and_slices(self):
        _, d, _ = fake()
        for _ in range(300):
            d.name()
        self.assertLessEqual(len(d.log), 10 * TAIL_LINES)
        self.assertEqual(d.log[-2:], ["m-name-dut-[tinyperf fake]", "m-ready"])


if __name__ == "__main__":
    unittest.main()
