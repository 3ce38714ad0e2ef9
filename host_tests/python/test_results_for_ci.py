"""Results a CI job can trust (issue #14): quality targets with pass/fail,
ROC AUC against scikit-learn, `--json -`, a non-zero exit when anything
asked for was skipped."""
import contextlib
import io
import json
import random
import sys
import unittest

from tinyperf_cli import bench, metrics, report
from tinyperf_cli.datasets import BENCHMARKS


def sklearn_roc_auc():
    try:
        from sklearn.metrics import roc_auc_score
    except ImportError:
        sys.path.append("/usr/lib/python3/dist-packages")  # Debian's python3-sklearn
        try:
            from sklearn.metrics import roc_auc_score
        except ImportError:
            return None
    return roc_auc_score


class RocAucAgainstSklearn(unittest.TestCase):
    def test_random_scores_with_ties_match_sklearn(self):
        score = sklearn_roc_auc()
        if score is None:
            self.skipTest("python3-sklearn is not installed (./tinyperf setup installs it)")
        rng = random.Random(7)
        for n in (2, 5, 31, 248, 1000):
            for _ in range(20):
                labels = [rng.randint(0, 1) for _ in range(n)]
                labels[0], labels[-1] = 0, 1
                # few distinct values: many ties
                scores = [rng.choice([0.1, 0.2, 0.25, 0.5, 0.9]) if rng.random() < 0.5 else rng.random()
                          for _ in range(n)]
                self.assertAlmostEqual(metrics.roc_auc(labels, scores), score(labels, scores), places=12)


class QualityTargets(unittest.TestCase):
    def acc(self, model, figure, **kw):
        r = {"model": model, "mode": "accuracy", "metric": BENCHMARKS[model].metric, "figure": figure,
             "total": 1000, "correct": round(figure * 1000), "wall_s": 1}
        r.update(kw)
        return r

    def test_targets_are_mlperf_tinys(self):
        # (sww01 is scored from a stream, metric "stream": no target of this form)
        self.assertEqual({m: b.target for m, b in BENCHMARKS.items() if b.metric in ("top1", "auc")},
                         {"kws01": 0.90, "vww01": 0.80, "ic01": 0.85, "ad01": 0.85, "ic02": 0.91})

    def test_pass_by_a_tenth_of_a_point_is_shown(self):
        text = report.figure_text(self.acc("kws01", 0.901))
        self.assertEqual(text, "90.1% top-1 (901/1000), target 90%: pass by 0.1 points")
        self.assertIn("FAIL by 0.5 points", report.figure_text(self.acc("vww01", 0.795)))
        self.assertEqual(report.figure_text(self.acc("ad01", 0.8612)), "AUC 0.861, target AUC 0.85: pass by 0.011")

    def test_json_record_carries_the_verdict(self):
        rec = report.record({"board": "x"}, [self.acc("ic01", 0.84)])
        q = rec["results"][0]["quality_target"]
        self.assertEqual((q["target"], q["pass"]), (0.85, False))
        self.assertAlmostEqual(q["margin"], -0.01)


class FakeTarget:
    def __init__(self):
        self.name, self.board, self.kind, self.icount_shift = "tinyperf fake", "fake", "native", None
        self.profile = {"profile": "tinyperf 0.1.0", "model": "kws01"}

    def identify(self):
        pass

    def record(self):
        return {"board": "fake", "target": "native"}


class ExitStatus(unittest.TestCase):
    def run_plan(self, results, json_path=None):
        orig = bench.execute
        bench.execute = lambda target, plan, note=None: results
        out, err = io.StringIO(), io.StringIO()
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                rc = bench.run_plan(FakeTarget(), bench.Plan(models=["kws01"]), json_path)
        finally:
            bench.execute = orig
        return rc, out.getvalue(), err.getvalue()

    def test_a_skipped_measurement_is_a_failure(self):
        rc, _, err = self.run_plan([{"model": "kws01", "mode": "accuracy", "skipped": "no dataset"}])
        self.assertEqual(rc, 1)
        self.assertIn("skipped: kws01 accuracy", err)

    def test_json_dash_writes_only_json_to_stdout(self):
        r = {"model": "kws01", "mode": "accuracy", "metric": "top1", "figure": 0.901, "total": 1000,
             "correct": 901, "wall_s": 1}
        rc, out, err = self.run_plan([r], "-")
        self.assertEqual(rc, 0)
        rec = json.loads(out)
        self.assertEqual(rec["format"], report.FORMAT)
        self.assertEqual(rec["results"][0]["quality_target"]["pass"], True)
        self.assertIn("kws01", err)  # the table went to stderr


