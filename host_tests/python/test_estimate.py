"""The cycle estimate's arithmetic (tools/tinyperf_cli/estimate.py) and its
place beside the lower bound in the projection (projection.py)."""
import contextlib
import io
import json
import tempfile
import unittest
from pathlib import Path
from unittest import mock

from tinyperf_cli import estimate, projection

# A hand-made mix of one inference: 1,000 instructions, 200 of them 32-bit.
MIX = {"insns": 1000, "insns32": 200, "alu": 400, "it": 10, "load": 100, "load_pipelined": 50, "store": 60,
       "ldrd": 20, "strd": 5, "ldm": 10, "stm": 10, "ldm_regs": 40, "stm_regs": 30, "load_pc": 1, "tbb_tbh": 1,
       "mul": 200, "mul_long": 10, "div": 2, "branch": 100, "lob": 0, "fp_alu": 8, "fp_mac": 4, "fp_div": 1,
       "fp_load": 3, "fp_store": 3, "fp_ldm": 1, "fp_stm": 1, "fp_ldm_words": 4, "fp_stm_words": 4,
       "mve": 0, "system": 2, "flow": 102, "taken": 70, "code_reads": 80, "code_read_bytes": 240,
       "data_reads": 300}


class CoreCycles(unittest.TestCase):
    def test_each_class_at_its_trm_cycles(self):
        by_hand = (400 * 1 + 10 * 1 + 100 * 2 + 50 * 1 + 60 * 1 + 20 * 3 + 5 * 3   # alu it load pipe store ldrd strd
                   + 10 * 1 + 40 + 10 * 1 + 30                                       # LDM/STM: 1 + N each
                   + 1 * 2 + 1 * 3                                                   # LDR pc 2, TBB 3 (+P if taken)
                   + 200 * 1 + 10 * 1 + 2 * estimate.DIV_CYCLES                      # MUL/MLA, SMLAL, SDIV
                   + 100 * 1                                                         # branches (+P if taken)
                   + 8 * 1 + 4 * 3 + 1 * 14 + 3 * 2 + 3 * 2 + 1 + 4 + 1 + 4          # FP
                   + 2 * 2                                                           # system
                   + 70 * estimate.P_REFILL)                                         # taken flow changes
        self.assertEqual(estimate.core_cycles(MIX), by_hand)

    def test_one_instruction_of_each_kind(self):
        self.assertEqual(estimate.core_cycles({"load": 1}), 2)
        self.assertEqual(estimate.core_cycles({"load_pipelined": 1}), 1)
        self.assertEqual(estimate.core_cycles({"ldm": 1, "ldm_regs": 4}), 5)
        self.assertEqual(estimate.core_cycles({"branch": 1, "taken": 1}), 1 + estimate.P_REFILL)
        self.assertEqual(estimate.core_cycles({"branch": 1, "taken": 0}), 1)
        self.assertEqual(estimate.core_cycles({"fp_mac": 1}), 3)

    def test_an_mve_mix_is_not_an_m4_mix(self):
        with self.assertRaisesRegex(ValueError, "MVE"):
            estimate.core_cycles({"mve": 1, "alu": 1})


class FlashStalls(unittest.TestCase):
    def test_fetch_stalls(self):
        mem = estimate.BOARD_MEMORY["nucleo_l4r5zi"]   # 5 WS, 8-byte reads, 95% hits
        code = 800 * 2 + 200 * 4
        self.assertEqual(estimate.code_bytes(MIX), code)
        self.assertAlmostEqual(estimate.fetch_stall_cycles(MIX, mem), 0.05 * (code / 8 + 70) * 5)

    def test_data_stalls_with_a_data_cache_count_flash_words(self):
        mem = estimate.BOARD_MEMORY["nucleo_l4r5zi"]
        self.assertTrue(mem.data_cache)
        self.assertAlmostEqual(estimate.data_stall_cycles(MIX, mem), 240 / 8 * 5)

    def test_data_stalls_without_one_count_every_read(self):
        mem = estimate.BOARD_MEMORY["arduino_nano_33_ble"]   # I-code cache only
        self.assertFalse(mem.data_cache)
        self.assertAlmostEqual(estimate.data_stall_cycles(MIX, mem), 80 * mem.wait_states)

    def test_the_estimate_adds_them_and_divides_by_the_clock(self):
        e = estimate.estimate(MIX, "nucleo_l4r5zi", 120_000_000)
        mem = estimate.BOARD_MEMORY["nucleo_l4r5zi"]
        total = (estimate.core_cycles(MIX) + estimate.fetch_stall_cycles(MIX, mem)
                 + estimate.data_stall_cycles(MIX, mem))
        self.assertEqual(e["cycles"], round(total))
        self.assertAlmostEqual(e["ms"], total / 120_000_000 * 1000, places=3)
        self.assertAlmostEqual(e["cycles_per_instruction"], total / 1000, places=3)
        self.assertGreater(e["cycles"], MIX["insns"])   # never below the lower bound's one per instruction

    def test_every_real_board_has_a_flash_model(self):
        for b in projection.real_boards():
            self.assertIn(b, estimate.BOARD_MEMORY)
            self.assertIn("wait states", estimate.board_notes([b], {b: 1_000_000})[0])


