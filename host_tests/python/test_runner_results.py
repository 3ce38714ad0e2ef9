"""The official runner's results layout (`bench --runner-results`)."""
import json
import random
import re
import tempfile
import unittest
from pathlib import Path

from tinyperf_cli import runner_results
from test_results_for_ci import sklearn_roc_auc


class RunnerResults(unittest.TestCase):
    def test_performance_block_and_median_as_the_runner_words_them(self):
        r = {"model": "kws01", "mode": "performance", "windows": [
            {"inferences": 2816, "warmups": 10, "start_us": 0, "end_us": 10_000_000 + i * 1000, "span_us": 10_000_000 + i * 1000}
            for i in range(5)]}  # the first window spans exactly 10 s: not "more than 10 s"
        with tempfile.TemporaryDirectory() as d:
            runner_results.write([r], d)
            txt = (Path(d) / "kws01" / "results.txt").read_text().splitlines()
            raw = json.loads((Path(d) / "kws01" / "results.json").read_text())
        self.assertEqual(txt[:9], ["Performance results for window 1", "    # Inferences : 2816",
                                   "    Runtime: 10.0 sec.", "    Throughput: 281.6 inf./sec.",
                                   "Performance results for window 2", "    # Inferences : 2816",
                                   "    Runtime: 10.001 sec.", f"    Throughput: {2816 / 10.001} inf./sec.",
                                   "    Runtime requirements have been met."])
        self.assertRegex(txt[-2], r"^\d{4}\.\d{6} ulp-mlperf: Median throughput is +%.3f inf\./sec\.$"
                         % (2816 / 10.002))
        self.assertEqual(len(raw), 5)
        self.assertEqual(raw[0]["infer"]["elapsed_time"], 10_000_000)

    def test_accuracy_matches_sklearn_one_vs_rest(self):
        score = sklearn_roc_auc()
        if score is None:
            self.skipTest("python3-sklearn is not installed")
        rng = random.Random(3)
        for classes in (2, 10, 12):
            files = []
            for i in range(300):
                label = i % classes
                v = [rng.random() + (1.5 if c == label and rng.random() < 0.7 else 0) for c in range(classes)]
                files.append({"file": f"f{i}.bin", "class": label, "results": [v]})
            top1, auc = runner_results.accuracy_figures(files)
            y_true = [f["class"] for f in files]
            y_pred = [[x / sum(f["results"][0]) for x in f["results"][0]] for f in files]
            want = score(y_true, [p[1] for p in y_pred]) if classes == 2 else score(y_true, y_pred, multi_class="ovr")
            self.assertAlmostEqual(auc, want, places=9)
            argmax = sum(max(range(classes), key=lambda c: (p[c], -c)) == t for p, t in zip(y_pred, y_true))
            self.assertAlmostEqual(top1, 100 * argmax / len(files))

    def test_accuracy_lines_and_skips(self):
        r = {"model": "vww01", "mode": "accuracy", "files": [
            {"file": "a", "class": 0, "results": [[0.9, 0.1]]}, {"file": "b", "class": 1, "results": [[0.2, 0.8]]}]}
        with tempfile.TemporaryDirectory() as d:
            written = runner_results.write([r, {"model": "ad01", "mode": "accuracy", "skipped": "no data"}], d)
            txt = (Path(d) / "vww01" / "results.txt").read_text()
            self.assertEqual([p.name for p in written], ["vww01"])
        self.assertRegex(txt, r"ulp-mlperf: Top 1% = 100\.0\n.*ulp-mlperf: AUC = 1\.000\n")


if __name__ == "__main__":
    unittest.main()
