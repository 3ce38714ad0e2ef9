"""Cycle ESTIMATE of an inference on each real Cortex-M4 board, from the
instruction mix QEMU executes (the insn_mix plugin, tools/qemu_plugin).

Not a measurement. The projection's lower bound (projection.py) takes one
cycle per instruction; this estimate prices every executed instruction with
the Cortex-M4 timings of Arm's Cortex-M4 Technical Reference Manual (ARM DDI
0439, "Instruction set summary", "Load/store timings"; FPU: "FPU instruction
set" table) and adds the stalls of each board's flash: wait states at the
board's clock on instruction fetches that miss its cache/prefetch (a stated
hit rate) and on data reads from flash (weights and constants: the Code
region, below 0x20000000). What it leaves out is in LEAVES_OUT and printed
with it.

    cycles = core + fetch stalls + flash data stalls
    core   = sum over classes (count x TRM cycles) + LDM/STM registers
             + VLDM/VSTM words + P x taken flow changes
    fetch stalls = (1 - hit) x (code bytes / flash read bytes + taken) x WS
    flash data stalls = flash reads that miss x WS, where a board with a data
                 cache misses once per flash read width of bytes read (weights
                 streamed, no reuse) and a board without one on every read

The mix of one inference: `infer N 1` under the plugin, its counts between
the two `m-lap-us` timestamps (the plugin snapshots them at the firmware's
timestamp function) divided by N, as perf.py measures instructions.
"""
from __future__ import annotations

import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tinyperf_cli import project

PLUGIN_TARGET = "tinyperf_insn_mix"
MARK_SYMBOL = "_ZN2tp3app8Protocol9timestampEv"   # tp::app::Protocol::timestamp()

# ---- Cortex-M4 core timings (ARM DDI 0439 TRM) -------------------------------
P_REFILL = 2        # pipeline refill after a taken branch: 1 to 3 (TRM); 2 assumed
DIV_CYCLES = 7      # SDIV/UDIV: 2 to 12 by operand size (TRM); the middle assumed
M4_CYCLES = {
    "alu": 1, "it": 1, "load": 2, "load_pipelined": 1, "store": 1, "ldrd": 3, "strd": 3,
    "ldm": 1, "stm": 1,                  # + 1 per register (ldm_regs / stm_regs): 1+N
    "load_pc": 2, "tbb_tbh": 3,          # + P when taken (LDR pc 2+P; TBB/TBH load 2 + add 1 + P)
    "mul": 1, "mul_long": 1, "div": DIV_CYCLES,
    "branch": 1, "lob": 1,               # + P when taken
    "fp_alu": 1, "fp_mac": 3, "fp_div": 14, "fp_load": 2, "fp_store": 2,
    "fp_ldm": 1, "fp_stm": 1,            # + 1 per word: 1+N
    "system": 2,                         # MRS/MSR 2; barriers, CPS, hints counted alike
}
PER_REGISTER = ("ldm_regs", "stm_regs", "fp_ldm_words", "fp_stm_words")


@dataclass(frozen=True)
class BoardMemory:
    """A real board's flash as the estimate models it."""
    mcu: str
    wait_states: int
    wait_states_source: str
    fetch_bytes: int        # bytes one flash read returns (an instruction-side line or flash word)
    data_cache: bool        # flash data reads cached (else every read waits)
    data_bytes: int         # bytes per flash data read that misses (with a data cache)
    icache_hit: float       # ASSUMED share of instruction-fetch flash reads served by cache/prefetch
    cache_note: str


BOARD_MEMORY = {
    "nucleo_l4r5zi": BoardMemory(
        mcu="STM32L4R5ZI", wait_states=5,
        wait_states_source="RM0432 'Read access latency': range 1 boost, 5 WS above 100 MHz "
                           "(drivers/stm32l4_rcc sets LATENCY 5, PRFTEN, ICEN, DCEN)",
        fetch_bytes=8, data_cache=True, data_bytes=8, icache_hit=0.95,
        cache_note="ART accelerator: prefetch, instruction cache and data cache on; 64-bit flash reads"),
    "arduino_nano_33_ble": BoardMemory(
        mcu="nRF52840", wait_states=2,
        wait_states_source="ASSUMED 2 at 64 MHz (not read in Nordic's product specification here)",
        fetch_bytes=4, data_cache=False, data_bytes=4, icache_hit=0.95,
        cache_note="NVMC I-code cache on (instructions only: flash data reads are not cached); "
                   "32-bit flash reads assumed"),
    "sparkfun_edge": BoardMemory(
        mcu="Apollo3 Blue", wait_states=1,
        wait_states_source="ASSUMED 1 at 96 MHz burst (flash taken as zero-wait at 48 MHz; not read in "
                           "Ambiq's datasheet here)",
        fetch_bytes=16, data_cache=True, data_bytes=16, icache_hit=0.95,
        cache_note="16 KB direct-mapped cache, 128-bit lines, instructions and data on "
                   "(drivers/apollo3_sysctrl)"),
}

