"""The protocol client and `tinyperf bench` against a scripted fake DUT."""
import contextlib
import io
import struct
import tempfile
import time
import unittest
from pathlib import Path

from fakedut import FakeDut, FakeTransport
from tinyperf_cli import bench, metrics, report
from tinyperf_cli.dut import Dut, DutError, parse_infer

INFER_ANSWER = ["m-warmup-start-1", "m-warmup-done", "m-infer-start-5", "m-lap-us-100",
                "m-lap-us-5100", "m-infer-done", "m-results-[0.000,0.250,0.750]"]


def fake(**kw):
    dut = FakeDut(**kw)
    return dut, Dut(FakeTransport(dut))


class ParseReplies(unittest.TestCase):
    def test_results_and_laps(self):
        r = parse_infer("infer 5 1", INFER_ANSWER)
        self.assertEqual(r["laps_us"], [100, 5100])
        self.assertEqual(r["results"], [0.0, 0.25, 0.75])

    def test_no_or_bad_results_line(self):
        with self.assertRaisesRegex(DutError, "no m-results line.*'infer 5 1'"):
            parse_infer("infer 5 1", INFER_ANSWER[:-1])
        with self.assertRaisesRegex(DutError, "unreadable"):
            parse_infer("infer 5 1", INFER_ANSWER[:-1] + ["m-results-[0.1,x]"])

    def test_e_line_raises_naming_the_command(self):
        _, d = fake()
        with self.assertRaisesRegex(DutError, r"e-\[unknown command: bogus\].*'bogus'"):
            d.command("bogus")
        self.assertEqual(d.command("bogus", check=False), ["e-[unknown command: bogus]"])

    def test_window_needs_two_laps(self):
        _, d = fake()
        d.command = lambda cmd, timeout=None: INFER_ANSWER[:3] + INFER_ANSWER[4:]
        with self.assertRaisesRegex(DutError, "two m-lap-us"):
            bench.run_window(d, 5, 1)


class Silence(unittest.TestCase):
    def test_a_dut_that_stops_answering_names_the_command(self):
        _, d = fake(silent_on="infer")
        d.DEFAULT_TIMEOUT = d.INFER_TIMEOUT = 0.2
        d.load(bytes(490))
        t = time.monotonic()
        with self.assertRaisesRegex(DutError, r"no answer within 0.2 s while waiting for 'infer 1 0'"):
            bench.infer_one(d, bytes(490), 256)
        self.assertLess(time.monotonic() - t, 3)

    def test_silence_during_a_pipelined_load(self):
        _, d = fake(silent_on="db 0000")
        d.DEFAULT_TIMEOUT = 0.2
        with self.assertRaisesRegex(DutError, "waiting for 'db 0000"):
            d.load(bytes(490), window=256)


class Pipeline(unittest.TestCase):
    def test_pipelined_load_matches_and_stays_in_step_after_an_error(self):
        dut, d = fake()
        data = bytes(range(256)) + bytes(234)
        for window in (0, 100, 10_000):
            r = bench.infer_one(d, data, window)
            self.assertEqual(dut.data, data)
            self.assertEqual(len(r), 12)
        # wrong size: db load fails, the db lines after it fail too; the next
        # command must still get its own answer
        with self.assertRaisesRegex(DutError, "db load"):
            bench.infer_one(d, bytes(100), 10_000)
        self.assertEqual(d.name(), "tinyperf fake")


class Models(unittest.TestCase):
    def test_model_list_and_switch(self):
        dut, d = fake()
        self.assertEqual(bench.models_on(d), (["kws01", "ad01"], True))

    def test_firmware_without_the_model_command_has_its_profile_model(self):
        _, d = fake(model_command=False, models={"vww01": 27648})
        self.assertEqual(bench.models_on(d), (["vww01"], False))


def calibrated_run(per_us, short_first=0, cap=None):
    """A fake `infer` window: per_us DUT microseconds per inference; the first
    `short_first` timed windows run at half that; no span exceeds `cap`."""
    calls = []

    def run(n, warmups, timeout):
        calls.append((n, warmups))
        span = int(n * per_us)
        if warmups > 1 and len([c for c in calls if c[1] > 1]) <= short_first:
            span //= 2
        span = min(span, cap or span)
        return {"inferences": n, "warmups": warmups, "start_us": 0, "end_us": span,
                "span_us": span, "wall_s": 0.01}
    return run, calls


