"""`./tinyperf perf --profile`: instructions per inference by function.

One QEMU session per board under the pc_profile plugin (tools/qemu_plugin/
pc_profile.c), which counts the executions of every instruction address.
For each model: `infer N 1` on its perf input, the counts between the two
`m-lap-us` timestamps (the plugin snapshots them at the firmware's timestamp
function, as insn_mix does for `--estimate`) divided by N, each address
attributed to the function symbol that holds it (`arm-none-eabi-nm -S`:
C++ functions and the generated assembly kernels, whose `.size` the
generators set). The total is the same count `perf` reports (the lap
difference; the plugin's sum is printed beside it).
"""
from __future__ import annotations

import bisect
import re
import subprocess
from pathlib import Path

from tinyperf_cli import estimate, project

PLUGIN_TARGET = "tinyperf_pc_profile"
TOP = 12   # functions listed per model; the rest in one line


def last_window(text: str) -> dict[int, int]:
    """Per-address executions between the plugin's last two marks."""
    blocks = re.split(r"^mark \d+\n", text, flags=re.M)[1:]
    if len(blocks) < 2:
        raise ValueError("the plugin wrote fewer than two marks; two timestamps expected")
    def parse(block: str) -> dict[int, int]:
        counts = {}
        for line in block.splitlines():
            if line == "end":
                return counts
            a, c = line.split()
            counts[-1 if a == "overflow" else int(a, 16)] = int(c)
        raise ValueError("a mark without its end line (the plugin's file was cut)")
    a, b = parse(blocks[-2]), parse(blocks[-1])
    return {k: v - a.get(k, 0) for k, v in b.items() if v != a.get(k, 0)}


def short_name(name: str) -> str:
    """A demangled C++ name without its parameter list."""
    s = name.replace("(anonymous namespace)", "{anon}")
    s = s.split("(", 1)[0]
    return s.replace("{anon}", "(anon)")


def functions(elf: str) -> tuple[list[int], list[tuple[int, int, str]]]:
    out = subprocess.run(["arm-none-eabi-nm", "-C", "-S", "--defined-only", elf], check=True,
                         capture_output=True, text=True).stdout
    syms = []
    for line in out.splitlines():
        m = re.match(r"^([0-9a-f]+) ([0-9a-f]+) [tTwW] (.+)$", line)
        if m:
            syms.append((int(m.group(1), 16) & ~1, int(m.group(2), 16), short_name(m.group(3))))
    syms.sort()
    return [s[0] for s in syms], syms


def by_function(symbols: tuple[list[int], list[tuple[int, int, str]]], pcs: dict[int, int]) -> dict[str, int]:
    """Executions per function; `symbols` is functions(elf) of the image."""
    starts, syms = symbols
    agg: dict[str, int] = {}
    for pc, n in pcs.items():
        i = bisect.bisect_right(starts, pc) - 1
        name = "(no symbol)"
        if pc >= 0 and i >= 0 and pc < syms[i][0] + syms[i][1]:
            name = syms[i][2]
        agg[name] = agg.get(name, 0) + n
    return agg


def measure(info: dict, so: Path, models: list[str]) -> dict[str, dict]:
    """{model: {"functions": {name: instructions per inference}, "lap": perf's count}}."""
    out = {}
    symbols = functions(info["image"])
    for model, n, r, counts, _ in estimate.plugin_runs(info, so, models):
        fn = by_function(symbols, last_window(counts.read_text()))
        out[model] = {"functions": {k: v / n for k, v in fn.items()},
                      "lap": estimate.lap_instructions(r, n)}
    return out


def table(board: str, model: str, prof: dict) -> str:
    fns = sorted(prof["functions"].items(), key=lambda kv: -kv[1])
    total = sum(v for _, v in fns)
    rows = [f"{model} on {board}, instructions per inference by function (QEMU plugin pc_profile):",
            "| function | instructions | share |", "|---|---:|---:|"]
    for name, v in fns[:TOP]:
        rows.append(f"| {name} | {v:,.0f} | {100 * v / total:.1f}% |")
    rest = fns[TOP:]
    if rest:
        v = sum(x for _, x in rest)
        rows.append(f"| {len(rest)} other functions | {v:,.0f} | {100 * v / total:.1f}% |")
    rows.append(f"| all (perf's lap count: {prof['lap']:,}) | {total:,.0f} | 100% |")
    return "\n".join(rows)


def print_profiles(boards: list[str], models: list[str], cmake_defs: tuple[str, ...] = ()) -> None:
    import sys
    so = estimate.plugin_path(PLUGIN_TARGET)
    for board in boards:
        print(f"tinyperf perf: profiling {board} ...", file=sys.stderr, flush=True)
        info = project.build(project.Variant(board=board, cmake_defs=cmake_defs), quiet=True)
        res = measure(info, so, models)
        for model in models:
            print()
            print(table(board, model, res[model]))
