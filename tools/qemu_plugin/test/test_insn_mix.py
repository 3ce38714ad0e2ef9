"""The insn_mix QEMU plugin counts a known program exactly.

Builds mix_program.S (a bare-metal mps2-an386 image) with arm-none-eabi-gcc,
runs it under qemu-system-arm with the plugin and compares the counts between
its two `mark` calls with the program's known mix: 10 iterations of a loop
whose every instruction's class is known (see the comments in the .S file),
plus the `bx lr` that leaves the first mark and the `bl` that enters the
second. The 32-bit instruction count is taken from the image's own
disassembly (objdump), independently of the plugin's decoder.

    python3 test_insn_mix.py PLUGIN.so
"""
from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ITERATIONS = 10

# Per loop iteration (the .S file's comments).
PER_ITERATION = {
    "load": 3, "load_pipelined": 2, "store": 1, "alu": 5, "ldrd": 1, "strd": 1, "ldm": 2, "stm": 2,
    "ldm_regs": 6, "stm_regs": 6, "mul": 3, "mul_long": 1, "div": 2, "fp_load": 1, "fp_alu": 1,
    "fp_mac": 1, "fp_store": 1, "fp_ldm": 1, "fp_stm": 1, "fp_ldm_words": 2, "fp_stm_words": 2,
    "branch": 3, "flow": 3,
    # reads: ldr x2 + ldm x4 + vldr from `table` (Code region); ldr, ldrb, ldrh, ldrd x2, pop x2, vldm x2 from SRAM
    "code_reads": 7, "code_read_bytes": 28, "data_reads": 16,
}


def expected(insns32: int) -> dict[str, int]:
    exp = {k: v * ITERATIONS for k, v in PER_ITERATION.items()}
    exp["alu"] += 1                    # movs r7, #10 before the loop
    exp["branch"] += 2                 # bx lr out of mark 0, bl into mark 1
    exp["flow"] += 2
    exp["taken"] = 1 + (ITERATIONS - 1) + 1   # bx lr, bne back 9 times, bl
    exp["insns"] = 32 * ITERATIONS + 3
    # After the loop, once each: cmp, it, addeq, bl sub (push {lr}, vdiv,
    # pop {pc}), movs, tbb, ldr pc, mrs.
    once = {"alu": 3, "it": 1, "branch": 1, "stm": 1, "stm_regs": 1, "fp_div": 1, "ldm": 1, "ldm_regs": 1,
            "tbb_tbh": 1, "load_pc": 1, "system": 1, "flow": 4, "taken": 4, "insns": 11,
            "code_reads": 2, "code_read_bytes": 5, "data_reads": 3}
    for k, v in once.items():
        exp[k] = exp.get(k, 0) + v
    exp["insns32"] = insns32
    for k in ("lob", "mve"):
        exp[k] = 0
    return exp


def sizes_from_disassembly(elf: Path) -> dict[int, int]:
    """Address -> instruction size in bytes, from objdump's raw encodings."""
    out = subprocess.run(["arm-none-eabi-objdump", "-d", str(elf)], check=True, capture_output=True,
                         text=True).stdout
    sizes = {}
    for line in out.splitlines():
        m = re.match(r"^\s*([0-9a-f]+):\s+([0-9a-f]{4})(?: ([0-9a-f]{4}))?\s+\S", line)
        if m and not re.search(r"\.(word|short)", line):
            sizes[int(m.group(1), 16)] = 4 if m.group(3) else 2
    return sizes


def symbols(elf: Path) -> dict[str, int]:
    out = subprocess.run(["arm-none-eabi-nm", str(elf)], check=True, capture_output=True, text=True).stdout
    return {p[2]: int(p[0], 16) for p in (l.split() for l in out.splitlines()) if len(p) == 3}


def parse(line: str) -> dict[str, int]:
    return {k: int(v) for k, v in (f.split("=") for f in line.split()[2 if line.startswith("mark") else 1:])}


def build_mix(d: str) -> Path:
    """mix_program.S built into directory d."""
    elf = Path(d) / "mix.elf"
    subprocess.run(["arm-none-eabi-gcc", "-mcpu=cortex-m4", "-mfpu=fpv4-sp-d16", "-mfloat-abi=hard",
                    "-nostdlib", "-T", str(HERE / "mix_program.ld"), str(HERE / "mix_program.S"),
                    "-o", str(elf)], check=True)
    return elf


def run_plugin(elf: Path, plugin: Path, out: Path, mark: int) -> subprocess.CompletedProcess:
    """The program under qemu-system-arm (mps2-an386, -icount shift=0) with a
    plugin taking out=FILE and mark=ADDRESS."""
    return subprocess.run(["qemu-system-arm", "-M", "mps2-an386", "-display", "none", "-monitor", "none",
                           "-serial", "none", "-semihosting-config", "enable=on,target=native",
                           "-icount", "shift=0", "-kernel", str(elf),
                           "-plugin", f"file={plugin},out={out},mark={mark:#x}"],
                          capture_output=True, text=True, timeout=60)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    plugin = Path(argv[1]).resolve()
    with tempfile.TemporaryDirectory() as d:
        elf = build_mix(d)
        sym = symbols(elf)
        sizes = sizes_from_disassembly(elf)
        one = lambda a, b: sum(1 for addr, s in sizes.items() if a <= addr < b and s == 4)
        insns32 = (one(sym["window_start"], sym["loop"]) + ITERATIONS * one(sym["loop"], sym["after_loop"])
                   + one(sym["after_loop"], sym["cases"]) + one(sym["case1"], sym["case1"] + 1)
                   + one(sym["after_load_pc"], sym["window_end"] + 1) + one(sym["sub"], sym["mark"] + 1))
        out = Path(d) / "counts.txt"
        r = run_plugin(elf, plugin, out, sym["mark"])
        if r.returncode != 0:
            print(f"qemu-system-arm exited {r.returncode}: {r.stderr}", file=sys.stderr)
            return 1
        lines = out.read_text().splitlines()
    marks = [parse(l) for l in lines if l.startswith("mark ")]
    if len(marks) != 2 or not any(l.startswith("exit ") for l in lines):
        print(f"expected two mark lines and an exit line, got: {lines}", file=sys.stderr)
        return 1
    got = {k: marks[1][k] - marks[0][k] for k in marks[0]}
    exp = expected(insns32)
    bad = {k: (got.get(k), v) for k, v in exp.items() if got.get(k) != v}
    missing = sorted(set(got) - set(exp))
    if missing:
        print(f"counters the test does not know: {missing}", file=sys.stderr)
        return 1
    for k in sorted(exp):
        print(f"{k:16s} {got.get(k)!s:>6} expected {exp[k]}")
    if bad:
        print(f"FAILED: (got, expected) = {bad}", file=sys.stderr)
        return 1
    print("insn_mix: every count exact")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