if __name__ == "__main__":
    unittest.main()


class OneJsonFormat(unittest.TestCase):
    """bench and perf write the same envelope; either is read alike."""

    PERF_ROWS = [{"board": "qemu_mps2_an386", "image": "/x/tinyperf.elf",
                  "models": {"kws01": {"instructions": 3_551_400, "arena_bytes": 12224}}}]

    def test_perf_and_bench_share_the_envelope(self):
        import tempfile
        from pathlib import Path
        perf = report.record({"boards": ["qemu_mps2_an386"], "images": {}}, self.PERF_ROWS, tool="perf")
        bench_rec = report.record({"board": "qemu_mps2_an386"}, [
            {"model": "kws01", "mode": "performance", "unit": "instructions/inference", "figure": 3_600_000.0,
             "quick": True, "windows": [], "median_window": 0}])
        for rec, tool in ((perf, "perf"), (bench_rec, "bench")):
            self.assertEqual((rec["format"], rec["tool"]), (report.FORMAT, tool))
            self.assertTrue(rec["date"] and rec["git_revision"])
            with tempfile.TemporaryDirectory() as d:
                p = Path(d) / "r.json"
                report.write_json(str(p), rec)
                self.assertEqual(report.read_json(str(p))["tool"], tool)
        # a bench result compared with a perf record: same model, mode and board
        r = {"model": "kws01", "mode": "performance", "unit": "instructions/inference", "figure": 3_600_000.0}
        self.assertTrue(report.compare(perf, r, "qemu_mps2_an386").startswith("worse +1.4%"))
        self.assertEqual(report.compare(perf, r, "qemu_mps3_an547"), "")

    def test_older_bench_files_still_read(self):
        import tempfile
        from pathlib import Path
        with tempfile.TemporaryDirectory() as d:
            p = Path(d) / "old.json"
            p.write_text(json.dumps({"format": "tinyperf-bench/1", "board": "b", "results": []}))
            self.assertEqual(report.read_json(str(p))["board"], "b")
            p.write_text(json.dumps({"format": "something-else"}))
            with self.assertRaises(ValueError):
                report.read_json(str(p))


class FailOnRegression(unittest.TestCase):
    def rec(self, results, board="qemu_mps2_an386"):
        return {"format": report.FORMAT, "tool": "bench", "board": board, "results": results}

    def perf(self, figure, unit="instructions/inference", quick=True):
        return {"model": "kws01", "mode": "performance", "unit": unit, "figure": figure, "quick": quick}

    def test_qemu_counts_move_by_noise_only_above_200_instructions(self):
        old = self.rec([self.perf(3_551_400.0)])
        self.assertEqual(report.regressions(old, [self.perf(3_551_550.0)], 0.0, "qemu_mps2_an386"), [])
        msgs = report.regressions(old, [self.perf(3_552_000.0)], 0.0, "qemu_mps2_an386")
        self.assertEqual(len(msgs), 1)
        self.assertIn("kws01 performance regressed", msgs[0])
        # a percentage allows more; better is never a regression; another board is not compared
        self.assertEqual(report.regressions(old, [self.perf(3_552_000.0)], 0.1, "qemu_mps2_an386"), [])
        self.assertEqual(report.regressions(old, [self.perf(3_000_000.0)], 0.0, "qemu_mps2_an386"), [])
        self.assertEqual(report.regressions(old, [self.perf(9e9)], 0.0, "qemu_mps3_an547"), [])

    def test_wall_time_noise_floors(self):
        old = self.rec([self.perf(7.0, "ms/inference", quick=True)], "native")
        self.assertEqual(report.regressions(old, [self.perf(10.0, "ms/inference", quick=True)], 5, "native"), [])
        self.assertEqual(len(report.regressions(old, [self.perf(11.0, "ms/inference", quick=True)], 5, "native")), 1)
        old = self.rec([self.perf(7.0, "ms/inference", quick=False)], "native")
        self.assertEqual(len(report.regressions(old, [self.perf(7.8, "ms/inference", quick=False)], 5, "native")), 1)

    def test_accuracy_drop(self):
        acc = lambda f: {"model": "kws01", "mode": "accuracy", "metric": "top1", "figure": f, "correct": 0, "total": 1}
        old = self.rec([acc(0.901)])
        self.assertEqual(len(report.regressions(old, [acc(0.900)], 0.0)), 1)
        self.assertEqual(report.regressions(old, [acc(0.900)], 0.2), [])
