"""./tinyperf perf: instructions per inference, RAM and flash per model on the
QEMU boards, against the TFLM + CMSIS-NN baseline, with an optional per-layer
table and a picture of them against the baseline.

Measured as a user measures it: under `qemu-system-arm -icount shift=0` one
instruction is one nanosecond of virtual time, so the DUT's own `m-lap-us`
timestamps around `infer N 0` give instructions = microseconds x 1000 / N,
deterministically. The input is each model's golden sample loaded with `db`.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from tinyperf_cli import report, project, projection, setup
from tinyperf_cli.dut import Dut, DutError, ProcessTransport

BASELINE = project.ROOT / "benchmarks" / "baseline" / "tflm_cmsis_nn.json"
# The timed input and run count: each benchmark's declaration
# (benchmarks/<id>/benchmark.json "golden"/"perf_input", "timed_runs"; a
# golden folder whose files are <pair>.input.bin / .output.bin, as sww01's,
# declares "golden_suffixes").
GOLDEN_INPUT = {d["id"]: f'{d["golden"]}/{d["perf_input"]}{d.get("golden_suffixes", [".in.bin"])[0]}'
                for d in project.benchmark_declarations()}
TIMED_RUNS = {d["id"]: int(d["timed_runs"]) for d in project.benchmark_declarations()}
SWW01_HOPS = 50                  # hops timed by the `hops` command
SWW01_HOP_SECONDS = 512 / 16000  # one hop of audio: 32 ms at 16 kHz


def measure_sww01_hops(dut: Dut) -> dict:
    """Instructions per sww01 hop (features of 512 samples + inference + rule)."""
    lines = dut.command(f"hops {SWW01_HOPS}", timeout=300)
    laps = [int(l[len("m-lap-us-"):]) for l in lines if l.startswith("m-lap-us-")]
    if len(laps) != 2 or not any(l.startswith("m-hops-done-") for l in lines):
        raise DutError(f"hops {SWW01_HOPS}: unexpected answer {lines}")
    return {"instructions": round((laps[1] - laps[0]) * 1000 / SWW01_HOPS), "hops": SWW01_HOPS,
            "laps_us": laps}


def sww01_table(results: list[dict]) -> str:
    """Per-hop cost of sww01 on each QEMU board, and the duty cycle it implies."""
    rows = [r for r in results if "sww01_hop" in r]
    if not rows:
        return ""
    lines = ["| board | sww01 instructions/hop (features + inference) | inference | features and rest "
             "| duty cycle at 16 kHz, 1 instr = 1 ns (QEMU icount) |", "|---|---:|---:|---:|---:|"]
    for r in rows:
        hop = r["sww01_hop"]["instructions"]
        inf = r["models"].get("sww01", {}).get("instructions")
        lines.append(f"| {r['board']} | {hop:,} | {inf:,} | {hop - inf:,} | "
                     f"{100 * hop * 1e-9 / SWW01_HOP_SECONDS:.2f}% |" if inf else
                     f"| {r['board']} | {hop:,} | - | - | {100 * hop * 1e-9 / SWW01_HOP_SECONDS:.2f}% |")
    lines.append(f"(one hop = 512 new samples = {SWW01_HOP_SECONDS * 1000:g} ms of audio; "
                 f"`hops {SWW01_HOPS}` on generated audio)")
    return "\n".join(lines)


QEMU_BOARDS = ["qemu_mps2_an386", "qemu_mps3_an547"]


def golden_dir() -> Path:
    return (project.ROOT / ".." / "shared" / "mlperf-tiny" / "golden").resolve()


def info_value(lines: list[str], key: str) -> int:
    for line in lines:
        m = re.match(rf"^m-{key}-\[([0-9]+)\]$", line)
        if m:
            return int(m.group(1))
    raise DutError(f"no m-{key} line in {lines}")


def flash_split(elf: str) -> dict:
    """Bytes of each loadable section of the image (arm-none-eabi-size -A)."""
    out = subprocess.run(["arm-none-eabi-size", "-A", elf], check=True, capture_output=True, text=True).stdout
    sizes = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0].startswith(".") and parts[1].isdigit():
            sizes[parts[0]] = int(parts[1])
    return sizes


def measure_board(board: str, models: list[str], layers: bool, cmake_defs: tuple[str, ...] = ()) -> dict:
    info = project.build(project.Variant(board=board, cmake_defs=cmake_defs), quiet=True)
    argv = project.launch_argv(info, icount_shift=0)
    dut = Dut(ProcessTransport(argv))
    result = {"board": board, "models": {}}
    try:
        dut.banner(timeout=30)
        result["firmware"] = dut.profile().get("profile")
        for model in models:
            dut.select_model(model)
            desc = dut.command("model")
            data = (golden_dir() / GOLDEN_INPUT[model]).read_bytes()
            dut.load(data)
            n = TIMED_RUNS[model]
            r = dut.infer(n, 1)
            t0, t1 = r["laps_us"]
            row = {
                "instructions": round((t1 - t0) * 1000 / n),
                "timed_runs": n,
                "laps_us": [t0, t1],
                "arena_bytes": info_value(desc, "model-arena-bytes"),
                "scratch_bytes": info_value(desc, "model-scratch-bytes"),
                "weight_bytes": info_value(desc, "model-weight-bytes"),
                "macs": info_value(desc, "model-macs"),
            }
            if layers:
                rows = []
                for line in dut.command(f"layers {n}", timeout=120):
                    m = re.match(r"^m-layer-\[([0-9]+),([A-Z0-9_]+),([0-9]+),([0-9]+)\]$", line)
                    if m:
                        rows.append({"layer": int(m.group(1)), "op": m.group(2), "macs": int(m.group(3)),
                                     "instructions": round(int(m.group(4)) * 1000 / n)})
                row["layers"] = rows
            result["models"][model] = row
            if model == "sww01":
                result["sww01_hop"] = measure_sww01_hops(dut)
        # The kernel's own RAM, apart from the models' (after every model ran
        # on the inference thread, so the high-water marks are the run's).
        result["threads"] = [
            {"name": m.group(1), "stack_used": int(m.group(2)), "stack_bytes": int(m.group(3))}
            for line in dut.command("threads", check=False)
            if (m := re.match(r"^m-thread-\[([a-z_]+),\d+,[a-z]+,(\d+)/(\d+)\]$", line))]
    finally:
        dut.close()
    sections = flash_split(info["image"])
    flash = sum(v for k, v in sections.items() if k in (".vectors", ".text", ".rodata", ".data",
                                                          ".ARM.exidx", ".ARM.extab"))
    weights = sum(r["weight_bytes"] for r in result["models"].values())
    result["image"] = info["image"]
    result["flash_bytes"] = flash
    result["flash_weights_bytes"] = weights
    result["flash_code_bytes"] = flash - weights
    return result


def table(results: list[dict], baseline: dict) -> str:
    goals = baseline["goals"]
    m4_arena = baseline["boards"]["qemu_mps2_an386"]["arena_bytes"]
    head = ("| model | board | instructions/inference | MACs/instr | vs CMSIS-NN (goal) "
            "| peak RAM: arena + scratch (bytes) | vs TFLM arena (goal) |")
    lines = [head, "|---|---|---:|---:|---:|---:|---:|"]
    for res in results:
        base = baseline["boards"][res["board"]]
        for model, r in res["models"].items():
            if model not in base["instructions"]:  # no baseline figure (sww01)
                ram = r["arena_bytes"] + r["scratch_bytes"]
                lines.append(f"| {model} | {res['board']} | {r['instructions']:,} | "
                             f"{r['macs'] / r['instructions']:.2f} | - (no baseline) | {ram:,} | - (no baseline) |")
                continue
            ratio = r["instructions"] / base["instructions"][model]
            goal = goals["instructions_ratio"].get(f"{res['board']}/{model}",
                                                   goals["instructions_ratio"]["default"])
            ram = r["arena_bytes"] + r["scratch_bytes"]
            ram_ratio = ram / m4_arena[model]
            ram_goal = goals["ram_vs_m4_arena"][model]
            ok = lambda v, g: "ok" if v <= g else "MISSED"
            lines.append(f"| {model} | {res['board']} | {r['instructions']:,} | "
                         f"{r['macs'] / r['instructions']:.2f} | {ratio:.2f}x ({goal}x, {ok(ratio, goal)}) | "
                         f"{ram:,} | {ram_ratio:.2f}x ({ram_goal}x, {ok(ram_ratio, ram_goal)}) |")
    lines.append("")
    lines.append("| board | image flash (bytes) | code and tables | weights | goal |")
    lines.append("|---|---:|---:|---:|---|")
    for res in results:
        g = goals["image_flash_bytes"]
        lines.append(f"| {res['board']} | {res['flash_bytes']:,} | {res['flash_code_bytes']:,} | "
                     f"{res['flash_weights_bytes']:,} | <= {g:,} ({'ok' if res['flash_bytes'] <= g else 'MISSED'}) |")
    return "\n".join(lines)


def layer_table(results: list[dict]) -> str:
    lines = []
    for res in results:
        for model, r in res["models"].items():
            if "layers" not in r:
                continue
            lines.append(f"\n{model} on {res['board']}:")
            lines.append("| # | op | MACs | instructions | MACs/instr | share |")
            lines.append("|---:|---|---:|---:|---:|---:|")
            total = sum(l["instructions"] for l in r["layers"]) or 1
            for l in r["layers"]:
                mpi = f"{l['macs'] / l['instructions']:.2f}" if l["macs"] and l["instructions"] else "-"
                lines.append(f"| {l['layer']} | {l['op']} | {l['macs']:,} | {l['instructions']:,} | {mpi} | "
                             f"{100 * l['instructions'] / total:.1f}% |")
    return "\n".join(lines)


def paired_bars(results: list[dict], baseline: dict, path: Path) -> None:
    """Per board and model, paired bars of TFLM + CMSIS-NN against tinyperf:
    instructions per inference (top row) and RAM (bottom row: TFLM's arena
    against our arena with its planned kernel scratch), the ratio printed
    over each pair. Log axes: the models span two orders of magnitude."""
    try:
        import matplotlib
    except ImportError:  # Debian's python3-matplotlib, seen from another python3
        sys.path.append("/usr/lib/python3/dist-packages")
        import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, len(results), figsize=(6.2 * len(results), 8), squeeze=False)
    m4_arena = baseline["boards"]["qemu_mps2_an386"]["arena_bytes"]
    for col, res in enumerate(results):
        base = baseline["boards"][res["board"]]
        models = [m for m in res["models"] if m in base["instructions"]]
        rows = [
            ("instructions per inference", [base["instructions"][m] for m in models],
             [res["models"][m]["instructions"] for m in models], lambda v: f"{v / 1e6:.2f} M"),
            ("RAM (bytes): arena and kernel scratch", [m4_arena[m] for m in models],
             [res["models"][m]["arena_bytes"] + res["models"][m].get("scratch_bytes", 0) for m in models],
             lambda v: f"{v / 1024:.1f} KB"),
        ]
        for row, (label, theirs, ours, fmt) in enumerate(rows):
            ax = axes[row][col]
            x = list(range(len(models)))
            w = 0.38
            ax.bar([xi - w / 2 for xi in x], theirs, w, color="tab:gray", label="TFLM + CMSIS-NN")
            ax.bar([xi + w / 2 for xi in x], ours, w, color="tab:red", label="tinyperf")
            ax.set_yscale("log")
            top = max(theirs + ours)
            ax.set_ylim(min(theirs + ours) / 3, top * 6)
            for xi, t, o in zip(x, theirs, ours):
                ax.annotate(f"{o / t:.2f}x", (xi, max(t, o)), textcoords="offset points", xytext=(0, 14),
                            ha="center", fontsize=11, fontweight="bold")
                ax.annotate(fmt(t), (xi - w / 2, t), textcoords="offset points", xytext=(0, 2),
                            ha="center", fontsize=7, color="dimgray")
                ax.annotate(fmt(o), (xi + w / 2, o), textcoords="offset points", xytext=(0, 2),
                            ha="center", fontsize=7, color="tab:red")
            ax.set_xticks(x, models)
            ax.set_ylabel(label)
            ax.grid(True, which="major", axis="y", alpha=0.3)
            ax.set_title(f"{res['board']} ({base['cpu']}): {'speed' if row == 0 else 'RAM'}")
            ax.legend(loc="upper left", fontsize=8)
    fig.suptitle("tinyperf against TFLM + CMSIS-NN under QEMU -icount shift=0 "
                 "(lower is better; tinyperf / baseline over each pair)")
    fig.tight_layout()
    fig.savefig(path, dpi=100)


def cmd_perf(args) -> int:
    setup.ensure("host", "arm")
    baseline = json.loads(BASELINE.read_text())
    boards = args.board or QEMU_BOARDS
    models = args.model or project.MODELS
    results = []
    try:
        for board in boards:
            print(f"tinyperf perf: measuring {board} ...", file=sys.stderr, flush=True)
            results.append(measure_board(board, models, args.layers, tuple(getattr(args, "cmake_defs", None) or ())))
    except DutError as e:
        print(f"tinyperf perf: {e}", file=sys.stderr)
        return 1
    print(table(results, baseline))
    if (t := sww01_table(results)):
        print()
        print(t)
    for r in results:
        if r.get("threads"):
            stacks = ", ".join(f"{t['name']} {t['stack_used']:,}/{t['stack_bytes']:,}" for t in r["threads"])
            total = sum(t["stack_bytes"] for t in r["threads"])
            print(f"kernel threads on {r['board']} (stack bytes used/size, beside the arenas above): "
                  f"{stacks}; {total:,} B in all")
    if args.layers:
        print(layer_table(results))
    if getattr(args, "profile", False):
        from tinyperf_cli import profile
        try:
            profile.print_profiles(boards, models, tuple(getattr(args, "cmake_defs", None) or ()))
        except DutError as e:
            print(f"tinyperf perf: {e}", file=sys.stderr)
            return 1
    projection.maybe_print(args, results)
    if args.json:
        images = {r["board"]: r.get("image") for r in results}
        report.write_json(args.json, report.record(
            {"boards": [r["board"] for r in results], "images": images, "icount_shift": 0,
             "baseline": str(BASELINE.relative_to(project.ROOT))}, results, tool="perf"))
    if args.report:
        setup.ensure("plot")
        paired_bars(results, baseline, Path(args.report))
        print(f"picture: {args.report}", file=sys.stderr)
    return 0


def register(sub) -> None:
    p = sub.add_parser("perf", help="instructions, RAM and flash per model on the QEMU boards vs the baseline")
    p.add_argument("--board", action="append", choices=QEMU_BOARDS, help="repeatable (default: both)")
    p.add_argument("--model", action="append", choices=project.MODELS, help="repeatable (default: every model)")
    p.add_argument("--layers", action="store_true", help="also time every layer")
    p.add_argument("--profile", action="store_true",
                   help="also count instructions per inference by function (QEMU plugin pc_profile)")
    p.add_argument("-D", dest="cmake_defs", action="append", default=[], metavar="VAR=VALUE",
                   help="passed to CMake as -DVAR=VALUE for the measured images (repeatable; it stays in "
                        "their build directory's cache: -D VAR= gives the board's choice back), e.g. "
                        "-D TP_CONV_INT16_MAX_WEIGHTS=4096 (the sparkfun_edge's int16 1x1 weight limit)")
    p.add_argument("--json", help="write every figure to this file")
    p.add_argument("--report", help="draw the paired-bar picture (instructions and RAM against the baseline) to this PNG")
    projection.add_flag(p)
    p.set_defaults(fn=cmd_perf)
