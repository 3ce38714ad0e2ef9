"""One declaration per benchmark (benchmarks/<id>/benchmark.json): the build's
reader (cmake/benchmarks.cmake) and the host tools' reader
(project.benchmark_declarations) see the same table, refuse an incomplete
declaration, and pick up a new benchmark folder with nothing else changed."""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

from tinyperf_cli import datasets, perf, project

CMAKE_READER = project.ROOT / "cmake" / "benchmarks.cmake"
FIELDS = {"id": str, "order": int, "title": str, "model": dict, "input_bytes": int, "golden": str,
          "selftest_pair": str, "perf_input": str, "timed_runs": int, "warmups": int, "metric": str,
          "target": (float, type(None))}


def cmake_table(folder: Path | None = None) -> tuple[int, list[list[str]], str]:
    args = ["cmake", "-DTP_PRINT=1"]
    if folder is not None:
        args.append(f"-DTP_BENCHMARKS_DIR={folder}")
    r = subprocess.run(args + ["-P", str(CMAKE_READER)], capture_output=True, text=True)
    rows = [line.split() for line in r.stderr.splitlines() if line and not line.startswith(" ")] \
        if r.returncode == 0 else []
    return r.returncode, rows, " ".join(r.stderr.split())


def python_table(decls: list[dict]) -> list[list[str]]:
    return [[d["id"], d["model"]["file"], d["model"]["sha256"], str(d["input_bytes"]), d["golden"],
             d["selftest_pair"], d["id"][0].upper() + d["id"][1:]] for d in decls]


class DeclarationTest(unittest.TestCase):
    def test_every_declaration_is_complete(self):
        decls = project.benchmark_declarations()
        self.assertGreaterEqual(len(decls), 4)
        for d in decls:
            for field, kind in FIELDS.items():
                self.assertIn(field, d, f"{d.get('id')}: {field}")
                self.assertIsInstance(d[field], kind, f"{d['id']}: {field}")
            self.assertRegex(d["model"]["sha256"], r"^[0-9a-f]{64}$")
            # "stream": scored over an audio stream (TP/FP/FN), no single quality target.
            self.assertIn(d["metric"], ("top1", "auc", "stream"))
            if d["metric"] == "stream":
                self.assertIsNone(d["target"])
            else:
                self.assertTrue(0 < d["target"] <= 1)

    def test_cmake_and_python_read_the_same_table(self):
        rc, rows, err = cmake_table()
        self.assertEqual(rc, 0, err)
        self.assertEqual(rows, python_table(project.benchmark_declarations()))
        self.assertEqual([r[0] for r in rows], project.MODELS)

    def test_host_tables_come_from_the_declarations(self):
        for d in project.benchmark_declarations():
            b = datasets.BENCHMARKS[d["id"]]
            self.assertEqual((b.golden, b.input_bytes, b.warmups, b.metric, b.target),
                             (d["golden"], d["input_bytes"], d["warmups"], d["metric"], d["target"]))
            self.assertEqual(perf.TIMED_RUNS[d["id"]], d["timed_runs"])
            self.assertTrue(perf.GOLDEN_INPUT[d["id"]].startswith(d["golden"] + "/"))

    def test_pins_match_the_shared_models_when_present(self):
        sums = project.ROOT.parent / "shared" / "mlperf-tiny" / "models" / "SHA256SUMS"
        if not sums.is_file():
            self.skipTest("no ../shared/mlperf-tiny/models")
        pinned = {}
        for line in sums.read_text().splitlines():
            parts = line.split()
            if len(parts) == 2:
                pinned[parts[1].lstrip("*")] = parts[0]
        for d in project.benchmark_declarations():
            self.assertEqual(pinned.get(d["model"]["file"]), d["model"]["sha256"], d["id"])
            path = sums.parent / d["model"]["file"]
            self.assertEqual(hashlib.sha256(path.read_bytes()).hexdigest(), d["model"]["sha256"], d["id"])


class AddingABenchmarkTest(unittest.TestCase):
    """A copy of the declarations plus one new folder: both readers list it in
    its declared place; a broken declaration stops the build's reader with
    the file and the field named."""

    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp())
        for d in project.benchmark_declarations():
            (self.tmp / d["id"]).mkdir()
            shutil.copy(project.ROOT / "benchmarks" / d["id"] / "benchmark.json", self.tmp / d["id"])

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def add(self, decl: dict, name: str | None = None):
        folder = self.tmp / (name or decl["id"])
        folder.mkdir()
        (folder / "benchmark.json").write_text(json.dumps(decl))
        return folder

    def test_new_folder_appears_in_order(self):
        base = json.loads((project.ROOT / "benchmarks" / "kws01" / "benchmark.json").read_text())
        self.add({**base, "id": "xx01", "order": 2, "input_bytes": 1234, "golden": "xx"})
        rc, rows, err = cmake_table(self.tmp)
        self.assertEqual(rc, 0, err)
        # Equal orders sort by id: vww01 (order 2) before xx01 (order 2).
        ids = [r[0] for r in rows]
        self.assertEqual(ids[:3], ["kws01", "vww01", "xx01"])
        self.assertEqual(len(ids), len(project.MODELS) + 1)
        self.assertIn(["xx01", base["model"]["file"], base["model"]["sha256"], "1234", "xx",
                       "random_00", "Xx01"], rows)

    def test_missing_field_is_refused_with_file_and_field(self):
        base = json.loads((project.ROOT / "benchmarks" / "kws01" / "benchmark.json").read_text())
        del base["input_bytes"]
        folder = self.add({**base, "id": "bad01"})
        rc, _, err = cmake_table(self.tmp)
        self.assertNotEqual(rc, 0)
        self.assertIn(str(folder / "benchmark.json"), err)
        self.assertIn('"input_bytes" is missing', err)

    def test_id_must_match_folder(self):
        base = json.loads((project.ROOT / "benchmarks" / "kws01" / "benchmark.json").read_text())
        self.add({**base, "id": "other"}, name="mine01")
        rc, _, err = cmake_table(self.tmp)
        self.assertNotEqual(rc, 0)
        self.assertIn("must be the folder's name (mine01)", err)

    def test_bad_sha_is_refused(self):
        base = json.loads((project.ROOT / "benchmarks" / "kws01" / "benchmark.json").read_text())
        self.add({**base, "id": "sha01", "model": {**base["model"], "sha256": "abc"}})
        rc, _, err = cmake_table(self.tmp)
        self.assertNotEqual(rc, 0)
        self.assertIn("sha256", err)


if __name__ == "__main__":
    unittest.main()
