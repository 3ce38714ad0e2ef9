"""`./tinyperf official` in performance mode under QEMU: the -icount shift
that keeps a window's wall time inside the runner's 30 s wait
(tools/official_runner/official.py shift_for_wall)."""
import importlib.util
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location(
    "official", ROOT / "tools" / "official_runner" / "official.py")
OFF = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(OFF)


class ShiftForWall(unittest.TestCase):
    def test_fast_emulation_keeps_the_shift(self):
        # the M4 at shift 3: ~0.5 wall s per DUT s, an 11 s window in ~6 s
        self.assertEqual(OFF.shift_for_wall(3, 0.5, 11.0), 3)

    def test_slow_emulation_steps_up_until_a_window_fits(self):
        # the M55's Helium at shift 3: 2.45 wall s per DUT s, 27 s a window:
        # one step (13.5 s); 8 wall s per DUT s (88 s): three steps (11 s)
        self.assertEqual(OFF.shift_for_wall(3, 2.45, 11.0), 4)
        self.assertEqual(OFF.shift_for_wall(3, 8.0, 11.0), 6)
        for rate in (1.9, 2.45, 5.0, 8.0, 30.0):
            s = OFF.shift_for_wall(3, rate, 11.0)
            self.assertLessEqual(rate * 11.0 / 2 ** (s - 3), OFF.WINDOW_WALL_MAX_S)
            if s > 3:  # no step more than needed
                self.assertGreater(rate * 11.0 / 2 ** (s - 4), OFF.WINDOW_WALL_MAX_S)

    def test_never_lowers_a_shift_and_stops_at_ten(self):
        self.assertEqual(OFF.shift_for_wall(7, 0.01, 11.0), 7)
        self.assertEqual(OFF.shift_for_wall(3, 1e9, 11.0), 10)


if __name__ == "__main__":
    unittest.main()