class Windows(unittest.TestCase):
    def test_five_windows_each_at_least_ten_seconds(self):
        run, calls = calibrated_run(24_680.5)
        w = bench.full_windows(run, 10)
        self.assertEqual(len(w), metrics.WINDOWS)
        self.assertTrue(all(x["span_us"] >= metrics.WINDOW_US for x in w))
        self.assertEqual({x["warmups"] for x in w}, {10})
        self.assertEqual(calls[0], (1, 1))  # the calibration probe

    def test_a_short_window_is_rerun_with_more_inferences(self):
        run, calls = calibrated_run(1000.0, short_first=1)
        w = bench.full_windows(run, 10)
        self.assertEqual(len(w), metrics.WINDOWS)
        timed = [c for c in calls if c[1] == 10]
        self.assertEqual(len(timed), metrics.WINDOWS + 1)
        self.assertGreater(timed[1][0], timed[0][0])

    def test_a_stopped_clock_is_a_dut_error(self):
        run, _ = calibrated_run(0.0)
        with self.assertRaisesRegex(DutError, "cannot time"):
            bench.full_windows(run, 10)

    def test_a_window_that_never_reaches_ten_seconds_fails(self):
        run, _ = calibrated_run(1000.0, cap=9_000_000)
        with self.assertRaisesRegex(DutError, "short of"):
            bench.full_windows(run, 10)


