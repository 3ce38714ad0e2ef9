"""ic02 on the host side: it reads ic01's dataset folder (as the official
runner's tests_*.yaml does), its quality target is 91%, and the main job's
ic02 accuracy without ic01's images is a row saying so, not a failure."""
import contextlib
import io
import tempfile
import unittest
from pathlib import Path

from tinyperf_cli import bench, datasets, project, report
from tinyperf_cli.datasets import BENCHMARKS


class Ic02Dataset(unittest.TestCase):
    def test_declared_like_the_runner(self):
        b = BENCHMARKS["ic02"]
        self.assertEqual((b.dataset, b.input_bytes, b.metric, b.target), ("ic01", 3072, "top1", 0.91))
        self.assertEqual(datasets.dataset_folder("ic02"), "ic01")
        self.assertEqual(datasets.dataset_folder("ic01"), "ic01")
        self.assertEqual(datasets.dataset_folder("kws01"), "kws01")
        self.assertEqual(project.MODELS.index("ic02"), 4)  # order 5: after ad01, before sww01

    def test_load_reads_ic01s_folder(self):
        with tempfile.TemporaryDirectory() as t:
            d = Path(t) / "ic01"
            d.mkdir()
            (d / "a.bin").write_bytes(bytes(3072))
            (d / "y_labels.csv").write_text("a.bin,10,3\n")
            ds = datasets.load(Path(t), "ic02")
            self.assertEqual(ds.dir, d)
            self.assertEqual([(e.file, e.label) for e in ds.entries], [("a.bin", 3)])
            (d / "a.bin").write_bytes(bytes(3071))
            with self.assertRaisesRegex(datasets.DatasetError, "3071 bytes, ic02 needs 3072"):
                datasets.load(Path(t), "ic02")

    def test_missing_images_name_the_folder(self):
        with tempfile.TemporaryDirectory() as t:
            (Path(t) / "ic01").mkdir()
            (Path(t) / "ic01" / "y_labels.csv").write_text("x.bin,10,1\n")
            with self.assertRaisesRegex(datasets.DatasetMissing, "ic01 has y_labels.csv but none"):
                datasets.load(Path(t), "ic02")

    def test_figure_against_its_target(self):
        r = {"model": "ic02", "mode": "accuracy", "metric": "top1", "figure": 0.905, "total": 200,
             "correct": 181, "wall_s": 1}
        self.assertIn("target 91%: FAIL by 0.5 points", report.figure_text(r))


class FakeTarget:
    name, board, kind, icount_shift = "tinyperf fake", "fake", "native", None
    profile = {"profile": "tinyperf 0.1.0", "model": "kws01"}

    def identify(self):
        pass

    def record(self):
        return {"board": "fake", "target": "native"}


class MainJobOptionalAccuracy(unittest.TestCase):
    def run_plan(self, results):
        orig = bench.execute
        bench.execute = lambda target, plan, note=None: results
        out, err = io.StringIO(), io.StringIO()
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                rc = bench.run_plan(FakeTarget(), bench.Plan(models=["kws01", "ic02"]))
        finally:
            bench.execute = orig
        return rc, out.getvalue() + err.getvalue()

    def test_an_optional_skip_is_shown_and_passes(self):
        rc, text = self.run_plan([{"model": "ic02", "mode": "accuracy", "skipped": "no images", "optional": True}])
        self.assertEqual(rc, 0)
        self.assertIn("no images", text)

    def test_any_other_skip_still_fails(self):
        rc, text = self.run_plan([{"model": "ic02", "mode": "accuracy", "skipped": "no images", "optional": True},
                                  {"model": "kws01", "mode": "accuracy", "skipped": "no dataset"}])
        self.assertEqual(rc, 1)
        self.assertIn("skipped: kws01 accuracy", text)

    def test_execute_marks_the_missing_optional_dataset(self):
        class Dut:
            def probe_crc(self):
                pass
        target = FakeTarget()
        target.dut = Dut()
        orig = bench.models_on
        bench.models_on = lambda dut: (["kws01", "ic02"], True)
        try:
            with tempfile.TemporaryDirectory() as t, contextlib.redirect_stderr(io.StringIO()):
                plan = bench.Plan(models=["kws01", "ic02"], performance=None, accuracy=["ic02"],
                                  dataset=Path(t), optional=["ic02"])
                res = bench.execute(target, plan)
        finally:
            bench.models_on = orig
        self.assertEqual(len(res), 1)
        self.assertTrue(res[0]["optional"])
        self.assertIn("no dataset index", res[0]["skipped"])
        self.assertIn("ic01", res[0]["skipped"])


if __name__ == "__main__":
    unittest.main()