ASSUMPTIONS = (
    f"Cortex-M4 TRM cycles per class (LDR 2, pipelined LDR 1, STR 1, LDRD/STRD 3, LDM/STM 1+N, MUL/MLA/SMLAD 1, "
    f"SMLAL/UMLAL 1, SDIV/UDIV {DIV_CYCLES} of 2-12, taken branch 1+P with P={P_REFILL} of 1-3, LDR pc 2+P, "
    f"TBB/TBH 3+P, IT 1, MRS/MSR 2, VADD/VMUL 1, VMLA/VFMA 3, VDIV/VSQRT 14, VLDR/VSTR 2, VLDM/VSTM 1+N); "
    f"a load pipelines after a single load unless it addresses with that load's result; flash wait states on "
    f"instruction fetches that miss the board's cache/prefetch (hit rate assumed, per board below) and on data "
    f"reads from flash (weights, constants): one miss per flash read width of bytes with a data cache "
    f"(sequential streaming, no reuse), every read without one")
LEAVES_OUT = (
    "left out: SRAM and peripheral wait states, bus contention (DMA, the debugger), the caches' real hit "
    "rates (not simulated), interrupt entry/exit (12 cycles each) and the interrupt load, address-generation "
    "interlocks (a load addressing with the previous instruction's result: +1), unaligned accesses, the "
    "IT-folding of the M4, and instructions whose IT condition fails (counted at their class's cycles)")


def core_cycles(mix: dict) -> float:
    """Cycles of the core alone (zero-wait memory) for a mix."""
    if mix.get("mve"):
        raise ValueError("the mix has MVE instructions: not a Cortex-M4 mix")
    c = sum(mix.get(k, 0) * v for k, v in M4_CYCLES.items())
    c += sum(mix.get(k, 0) for k in PER_REGISTER)
    return c + P_REFILL * mix.get("taken", 0)


def code_bytes(mix: dict) -> float:
    return 2 * (mix["insns"] - mix["insns32"]) + 4 * mix["insns32"]


def fetch_stall_cycles(mix: dict, mem: BoardMemory) -> float:
    reads = code_bytes(mix) / mem.fetch_bytes + mix.get("taken", 0)
    return (1 - mem.icache_hit) * reads * mem.wait_states


def data_stall_cycles(mix: dict, mem: BoardMemory) -> float:
    misses = mix.get("code_read_bytes", 0) / mem.data_bytes if mem.data_cache else mix.get("code_reads", 0)
    return misses * mem.wait_states


def estimate(mix: dict, board: str, clock_hz: int) -> dict:
    """The estimate for one inference's mix on a board: cycles and milliseconds."""
    mem = BOARD_MEMORY[board]
    core = core_cycles(mix)
    fetch = fetch_stall_cycles(mix, mem)
    data = data_stall_cycles(mix, mem)
    total = core + fetch + data
    return {"cycles": round(total), "core_cycles": round(core), "fetch_stall_cycles": round(fetch),
            "flash_data_stall_cycles": round(data), "cycles_per_instruction": round(total / mix["insns"], 3),
            "ms": round(total / clock_hz * 1000, 3), "clock_hz": clock_hz}


def board_notes(boards: list[str], clocks: dict[str, int]) -> list[str]:
    out = []
    for b in boards:
        m = BOARD_MEMORY[b]
        out.append(f"{b} ({m.mcu} @ {clocks[b] / 1e6:g} MHz): flash {m.wait_states} wait states "
                   f"({m.wait_states_source}); {m.cache_note}; instruction-fetch hit rate {m.icache_hit:.0%} ASSUMED")
    return out


# ---- measuring the mix under QEMU ----------------------------------------------
def parse_counts(line: str) -> dict[str, int]:
    """A plugin line: 'mark <n> k=v ...' or 'exit k=v ...'."""
    fields = line.split()
    start = 2 if fields[0] == "mark" else 1
    return {k: int(v) for k, v in (f.split("=", 1) for f in fields[start:])}


def window(lines: list[str], n: int) -> dict[str, float]:
    """The counts between the last two marks, divided by n (one run of n)."""
    marks = [parse_counts(l) for l in lines if l.startswith("mark ")]
    if len(marks) < 2:
        raise ValueError(f"the plugin wrote {len(marks)} marks; two timestamps expected")
    a, b = marks[-2], marks[-1]
    return {k: round((b[k] - a[k]) / n, 2) for k in b}


def plugin_path(target: str = PLUGIN_TARGET) -> Path:
    """Builds a plugin of tools/qemu_plugin (insn_mix by default) in the host
    build (build/native) and returns it."""
    v = project.Variant(board="native")
    project.build(v, quiet=True, targets=[target])
    so = v.dir / "tools" / "qemu_plugin" / f"lib{target}.so"
    if not so.exists():
        raise ValueError(f"no {so} after building {target}")
    return so


