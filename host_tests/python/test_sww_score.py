"""sww01 scoring against hand-made cases (tools/tinyperf_cli/sww_score.py)."""

import json
import os
import tempfile
import unittest
from pathlib import Path

from tinyperf_cli import sww_score as S

SHORT = [(1.0, 1.6476250000000001), (4.0, 4.76175), (7.0, 7.358625)]
MARK = 250  # ms: the sync marker's DUT time; everything is relative to it


def det(*seconds):
    return [MARK] + [MARK + round(s * 1000) for s in seconds]


class Scoring(unittest.TestCase):
    def test_no_detection_at_all_is_an_error(self):
        with self.assertRaises(S.ScoringError):
            S.score([], SHORT)

    def test_only_the_marker_gives_every_window_a_false_negative(self):
        r = S.score([MARK], SHORT)
        self.assertEqual(r.counts, (0, 0, 3))
        self.assertEqual(r.false_negatives, [1.0, 4.0, 7.0])

    def test_window_start_edge_is_inside(self):
        r = S.score(det(1.0), [(1.0, 1.5)])
        self.assertEqual(r.counts, (1, 0, 0))
        r = S.score(det(0.999), [(1.0, 1.5)])
        self.assertEqual(r.counts, (0, 1, 1))

    def test_window_end_edge_is_two_seconds_after_the_word(self):
        # the runner adds its 1 s delay twice: up to t_stop + 2 s is a TP
        r = S.score(det(3.5), [(1.0, 1.5)])
        self.assertEqual(r.counts, (1, 0, 0))
        r = S.score(det(3.501), [(1.0, 1.5)])
        self.assertEqual(r.counts, (0, 1, 1))
        self.assertEqual(r.false_positives, [3.501])

    def test_doubled_detection_in_a_window_is_one_true_positive(self):
        r = S.score(det(1.2, 1.4, 2.0), [(1.0, 1.5)])
        self.assertEqual(r.counts, (1, 0, 0))

    def test_doubled_false_positive_inside_the_debounce_interval_counts_once(self):
        r = S.score(det(10.0, 10.8), SHORT)
        self.assertEqual(r.counts, (0, 1, 3))
        self.assertEqual(r.false_positives, [10.0])
        # (t, t + 1000 ms]: exactly 1 s later is still suppressed, 1.001 s is not
        self.assertEqual(S.score(det(10.0, 11.0), SHORT).counts, (0, 1, 3))
        self.assertEqual(S.score(det(10.0, 11.001), SHORT).counts, (0, 2, 3))

    def test_debounce_runs_from_the_surviving_detections(self):
        # 10.8 is suppressed by 10.0; 11.5 is more than 1 s after 10.0: counted
        r = S.score(det(10.0, 10.8, 11.5), SHORT)
        self.assertEqual(r.false_positives, [10.0, 11.5])

    def test_runner_readme_short_test_shape(self):
        # two words found, the third missed: 2 TP, 1 FN
        r = S.score(det(1.4, 1.5, 4.6), SHORT)
        self.assertEqual(r.counts, (2, 0, 1))
        self.assertEqual(r.false_negatives, [7.0])

    def test_timeline_marks_detections(self):
        r = S.score(det(1.4, 12.0), SHORT)
        text = "\n".join(S.report_lines(r, SHORT, 14.0))
        self.assertIn("Accuracy: 1 True positives, 2 False negatives, 1 False positives", text)
        line = S.timeline(r, SHORT, 14.0).splitlines()[1].strip()
        self.assertEqual(line[int(1.4 / 0.25)], "T")
        self.assertEqual(line[int(12.0 / 0.25)], "F")

    def test_duty_cycle(self):
        starts = [0.032 * i for i in range(10)]
        stops = [s + 0.008 for s in starts]
        d, period, on = S.duty_cycle(starts, stops)
        self.assertAlmostEqual(d, 0.25)
        self.assertAlmostEqual(period, 0.032)
        with self.assertRaises(S.ScoringError):
            S.duty_cycle([0.0], [0.1])


class TestFiles(unittest.TestCase):
    def test_reads_the_runner_json(self):
        with tempfile.TemporaryDirectory() as d:
            p = Path(d) / "t.json"
            p.write_text(json.dumps([{"wav_file": "a.wav", "sample_rate": 16000,
                                      "length_sec": 10.0,
                                      "detection_windows": [[1.0, 1.5], [4.0, 4.5]]}]))
            (t,) = S.load_tests(p)
            self.assertEqual(t.wav_file, "a.wav")
            self.assertEqual(t.windows, [(1.0, 1.5), (4.0, 4.5)])

    def test_shared_short_test(self):
        shared = Path(os.environ.get("TINYPERF_DATASETS_DIR", Path(__file__).resolve()
                                     .parents[3] / "shared/mlperf-tiny/datasets"))
        p = shared / "sww01" / "sww_short_test.json"
        if not p.exists():
            self.skipTest(f"{p} not present")
        (t,) = S.load_tests(p)
        self.assertEqual(t.wav_file, "short_wav_easy10s.wav")
        self.assertEqual(len(t.windows), 3)


if __name__ == "__main__":
    unittest.main()
