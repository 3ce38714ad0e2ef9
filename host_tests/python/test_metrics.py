"""ROC AUC, arg-max, median and the performance-window calibration."""
import itertools
import random
import unittest

from tinyperf_cli import metrics


def pairwise_auc(labels, scores):
    """The definition: P(score of a positive > score of a negative), ties 1/2."""
    pos = [s for l, s in zip(labels, scores) if l]
    neg = [s for l, s in zip(labels, scores) if not l]
    wins = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p, n in itertools.product(pos, neg))
    return wins / (len(pos) * len(neg))


class RocAuc(unittest.TestCase):
    def test_perfect(self):
        self.assertEqual(metrics.roc_auc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]), 1.0)

    def test_inverted(self):
        self.assertEqual(metrics.roc_auc([1, 1, 0, 0], [0.1, 0.2, 0.8, 0.9]), 0.0)

    def test_all_equal_scores_give_one_half(self):
        self.assertEqual(metrics.roc_auc([0, 1, 0, 1, 1], [3.0] * 5), 0.5)

    def test_ties_count_one_half(self):
        # pairs (pos, neg): (0.5,0.5) tie, (0.5,0.2) win, (0.9,0.5) win, (0.9,0.2) win
        self.assertEqual(metrics.roc_auc([1, 0, 1, 0], [0.5, 0.5, 0.9, 0.2]), 3.5 / 4)

    def test_matches_the_pairwise_definition(self):
        rng = random.Random(7)
        for _ in range(50):
            n = rng.randint(2, 40)
            labels = [rng.randint(0, 1) for _ in range(n)]
            labels[0], labels[1] = 0, 1
            scores = [rng.choice([0.1, 0.2, 0.3, rng.random()]) for _ in range(n)]
            self.assertAlmostEqual(metrics.roc_auc(labels, scores), pairwise_auc(labels, scores))

    def test_needs_both_classes(self):
        with self.assertRaises(ValueError):
            metrics.roc_auc([1, 1], [0.1, 0.2])


class ArgmaxMedian(unittest.TestCase):
    def test_ties_go_to_the_lowest_index(self):
        self.assertEqual(metrics.argmax([0.1, 0.4, 0.2, 0.4]), 1)
        self.assertTrue(metrics.is_tied([0.1, 0.4, 0.2, 0.4]))
        self.assertFalse(metrics.is_tied([0.1, 0.4, 0.2]))

    def test_argmax(self):
        self.assertEqual(metrics.argmax([0.0, 0.0, 0.9]), 2)

    def test_median(self):
        self.assertEqual(metrics.median([5, 1, 3, 2, 4]), 3)
        self.assertEqual(metrics.median([4, 1, 3, 2]), 2.5)


class Calibration(unittest.TestCase):
    def test_window_count_reaches_ten_seconds(self):
        n = metrics.window_count(12345.0)
        self.assertGreaterEqual(n * 12345.0, metrics.WINDOW_US)
        self.assertLess(n * 12345.0, metrics.WINDOW_US * 1.06)

    def test_window_count_of_a_slow_model_is_at_least_one(self):
        self.assertEqual(metrics.window_count(30e6), 1)

    def test_calibrate_grows_the_probe_past_timer_resolution(self):
        # 37.3 us per inference, timer counts whole milliseconds
        probes = []

        def run(n):
            probes.append(n)
            return int(n * 37.3 / 1000) * 1000

        n, per = metrics.calibrate(run)
        self.assertGreaterEqual(n * 37.3, 200_000 * 0.99)
        self.assertAlmostEqual(per, 37.3, delta=37.3 * 0.01)
        self.assertEqual(probes[0], 1)
        self.assertTrue(all(b > a for a, b in zip(probes, probes[1:])))

    def test_calibrate_stops_at_the_first_long_probe(self):
        calls = []
        n, per = metrics.calibrate(lambda n: calls.append(n) or n * 300_000)
        self.assertEqual((calls, n, per), ([1], 1, 300_000))

    def test_calibrate_gives_up_on_a_stopped_clock(self):
        with self.assertRaises(ValueError):
            metrics.calibrate(lambda n: 0)

    def test_instructions_from_icount_microseconds(self):
        self.assertEqual(metrics.instructions(1000, 0), 1_000_000)
        self.assertEqual(metrics.instructions(1000, 3), 125_000)


if __name__ == "__main__":
    unittest.main()
