"""The pc_profile QEMU plugin counts each instruction address of a known
program exactly.

Builds mix_program.S (the insn_mix test's bare-metal mps2-an386 image), runs
it under qemu-system-arm with the plugin and compares the per-address counts
between its two `mark` calls with the program's control flow: the loop's 32
instructions 10 times each, every other instruction of the window once (the
mark's `bx lr` out of the first mark, `movs r7`, the tail after the loop,
the `sub` it calls, the `bl` into the second mark), nothing else; 334 in
all, as insn_mix counts the same window. The addresses come from the image's
own disassembly (objdump), not from the plugin.

    python3 test_pc_profile.py PLUGIN.so
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from test_insn_mix import ITERATIONS, build_mix, run_plugin, sizes_from_disassembly, symbols  # noqa: E402


def parse_marks(lines: list[str]) -> list[dict[int, int]]:
    marks, cur = [], None
    for line in lines:
        if line.startswith("mark "):
            cur = {}
        elif line == "end":
            marks.append(cur)
            cur = None
        elif cur is not None:
            a, c = line.split()
            cur[-1 if a == "overflow" else int(a, 16)] = int(c)
    return marks


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    plugin = Path(argv[1]).resolve()
    with tempfile.TemporaryDirectory() as d:
        elf = build_mix(d)
        sym = {k: v & ~1 for k, v in symbols(elf).items()}
        sizes = sizes_from_disassembly(elf)
        out = Path(d) / "pcs.txt"
        r = run_plugin(elf, plugin, out, sym["mark"])
        if r.returncode != 0:
            print(f"qemu-system-arm exited {r.returncode}: {r.stderr}", file=sys.stderr)
            return 1
        marks = parse_marks(out.read_text().splitlines())
    if len(marks) != 2:
        print(f"expected two marks, got {len(marks)}", file=sys.stderr)
        return 1
    got = {a: c - marks[0].get(a, 0) for a, c in marks[1].items() if c - marks[0].get(a, 0)}

    def insns(lo: int, hi: int) -> list[int]:
        return [a for a in sorted(sizes) if lo <= a < hi]
    exp = {a: ITERATIONS for a in insns(sym["loop"], sym["after_loop"])}
    once = (insns(sym["window_start"], sym["loop"]) + insns(sym["after_loop"], sym["cases"])
            + insns(sym["case1"], sym["case1"] + 1) + insns(sym["after_load_pc"], sym["window_end"] + 1)
            + insns(sym["sub"], sym["mark"]) + [sym["mark"]])
    for a in once:
        exp[a] = 1
    if len(insns(sym["loop"], sym["after_loop"])) != 32 or sum(exp.values()) != 32 * ITERATIONS + 14:
        print(f"the test's own reading of the program is off: {exp}", file=sys.stderr)
        return 1
    bad = {f"{a:#x}": (got.get(a), exp.get(a)) for a in sorted(set(got) | set(exp)) if got.get(a) != exp.get(a)}
    print(f"pc_profile: {len(got)} addresses, {sum(got.values())} executions in the window "
          f"(expected {len(exp)}, {sum(exp.values())})")
    if bad:
        print(f"FAILED: address: (got, expected) = {bad}", file=sys.stderr)
        return 1
    print("pc_profile: every address's count exact")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
