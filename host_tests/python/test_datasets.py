"""Reading EnergyRunner dataset indexes and golden manifests."""
import json
import tempfile
import unittest
from pathlib import Path

from tinyperf_cli import datasets
from tinyperf_cli.datasets import DatasetError, DatasetMissing


def make_set(root: Path, model: str, rows: list[str], files: dict[str, int]):
    d = root / model
    d.mkdir(parents=True)
    (d / "y_labels.csv").write_text("\n".join(rows) + "\n")
    for name, size in files.items():
        (d / name).write_bytes(bytes(range(256)) * (size // 256) + bytes(size % 256))


class ParseIndex(unittest.TestCase):
    def test_classification_and_windowed_rows(self):
        e = datasets.parse_index("a.bin,12,7\n\nb.bin, 2, 1, 2560, 512\n")
        self.assertEqual(e, [datasets.Entry("a.bin", 12, 7),
                             datasets.Entry("b.bin", 2, 1, 2560, 512)])

    def test_malformed_rows_name_their_line(self):
        bad = {"a.bin,12": "line 1",
               "a.bin,12,7\nb.bin,12,x": "line 2",
               "a.bin,12,12": "does not fit",
               "a.bin,2,0,2560": "4 fields",
               "a.bin,2,0,0,512": "positive",
               "../a.bin,12,1": "bad file name",
               "": "no rows"}
        for text, why in bad.items():
            with self.subTest(text=text), self.assertRaisesRegex(DatasetError, why):
                datasets.parse_index(text)

    def test_the_shared_indexes_parse(self):
        for model in datasets.BENCHMARKS:
            index = datasets.DEFAULT_DATASETS / model / "y_labels.csv"
            if index.is_file():
                entries = datasets.parse_index(index.read_text())
                self.assertGreater(len(entries), 100)
                if model == "ad01":
                    self.assertEqual((entries[0].width, entries[0].stride), (2560, 512))


class Load(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = Path(self.tmp.name)

    def tearDown(self):
        self.tmp.cleanup()

    def test_good(self):
        make_set(self.root, "kws01", ["x.bin,12,3", "y.bin,12,4"], {"x.bin": 490, "y.bin": 490})
        ds = datasets.load(self.root, "kws01")
        self.assertEqual([e.file for e in ds.entries], ["x.bin", "y.bin"])
        self.assertEqual(len(ds.read(ds.entries[0])), 490)
        self.assertEqual(len(datasets.load(self.root, "kws01", limit=1).entries), 1)

    def test_no_index(self):
        with self.assertRaises(DatasetMissing):
            datasets.load(self.root, "kws01")

    def test_index_without_any_file_is_missing(self):
        make_set(self.root, "vww01", ["x.bin,2,1"], {})
        with self.assertRaisesRegex(DatasetMissing, "none of the 1 files"):
            datasets.load(self.root, "vww01")

    def test_some_files_missing_is_an_error(self):
        make_set(self.root, "kws01", ["x.bin,12,3", "y.bin,12,4"], {"x.bin": 490})
        with self.assertRaises(DatasetError) as cm:
            datasets.load(self.root, "kws01")
        self.assertNotIsInstance(cm.exception, DatasetMissing)
        self.assertIn("y.bin", str(cm.exception))

    def test_wrong_size(self):
        make_set(self.root, "kws01", ["x.bin,12,3"], {"x.bin": 491})
        with self.assertRaisesRegex(DatasetError, "491 bytes, kws01 needs 490"):
            datasets.load(self.root, "kws01")
        make_set(self.root, "ad01", ["z.bin,2,1,2560,512"], {"z.bin": 2000})
        with self.assertRaisesRegex(DatasetError, "at least 2560"):
            datasets.load(self.root, "ad01")


class Windows(unittest.TestCase):
    def test_windows_like_the_official_runner(self):
        data = bytes(range(10))
        self.assertEqual(datasets.windows(data, 4, 3), [data[0:4], data[3:7], data[6:10]])
        self.assertEqual(len(datasets.windows(bytes(102400), 2560, 512)), 196)
        self.assertEqual(datasets.windows(bytes(3), 4, 1), [])


class Golden(unittest.TestCase):
    def test_sample_from_manifest(self):
        with tempfile.TemporaryDirectory() as tmp:
            d = Path(tmp) / "ad"
            d.mkdir()
            (d / "manifest.json").write_text(json.dumps({"pairs": [
                {"id": "sample_full", "kind": "sample_full_file", "input": "sample_full.in.bin"},
                {"id": "sample_00_w000", "kind": "sample", "input": "sample_00_w000.in.bin"}]}))
            self.assertEqual(datasets.golden_sample(Path(tmp), "ad01"), d / "sample_00_w000.in.bin")
            with self.assertRaises(DatasetError):
                datasets.golden_sample(Path(tmp), "kws01")

    def test_shared_samples_have_the_input_size(self):
        if not datasets.DEFAULT_GOLDEN.is_dir():
            self.skipTest("no shared golden folder")
        for model, b in datasets.BENCHMARKS.items():
            path = datasets.golden_sample(datasets.DEFAULT_GOLDEN, model)
            self.assertEqual(path.stat().st_size, b.input_bytes, model)


if __name__ == "__main__":
    unittest.main()