class Execute(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = Path(self.tmp.name)
        self.notes = []
        self.quiet = contextlib.redirect_stderr(io.StringIO())  # progress lines
        self.quiet.__enter__()

    def tearDown(self):
        self.quiet.__exit__(None, None, None)
        self.tmp.cleanup()

    def target(self, dut):
        return bench.Target(Dut(FakeTransport(dut)), "fake", "native", None, "test")

    def run_plan(self, dut, **kw):
        return bench.execute(self.target(dut), bench.Plan(dataset=self.root, **kw),
                             note=self.notes.append)

    def kws_set(self, labels):
        d = self.root / "kws01"
        d.mkdir()
        rows = []
        for i, label in enumerate(labels):
            (d / f"f{i}.bin").write_bytes(bytes([label]) + bytes(489))
            rows.append(f"f{i}.bin,12,{label}")
        (d / "y_labels.csv").write_text("\n".join(rows) + "\n")

    def test_top1_with_ties_to_the_lowest_index(self):
        # the fake predicts the first byte's class, tied with class 11 (which
        # loses the tie for every class below 11)
        def score(model, data):
            s = [0.0] * 12
            s[data[0]] = s[11] = 0.5
            return s
        self.kws_set([3, 11, 5, 0])
        dut = FakeDut(score=score)
        r = self.run_plan(dut, models=["kws01"], performance=None, accuracy=["kws01"])
        self.assertEqual(len(r), 1)
        self.assertEqual((r[0]["correct"], r[0]["total"], r[0]["ties"]), (4, 4, 3))
        self.assertAlmostEqual(r[0]["figure"], 1.0)
        self.assertEqual(dut.commands.count("infer 1 0"), 4)

    def test_ad01_auc_over_file_means_of_window_scores(self):
        d = self.root / "ad01"
        d.mkdir()
        # 3 windows a file (4096 bytes, 2560 wide, stride 768); a window scores its first float
        files = {"n0.bin": (0, [1.0, 1.0, 1.0]), "n1.bin": (0, [0.0, 3.0, 3.0]),
                 "a0.bin": (1, [2.0, 2.0, 2.0]), "a1.bin": (1, [9.0, 0.0, 0.0])}
        rows = []
        for name, (label, firsts) in files.items():
            data = bytearray(4096)
            for k, v in enumerate(firsts):
                data[768 * k:768 * k + 4] = struct.pack("<f", v)
            (d / name).write_bytes(bytes(data))
            rows.append(f"{name},2,{label},2560,768")
        (d / "y_labels.csv").write_text("\n".join(rows))
        dut = FakeDut(score=lambda m, data: [struct.unpack("<f", data[:4])[0]])
        r = self.run_plan(dut, models=["ad01"], performance=None, accuracy=["ad01"])
        # file scores n0 1.0, n1 2.0, a0 2.0, a1 3.0: pairs win, tie, win, win
        self.assertEqual(r[0]["windows"], 12)
        self.assertAlmostEqual(r[0]["figure"], 3.5 / 4)

    def test_missing_dataset_is_skipped_unless_asked_for(self):
        (self.root / "ad01").mkdir()
        (self.root / "ad01" / "y_labels.csv").write_text("x.bin,2,0,2560,512\n")
        self.kws_set([1, 2])
        r = self.run_plan(FakeDut(), models=["kws01", "ad01"], performance=None,
                          accuracy=["kws01", "ad01"])
        self.assertEqual([(x["model"], bool(x.get("skipped"))) for x in r],
                         [("kws01", False), ("ad01", True)])
        self.assertIn("ad01 accuracy skipped", self.notes[0])
        with self.assertRaises(bench.DatasetMissing):
            self.run_plan(FakeDut(), models=["ad01"], explicit=True, performance=None,
                          accuracy=["ad01"])

    def test_model_not_in_firmware(self):
        r = self.run_plan(FakeDut(), models=["vww01", "kws01"], performance="quick")
        self.assertEqual([(x["model"], bool(x.get("skipped"))) for x in r],
                         [("kws01", False), ("vww01", True)])
        with self.assertRaisesRegex(bench.BenchError, "no vww01"):
            self.run_plan(FakeDut(), models=["vww01"], explicit=True, performance="quick")

    def test_quick_performance_figures(self):
        dut = FakeDut(us_per_inference=2500)
        r = self.run_plan(dut, models=["kws01", "ad01"], performance="quick")
        self.assertEqual([x["figure"] for x in r], [2.5, 2.5])  # ms per inference
        self.assertIn("model ad01", dut.commands)
        t = self.target(FakeDut(us_per_inference=2500))
        t.icount_shift = 3
        r = bench.execute(t, bench.Plan(models=["kws01"], performance="quick"))
        self.assertEqual((r[0]["unit"], r[0]["figure"]), ("instructions/inference", 312_500))

    def test_a_dut_error_keeps_the_results_so_far(self):
        self.kws_set([1])
        dut = FakeDut(silent_on="infer 1 0")
        t = self.target(dut)
        t.dut.DEFAULT_TIMEOUT = t.dut.INFER_TIMEOUT = 0.2
        with self.assertRaises(DutError) as cm:
            bench.execute(t, bench.Plan(models=["kws01"], performance="quick", accuracy=["kws01"],
                                        dataset=self.root))
        self.assertEqual([x["mode"] for x in cm.exception.results], ["performance"])


class Reporting(unittest.TestCase):
    PERF = {"model": "kws01", "mode": "performance", "unit": "instructions/inference",
            "figure": 1000.0, "quick": False, "icount_shift": 3, "median_window": 0,
            "windows": [{"inferences": 7, "warmups": 10, "start_us": 1, "end_us": 10_000_001,
                         "span_us": 10_000_000}]}
    ACC = {"model": "kws01", "mode": "accuracy", "metric": "top1", "figure": 0.901,
           "correct": 901, "total": 1000, "ties": 3, "wall_s": 9}

    def test_compare_marks_direction(self):
        old = {"results": [self.PERF, self.ACC]}
        self.assertTrue(report.compare(old, dict(self.PERF, figure=900.0)).startswith("better -10.0%"))
        self.assertTrue(report.compare(old, dict(self.ACC, figure=0.8)).startswith("worse"))
        self.assertEqual(report.compare(old, self.ACC), "same")
        self.assertEqual(report.compare(old, dict(self.PERF, unit="ms/inference")), "n/a (other unit)")
        self.assertEqual(report.compare({"results": []}, self.ACC), "")

    def test_table_and_expectations(self):
        text = report.table([self.PERF, self.ACC, {"model": "vww01", "mode": "accuracy",
                                                   "skipped": "no files"}])
        self.assertIn("1,000 instr/inf", text)
        self.assertIn("90.1% top-1 (901/1000)", text)
        self.assertIn("m-lap-us 1..10000001", text)
        self.assertEqual(bench.check_expectations([self.ACC], ["kws01=901/1000", "kws01=0.901"]), [])
        self.assertEqual(len(bench.check_expectations([self.ACC], ["kws01=900/1000", "ad01=0.5"])), 2)

    def test_json_round_trip(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = str(Path(tmp) / "r.json")
            report.write_json(path, report.record({"board": "fake"}, [self.ACC]))
            rec = report.read_json(path)
            self.assertEqual((rec["board"], rec["results"]), ("fake", [self.ACC]))
            for key in ("date", "git_revision", "format"):
                self.assertIn(key, rec)
            Path(path).write_text("{}")
            with self.assertRaises(ValueError):
                report.read_json(path)

    def test_progress_plain_lines_off_a_tty(self):
        out = io.StringIO()
        p = report.Progress("kws01 accuracy", 4, "files", stream=out, every=0)
        for i in range(4):
            p.update(i + 1, 1)
        p.close()
        self.assertIn("4/4 files, 4 inferences", out.getvalue())


if __name__ == "__main__":
    unittest.main()