class Window(unittest.TestCase):
    def test_counts_between_the_last_two_marks_over_n(self):
        lines = ["mark 0 insns=5 load=1", "mark 1 insns=100 load=10", "mark 2 insns=1100 load=30",
                 "exit insns=1200 load=31"]
        self.assertEqual(estimate.window(lines, 10), {"insns": 100.0, "load": 2.0})

    def test_needs_two_marks(self):
        with self.assertRaisesRegex(ValueError, "1 marks"):
            estimate.window(["mark 0 insns=5"], 1)


PERF = {"results": [{"board": "qemu_mps2_an386", "models": {
    "kws01": {"instructions": 1000, "mix": MIX},
    "ad01": {"instructions": 960_000}}}]}


class BesideTheLowerBound(unittest.TestCase):
    def test_table_has_the_estimate_labelled_with_assumptions_and_omissions(self):
        clocks = {"nucleo_l4r5zi": 120_000_000}
        est = projection.estimates(projection.mixes(PERF), clocks)
        t = projection.table(projection.instructions(PERF), clocks, est)
        e = estimate.estimate(MIX, "nucleo_l4r5zi", 120_000_000)
        self.assertIn("nucleo_l4r5zi estimate (~ms)", t)
        self.assertIn(f"| kws01 | 1,000 | 0.01 | {e['ms']:.2f} ({e['cycles_per_instruction']:.2f} cyc/instr) |", t)
        self.assertIn("| ad01 | 960,000 | 8.00 | - |", t)   # no mix measured: no estimate
        self.assertIn("ESTIMATE (not measured)", t)
        self.assertIn("Left out:", t)
        self.assertIn("5 wait states", t)

    def test_no_mix_no_estimate_column(self):
        perf = {"results": [{"board": "qemu_mps2_an386", "models": {"kws01": {"instructions": 1000}}}]}
        clocks = {"nucleo_l4r5zi": 120_000_000}
        t = projection.table(projection.instructions(perf), clocks, projection.estimates(projection.mixes(perf), clocks))
        self.assertNotIn("estimate", t.lower())

    def test_command_line_reads_the_mix_from_the_json(self):
        with tempfile.TemporaryDirectory() as d:
            f = Path(d) / "perf.json"
            f.write_text(json.dumps(PERF))
            out = io.StringIO()
            # Hermetic: the same int16 layers under both boards' limits, so the
            # projection does not compile the real models (it would build
            # tinyperf-compile beside the suite's other tests).
            with contextlib.redirect_stdout(out), \
                 mock.patch.object(projection, "int16_layers", lambda model, limit: "2 4"), \
                 mock.patch.object(projection, "dw_small_layers", lambda model: ""):
                rc = projection.main([str(f), "--board", "sparkfun_edge"])
        self.assertEqual(rc, 0)
        e = estimate.estimate(MIX, "sparkfun_edge", 96_000_000)
        self.assertIn(f"{e['ms']:.2f} ({e['cycles_per_instruction']:.2f} cyc/instr)", out.getvalue())

    def test_sww01_duty_cycle_estimate(self):
        t = projection.sww01_duty_table(1000, {"nucleo_l4r5zi": 120_000_000}, MIX)
        e = estimate.estimate(MIX, "nucleo_l4r5zi", 120_000_000)
        self.assertIn(f"| {e['ms']:.2f} | {100 * e['ms'] / projection.SWW01_HOP_MS:.1f}% |", t)
        self.assertIn("estimate", t)


if __name__ == "__main__":
    unittest.main()


class AFailedMixRun(unittest.TestCase):
    def test_leaves_the_lower_bound_and_one_line_why(self):
        from types import SimpleNamespace
        from unittest import mock

        results = [{"board": "qemu_mps2_an386", "models": {"kws01": {"instructions": 12_000_000}}}]
        err, out = io.StringIO(), io.StringIO()
        with mock.patch.object(estimate, "measure_mix", side_effect=ValueError("no plugin here")), \
                contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            projection.maybe_print(SimpleNamespace(project=True, estimate=False), results)
        self.assertIn("no estimate (the instruction-mix run failed): no plugin here", err.getvalue())
        self.assertIn("| kws01 | 12,000,000 | 100.00 |", out.getvalue())
        self.assertNotIn("estimate (~ms)", out.getvalue())
        self.assertNotIn("estimate", results[0]["models"]["kws01"])
        self.assertNotIn("estimate_notes", results[0])