def mark_address(elf: str) -> int:
    out = subprocess.run(["arm-none-eabi-nm", elf], check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2] == MARK_SYMBOL:
            return int(parts[0], 16) & ~1
    raise ValueError(f"{elf} has no {MARK_SYMBOL} (tp::app::Protocol::timestamp) to mark the laps at")


def measure_mix(board: str, models: list[str]) -> dict:
    """Per-inference instruction mix of each model on a QEMU board (and per sww01 hop)."""
    so = plugin_path()
    info = project.build(project.Variant(board=board), quiet=True)
    return measure_mix_image(info, so, models)


def plugin_runs(info: dict, so: Path, models: list[str], golden: Path | None = None):
    """One QEMU session of the image (`info`: its board-info.json) under the
    TCG plugin `so`, which takes out=FILE and mark=ADDRESS (the timestamp
    function: insn_mix, pc_profile). For each model `infer N 1` on its perf
    input; yields (model, N, the infer result, the plugin's output file, the
    DUT, for more commands in the same session)."""
    from tinyperf_cli import perf   # perf imports projection, which imports this module
    from tinyperf_cli.dut import Dut, ProcessTransport

    mark = mark_address(info["image"])
    golden = golden or perf.golden_dir()
    with tempfile.TemporaryDirectory() as d:
        counts = Path(d) / "plugin.txt"
        argv = project.launch_argv(info, icount_shift=0,
                                   extra=["-plugin", f"file={so},out={counts},mark={mark:#x}"])
        dut = Dut(ProcessTransport(argv))
        try:
            dut.banner(timeout=30)
            for model in models:
                dut.select_model(model)
                dut.load((golden / perf.GOLDEN_INPUT[model]).read_bytes())
                n = perf.TIMED_RUNS[model]
                yield model, n, dut.infer(n, 1), counts, dut
        finally:
            dut.close()


def lap_instructions(r: dict, n: int) -> int:
    """perf's count of one inference from an `infer n 1` result (same session)."""
    t0, t1 = r["laps_us"]
    return round((t1 - t0) * 1000 / n)


def measure_mix_image(info: dict, so: Path, models: list[str], golden: Path | None = None) -> dict:
    """The mix session on a built image (its board-info.json as `info`)."""
    from tinyperf_cli import perf

    out = {"board": info.get("board"), "models": {}}
    for model, n, r, counts, dut in plugin_runs(info, so, models, golden):
        mix = window(counts.read_text().splitlines(), n)
        mix["lap_instructions"] = lap_instructions(r, n)
        out["models"][model] = mix
        if model == "sww01":
            dut.command(f"hops {perf.SWW01_HOPS}", timeout=300)
            out["sww01_hop"] = window(counts.read_text().splitlines(), perf.SWW01_HOPS)
    return out


MIX_ROWS = [("loads (LDR*, not pipelined / pipelined)", ("load", "load_pipelined")),
            ("stores (STR*)", ("store",)), ("LDRD / STRD", ("ldrd", "strd")),
            ("LDM+POP / STM+PUSH", ("ldm", "stm")), ("  registers moved (LDM / STM)", ("ldm_regs", "stm_regs")),
            ("MUL/MLA/SMLAD-family", ("mul",)), ("SMULL/SMLAL-family", ("mul_long",)), ("SDIV/UDIV", ("div",)),
            ("flow changes (branches, pops/loads of pc) / taken", ("flow", "taken")),
            ("FP (VFP; on the M55 also MVE lane moves VMOV/VDUP)", ("fp_alu", "fp_mac", "fp_div", "fp_load", "fp_store", "fp_ldm", "fp_stm")),
            ("MVE (Helium)", ("mve",)), ("other (ALU, IT, system)", ("alu", "it", "system")),
            ("data reads / from flash (Code region)", ("data_reads", "code_reads"))]


def mix_table(mixes: dict[str, dict[str, dict]]) -> str:
    """Per model and board: the mix of one inference."""
    cols = [(b, m) for b, per in mixes.items() for m in per]
    head = ["class"] + [f"{m} {b}" for b, m in cols]
    lines = ["| " + " | ".join(head) + " |", "|---|" + "---:|" * len(cols)]
    fmt = lambda v: f"{v:,.0f}"
    lines.append("| instructions | " + " | ".join(fmt(mixes[b][m]["insns"]) for b, m in cols) + " |")
    for label, keys in MIX_ROWS:
        cells = [" / ".join(fmt(mixes[b][m].get(k, 0)) for k in keys) if len(keys) == 2 and "/" in label
                 else fmt(sum(mixes[b][m].get(k, 0) for k in keys)) for b, m in cols]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
