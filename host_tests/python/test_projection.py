"""Projected latency on the real boards from perf's JSON."""
import contextlib
import io
import json
import tempfile
import unittest
from pathlib import Path

from unittest import mock

from tinyperf_cli import projection

_REAL_INT16_LAYERS = projection.int16_layers  # before setUpModule patches it

def _fake_int16_layers(model, limit):
    """What tinyperf-compile reports, without compiling: only vww01's and
    sww01's int16 1x1 layers depend on the limit (4,096 vs 65,536 B)."""
    if model in ("vww01", "sww01"):
        return "2 4 6 8 10" if (limit or 4096) <= 4096 else "2 4 6 8 10 12 14"
    return "2 4 6 8" if model == "kws01" else ""


def _fake_dw_small_layers(model):
    """The small-map depthwise layers tinyperf-compile's tables show, without
    compiling: vww01's 6x6 and 3x3 stride-1 layers."""
    return "13 15 17 19 21 25" if model == "vww01" else ""


_patch = mock.patch.object(projection, "int16_layers", _fake_int16_layers)
_patch_dws = mock.patch.object(projection, "dw_small_layers", _fake_dw_small_layers)


def setUpModule():
    _patch.start()
    _patch_dws.start()


def tearDownModule():
    _patch.stop()
    _patch_dws.stop()

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
        # The Nano's int16 1x1 weight limit (4,096 B) is not the QEMU M4's:
        # vww01 runs otherwise there, kws01 alike.
        self.assertIn("| vww01 | 48,000,000 | n/a | 600.6 |", out.getvalue())
        self.assertIn("| kws01 | 12,000,000 | 187.50 | 181.9 |", out.getvalue())
        self.assertIn("arduino_nano_33_ble: arm_dsp int16 1x1 weights up to 4096 B a layer "
                      "(qemu_mps2_an386: 65536): vww01 not projected", out.getvalue())

    def test_a_model_the_limits_treat_alike_is_projected(self):
        decl = {"qemu_mps2_an386": {"conv_int16_max_weights": 65536},
                "nucleo_l4r5zi": {"conv_int16_max_weights": 65536},
                "sparkfun_edge": {"conv_int16_max_weights": 4096}}
        m4 = {"cpu": "cortex_m4f", "kernel_backend": "arm_dsp", "band_budget": 4608}
        with mock.patch.object(projection, "_declaration", lambda b: decl[b]), \
             mock.patch.object(projection, "image_of", lambda b: m4):
            t = projection.table(projection.instructions(PERF), {"nucleo_l4r5zi": 120_000_000,
                                                                  "sparkfun_edge": 96_000_000})
            self.assertTrue(projection.same_model_image("sparkfun_edge", "kws01"))
            self.assertFalse(projection.same_model_image("sparkfun_edge", "vww01"))
            self.assertTrue(projection.same_model_image("nucleo_l4r5zi", "vww01"))
        self.assertIn("| kws01 | 12,000,000 | 100.00 | 125.00 | 181.9 |", t)
        self.assertIn("| vww01 | 48,000,000 | 400.00 | n/a | 600.6 |", t)

    def test_a_board_without_the_small_map_kernel(self):
        # Same int16 limit: only the small-map depthwise kernel differs; the
        # models with a layer it runs are not projected there, the rest are.
        decl = {"qemu_mps2_an386": {"conv_int16_max_weights": 65536, "arm_dsp_dw_small": True},
                "sparkfun_edge": {"conv_int16_max_weights": 65536, "arm_dsp_dw_small": False}}
        m4 = {"cpu": "cortex_m4f", "kernel_backend": "arm_dsp", "band_budget": 4608}
        with mock.patch.object(projection, "_declaration", lambda b: decl[b]), \
             mock.patch.object(projection, "image_of", lambda b: m4):
            t = projection.table(projection.instructions(PERF), {"sparkfun_edge": 96_000_000})
            self.assertTrue(projection.same_model_image("sparkfun_edge", "kws01"))
            self.assertFalse(projection.same_model_image("sparkfun_edge", "vww01"))
        self.assertIn("| kws01 | 12,000,000 | 125.00 |", t)
        self.assertIn("| vww01 | 48,000,000 | n/a |", t)
        self.assertIn("sparkfun_edge: without the arm_dsp small-map depthwise kernel (qemu_mps2_an386: with): "
                      "vww01 not projected (measure them with ./tinyperf perf -D TP_ARM_DSP_DW_SMALL=OFF)", t)


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
        # The Nano keeps more of sww01's 1x1 layers int8 (its int16 limit): not projected.
        self.assertIn("| arduino_nano_33_ble @ 64 MHz | n/a | n/a |", t)
        self.assertIn("PROJECTED", t)
        with mock.patch.object(projection, "same_model_image", lambda b, m: True):
            t = projection.sww01_duty_table(hop, {"arduino_nano_33_ble": 64_000_000})
        self.assertIn("| arduino_nano_33_ble @ 64 MHz | 30.00 | 93.8% |", t)

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


class WhyNotProjected(unittest.TestCase):
    """A model whose comparison compile fails is not projected, and the
    table says why instead of a bare n/a."""

    def test_a_failed_compile_is_explained(self):
        projection._compile.cache_clear()
        projection.COMPILE_FAILURES.clear()
        for b in ("arduino_nano_33_ble", projection.SOURCE_BOARD):
            projection._declaration(b)  # read before read_text is patched below
        err = projection.subprocess.CalledProcessError(
            1, ["/x/tinyperf-compile", "--backend", "arm_dsp"], output="", stderr="kws01.tflite: cannot open file\n")
        with mock.patch.object(projection, "int16_layers", _REAL_INT16_LAYERS), \
                mock.patch.object(projection.project, "build", lambda *a, **k: {}), \
                mock.patch.object(projection.subprocess, "run", side_effect=err), \
                mock.patch.object(projection.Path, "read_text",
                                  lambda self: "TINYPERF_MODELS_DIR:PATH=/nowhere\n"):
            self.assertIsNone(projection._compile("kws01", 4096))
            t = projection.table(projection.instructions(PERF), {"arduino_nano_33_ble": 64_000_000})
        projection._compile.cache_clear()
        self.assertIn("tinyperf-compile --backend arm_dsp failed: kws01.tflite: cannot open file",
                      projection.COMPILE_FAILURES["kws01"])
        self.assertIn("kws01 not projected: whether its image runs it as the measured one could not be told "
                      "(tinyperf-compile --backend arm_dsp failed: kws01.tflite: cannot open file)", t)
        projection.COMPILE_FAILURES.clear()
