"""The insn_mix plugin's window on the firmware: the counts between the two
`m-lap-us` timestamps of `infer N 1`, divided by N, are one inference.

Runs the estimate's own session (tinyperf_cli.estimate.measure_mix_image) on
a built QEMU M4 image and checks, per model: the plugin's instruction count
equals the DUT's own lap count of the same session (perf's measure, which
moves by up to ~100 from the SysTick's quantization), every instruction is
in exactly one class, taken flow changes are among the flow changes, flash
reads among the reads, and no MVE on a Cortex-M4.

    python3 test_firmware_window.py BOARD_INFO_JSON PLUGIN.so GOLDEN_DIR
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from tinyperf_cli import estimate

SKIP = 77
MODELS = ["kws01", "ad01"]
CLASSES = ["alu", "it", "load", "load_pipelined", "store", "ldrd", "strd", "ldm", "stm", "load_pc", "tbb_tbh",
           "mul", "mul_long", "div", "branch", "lob", "fp_alu", "fp_mac", "fp_div", "fp_load", "fp_store",
           "fp_ldm", "fp_stm", "mve", "system"]


def main(argv: list[str]) -> int:
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    info = json.loads(Path(argv[1]).read_text())
    golden = Path(argv[3])
    if not golden.is_dir():
        print(f"no golden inputs at {golden}: skipped", file=sys.stderr)
        return SKIP
    mixes = estimate.measure_mix_image(info, Path(argv[2]), MODELS, golden=golden)["models"]
    bad = []
    for model, mix in mixes.items():
        print(f"{model}: {mix['insns']:,.2f} instructions per inference under the plugin, "
              f"{mix['lap_instructions']:,} by the laps; taken {mix['taken']:,.2f} of {mix['flow']:,.2f} flow changes")
        if abs(mix["insns"] - mix["lap_instructions"]) > 200:
            bad.append(f"{model}: plugin {mix['insns']} against laps {mix['lap_instructions']}")
        if abs(sum(mix[c] for c in CLASSES) - mix["insns"]) > 0.5:
            bad.append(f"{model}: the classes sum to {sum(mix[c] for c in CLASSES)}, not {mix['insns']}")
        if not (0 < mix["taken"] <= mix["flow"]) or not (0 < mix["code_reads"] <= mix["data_reads"]):
            bad.append(f"{model}: taken/flow or flash/data reads out of order: {mix}")
        if mix["mve"] or mix["lob"]:
            bad.append(f"{model}: MVE or low-overhead-loop instructions on a Cortex-M4: {mix}")
    if bad:
        print("FAILED:\n  " + "\n  ".join(bad), file=sys.stderr)
        return 1
    print("insn_mix window: one inference per the laps")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
