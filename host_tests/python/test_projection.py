"""Projected latency on the real boards from perf's JSON."""
import contextlib
import io
import json
import tempfile
import unittest
from pathlib import Path

from tinyperf_cli import projection

PERF = {"results": [
    {"board": "qemu_mps3_an547", "models": {"kws01": {"instructions": 1}}},
    {"board": "qemu_mps2_an386", "models": {
        "kws01": {"instructions": 12_000_000}, "vww01": {"instructions": 48_000_000},
        "ic01": {"instructions": 60_000_000}, "ad01": {"instructions": 960_000}}},
]}


class Projection(unittest.TestCase):
    def test_clocks_come_from_the_board_folders(self):
        self.assertEqual(projection.real_boards(), ["nucleo_l4r5zi", "arduino_nano_33_ble", "sparkfun_edge"])
        self.assertEqual(projection.board_clocks(projection.real_boards()),
                         {"nucleo_l4r5zi": 120_000_000, "arduino_nano_33_ble": 64_000_000,
                          "sparkfun_edge": 96_000_000})

    def test_one_instruction_per_cycle(self):
        self.assertAlmostEqual(projection.projected_ms(12_000_000, 120_000_000), 100.0)
        self.assertAlmostEqual(projection.projected_ms(960_000, 64_000_000), 15.0)

    def test_table_uses_the_m4_run_and_shows_the_reference(self):
        t = projection.table(projection.instructions(PERF), {"nucleo_l4r5zi": 120_000_000,
                                                              "sparkfun_edge": 96_000_000})
        self.assertIn("| kws01 | 12,000,000 | 100.00 | 125.00 | 181.9 |", t)
        self.assertIn("| ad01 | 960,000 | 8.00 | 10.00 | 10.05 |", t)
        self.assertIn("lower bound", t)

    def test_needs_the_m4_results(self):
        with self.assertRaisesRegex(ValueError, "qemu_mps2_an386"):
            projection.instructions({"results": [PERF["results"][0]]})

    def test_command_line(self):
        with tempfile.TemporaryDirectory() as d:
            f = Path(d) / "perf.json"
            f.write_text(json.dumps(PERF))
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                rc = projection.main([str(f), "--board", "arduino_nano_33_ble"])
        self.assertEqual(rc, 0)
        self.assertIn("| vww01 | 48,000,000 | 750.00 | 600.6 |", out.getvalue())


if __name__ == "__main__":
    unittest.main()


class ProjectionNamesTheImage(unittest.TestCase):
    def test_a_board_built_otherwise_is_not_projected(self):
        from unittest import mock
        m4 = {"cpu": "cortex_m4f", "kernel_backend": "arm_dsp", "band_budget": 2048}
        images = {"qemu_mps2_an386": m4, "nucleo_l4r5zi": m4,
                  "sparkfun_edge": dict(m4, kernel_backend="reference")}
        with mock.patch.object(projection, "image_of", lambda b: images[b]):
            t = projection.table(projection.instructions(PERF), {"nucleo_l4r5zi": 120_000_000,
                                                                  "sparkfun_edge": 96_000_000})
        self.assertIn("| kws01 | 12,000,000 | 100.00 | n/a | 181.9 |", t)
        self.assertIn("nucleo_l4r5zi: its image is built like the measured qemu_mps2_an386 one "
                      "(cortex_m4f, kernels arm_dsp, band budget 2048), at 120 MHz", t)
        self.assertIn("sparkfun_edge: not projected", t)


class Sww01DutyCycle(unittest.TestCase):
    """sww01: busy time per 32 ms hop on each real board, from the M4's `hops` run."""

    def test_duty_cycle_from_the_m4_hop(self):
        perf = {"results": [{"board": "qemu_mps2_an386", "models": {},
                             "sww01_hop": {"instructions": 1_920_000}},
                            {"board": "qemu_mps3_an547", "models": {}, "sww01_hop": {"instructions": 1}}]}
        hop = projection.sww01_hop_instructions(perf)
        self.assertEqual(hop, 1_920_000)
        t = projection.sww01_duty_table(hop, {"nucleo_l4r5zi": 120_000_000, "arduino_nano_33_ble": 64_000_000})
        self.assertIn("| nucleo_l4r5zi @ 120 MHz | 16.00 | 50.0% |", t)   # 16 ms of a 32 ms hop
        self.assertIn("| arduino_nano_33_ble @ 64 MHz | 30.00 | 93.8% |", t)
        self.assertIn("PROJECTED", t)

    def test_nothing_without_a_hop_run(self):
        self.assertIsNone(projection.sww01_hop_instructions(PERF))
        self.assertEqual(projection.sww01_duty_table(None, {"nucleo_l4r5zi": 120_000_000}), "")


class ProjectionOnlyWhatTheImageCarries(unittest.TestCase):
    def test_a_model_the_board_leaves_out_is_not_projected(self):
        from unittest import mock
        perf = {"results": [{"board": "qemu_mps2_an386", "models": {
            "kws01": {"instructions": 12_000_000}, "ic02": {"instructions": 96_000_000}}}]}
        decl = {"qemu_mps2_an386": {"models": ["kws01", "ic02"]},
                "nucleo_l4r5zi": {"models": ["kws01", "ic02"]},
                "sparkfun_edge": {"models": ["kws01"], "models_note": "ic02 does not fit"}}
        m4 = {"cpu": "cortex_m4f", "kernel_backend": "arm_dsp", "band_budget": 2048}
        with mock.patch.object(projection, "_declaration", lambda b: decl[b]), \
             mock.patch.object(projection, "image_of", lambda b: m4):
            t = projection.table(projection.instructions(perf), {"nucleo_l4r5zi": 120_000_000,
                                                                  "sparkfun_edge": 96_000_000})
        self.assertIn("| ic02 | 96,000,000 | 800.00 | not in image | - |", t)
        self.assertIn("| kws01 | 12,000,000 | 100.00 | 125.00 | 181.9 |", t)
        self.assertIn("sparkfun_edge: its image leaves out ic02 (ic02 does not fit)", t)
