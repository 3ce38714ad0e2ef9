"""Projected latency on the real boards from the QEMU Cortex-M4 measurement.

`./tinyperf perf --json F` measures instructions per inference on
qemu_mps2_an386 (a Cortex-M4, the core of all three real boards). Dividing
by a board's core clock (TP_BOARD_CLOCK_HZ in its board.cmake) gives the
latency it would have at one instruction per cycle: a lower bound, since
real cores also spend cycles on flash wait states, bus stalls and
multi-cycle instructions. Next to it: the MLPerf Tiny reference figures for
the NUCLEO-L4R5ZI (TFLM + CMSIS-NN at 120 MHz). Beside the lower bound, when
the run measured the instruction mix (`--project` does, with the QEMU plugin
of tools/qemu_plugin), a cycle ESTIMATE per board (estimate.py: Cortex-M4 TRM
timings per instruction class plus the board's flash wait states), printed
with its assumptions and what it leaves out.

    python3 -m tinyperf_cli.projection perf.json [--board B ...]

perf.py can offer the same as a flag: add_flag(parser) in its register(),
maybe_print(args, results) after its table.
"""
from __future__ import annotations

import argparse
import functools
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from tinyperf_cli import estimate, flash, project
from tinyperf_cli.dut import DutError

SOURCE_BOARD = "qemu_mps2_an386"
# MLPerf Tiny reference submission on the NUCLEO-L4R5ZI (120 MHz), latency in ms.
# (benchmarks/<id>/benchmark.json "reference_ms"; null where none is published).
REFERENCE_MS = {d["id"]: d["reference_ms"] for d in project.benchmark_declarations()
                if d.get("reference_ms") is not None}
REFERENCE_BOARD = "nucleo_l4r5zi"


def _is_arm(board: str) -> bool:
    """A Cortex-M instruction count projects only onto Arm boards (not the
    ARC and Xtensa boards)."""
    return flash.board_declaration(board)["kind"] == "arm"  # the board's CPU (arch/<cpu>/cpu.cmake)


def real_boards() -> list[str]:
    """Arm board folders that declare a clock and a flash tool (the real boards)."""
    out = []
    for b in project.boards():
        if not _is_arm(b):
            continue
        info = flash.board_declaration(b)
        if info.get("clock_hz") and info.get("flash_tools"):
            out.append(b)
    return sorted(out, key=lambda b: (b != REFERENCE_BOARD, b))  # the reference board first


def board_clocks(boards: list[str]) -> dict[str, int]:
    """Core clock of each board, as its board.cmake declares it."""
    clocks = {}
    for b in boards:
        hz = flash.board_declaration(b).get("clock_hz")
        if not hz:
            raise ValueError(f"board {b} declares no TP_BOARD_CLOCK_HZ")
        clocks[b] = int(hz)
    return clocks


def instructions(perf: dict) -> dict[str, int]:
    """Instructions per inference on the QEMU M4, from perf's JSON."""
    for res in perf.get("results", []):
        if res.get("board") == SOURCE_BOARD:
            return {m: int(r["instructions"]) for m, r in res["models"].items()}
    raise ValueError(f"perf results have no {SOURCE_BOARD} (Cortex-M4) run: "
                     f"./tinyperf perf --board {SOURCE_BOARD} --json F")


def projected_ms(instr: int, clock_hz: int) -> float:
    """Latency at one instruction per cycle."""
    return instr / clock_hz * 1000.0


@functools.lru_cache(maxsize=None)
def _declaration(board: str) -> dict:
    return flash.board_declaration(board)


def image_of(board: str) -> dict:
    """What the board's image is built with (its declarations as CMake reads them)."""
    d = _declaration(board)
    return {k: d.get(k) for k in ("cpu", "kernel_backend", "band_budget")}


def int16_limit(board: str):
    """The board's arm_dsp int16 1x1 weight limit (TP_BOARD_CONV_INT16_MAX_WEIGHTS), None if it declares none."""
    return _declaration(board).get("conv_int16_max_weights")


# Why a model's compile for the comparison failed (model -> reason): the
# table says it beside its "n/a" rather than leaving it unexplained.
COMPILE_FAILURES: dict[str, str] = {}


@functools.lru_cache(maxsize=None)
def _compile(model: str, limit) -> tuple[str, str] | None:
    """tinyperf-compile's line and generated source for `model` (arm_dsp,
    this int16 limit), None when it cannot tell (the reason goes to
    COMPILE_FAILURES)."""
    try:
        decl = next(d for d in project.benchmark_declarations() if d["id"] == model)
        cache = (project.ROOT / "build" / SOURCE_BOARD / "CMakeCache.txt").read_text()
        mdir = re.search(r"^TINYPERF_MODELS_DIR:[A-Z]+=(.*)$", cache, re.M).group(1)
        v = project.Variant(board="native")
        project.build(v, quiet=True, targets=["tinyperf-compile"])
        exe = v.dir / "tools" / "model_compiler" / "tinyperf-compile"
        args = ["--backend", "arm_dsp"] + (["--conv-int16-max-weights", str(limit)] if limit is not None else [])
        with tempfile.TemporaryDirectory() as d:
            out = subprocess.run([str(exe), *args, "--id", model, "--out-dir", d,
                                  str(Path(mdir) / decl["model"]["file"])],
                                 capture_output=True, text=True, check=True).stdout
            src = "".join(f.read_text() for f in sorted(Path(d).glob("*.cc")))
    except StopIteration:
        COMPILE_FAILURES[model] = "no benchmark declares it"
        return None
    except OSError as e:
        COMPILE_FAILURES[model] = f"{e.strerror or e}: {e.filename or ''}".rstrip(": ")
        return None
    except (AttributeError, KeyError):
        COMPILE_FAILURES[model] = (f"build/{SOURCE_BOARD}/CMakeCache.txt names no TINYPERF_MODELS_DIR "
                                   f"(measure with ./tinyperf perf first)")
        return None
    except subprocess.CalledProcessError as e:
        why = (e.stderr or "").strip().splitlines() if isinstance(e.stderr, str) else []
        COMPILE_FAILURES[model] = (f"{Path(str(e.cmd[0])).name} {' '.join(map(str, e.cmd[1:3]))} failed: "
                                   + (why[-1] if why else f"exit {e.returncode}"))
        return None
    return out, src


def int16_layers(model: str, limit) -> str | None:
    """The layers of `model` tinyperf-compile writes with int16 weights for
    arm_dsp under this per-layer limit (its compile line: "layers 2 4 6"),
    None when it cannot tell (then the images count as different)."""
    c = _compile(model, limit)
    if c is None:
        return None
    m = re.search(r"int16 1x1 weights \(limit [0-9,]+ B a layer\): layers ([0-9 ]+|none)", c[0])
    return m.group(1) if m else ""


def dw_small(board: str) -> bool:
    """Whether the board's image has the arm_dsp small-map depthwise kernel
    (TP_BOARD_ARM_DSP_DW_SMALL; a board that declares nothing has it)."""
    return _declaration(board).get("arm_dsp_dw_small", True) is not False


def dw_small_layers(model: str) -> str | None:
    """The layers of `model` the small-map depthwise kernel may run (the
    generated source's layer table: DEPTHWISE_CONV_2D 3x3 s1x1 SAME with an
    output at most 8 high, 2-6 wide, channels a multiple of 4), None when it
    cannot tell."""
    c = _compile(model, None)
    if c is None:
        return None
    hits = []
    for m in re.finditer(r"^//\s+(\d+)\s+DEPTHWISE_CONV_2D\s+\[(\d+),(\d+),(\d+),(\d+)\]\s.*3x3 s1x1 SAME", c[1], re.M):
        h, w, ch = int(m.group(3)), int(m.group(4)), int(m.group(5))
        if h <= 8 and 2 <= w <= 6 and ch % 4 == 0:
            hits.append(m.group(1))
    return " ".join(hits)


def same_model_image(board: str, model: str) -> bool:
    """Whether the board's image runs `model` as the measured QEMU M4 image
    does: built alike (image_of) and, where the boards' int16 1x1 weight
    limits differ, the same layers written as int16; where one of them
    leaves the small-map depthwise kernel out, no layer it would run."""
    if image_of(board) != image_of(SOURCE_BOARD):
        return False
    if dw_small(board) != dw_small(SOURCE_BOARD) and dw_small_layers(model) != "":
        return False
    a, b = int16_limit(board), int16_limit(SOURCE_BOARD)
    if a == b:
        return True
    la, lb = int16_layers(model, a), int16_layers(model, b)
    return la is not None and la == lb


def carries(board: str, model: str) -> bool:
    """Whether the board's image holds the model (TP_BOARD_MODELS): a board
    that leaves a model out (flash) gets no projection for it."""
    models = _declaration(board).get("models")
    return models is None or model in models


def mixes(perf: dict) -> dict[str, dict]:
    """The per-inference instruction mix of each model on the QEMU M4 (perf
    --project's plugin run), {} when the run has none."""
    for res in perf.get("results", []):
        if res.get("board") == SOURCE_BOARD:
            return {m: r["mix"] for m, r in res["models"].items() if "mix" in r}
    return {}


def estimates(mix: dict[str, dict], clocks: dict[str, int]) -> dict[str, dict[str, dict]]:
    """model -> board -> the cycle estimate (estimate.estimate) of each
    board with a flash model whose image is built like the measured one."""
    return {m: {b: estimate.estimate(mx, b, hz) for b, hz in clocks.items()
                if b in estimate.BOARD_MEMORY and same_model_image(b, m)}
            for m, mx in mix.items()}


def estimate_notes(boards: list[str], clocks: dict[str, int]) -> list[str]:
    known = [b for b in boards if b in estimate.BOARD_MEMORY]
    return (["ESTIMATE (not measured): cycles from the instruction mix of one inference on the QEMU "
             "Cortex-M4 (QEMU plugin insn_mix) / the board's clock. " + estimate.ASSUMPTIONS + "."]
            + estimate.board_notes(known, clocks) + [estimate.LEAVES_OUT[0].upper() + estimate.LEAVES_OUT[1:] + "."])


def table(instr: dict[str, int], clocks: dict[str, int], est: dict | None = None) -> str:
    boards = list(clocks)
    est = est or {}
    with_est = {b for per in est.values() for b in per}
    # A projection describes a board's image only when that image is built
    # like the measured one (same CPU, kernel backend and band budget).
    source = image_of(SOURCE_BOARD)
    same = {b: image_of(b) == source for b in boards}
    head = ["model", f"{SOURCE_BOARD} instructions"]
    for b in boards:
        head.append(f"{b} @ {clocks[b] / 1e6:g} MHz (>= ms)")
        if b in with_est:
            head.append(f"{b} estimate (~ms)")
    head += [f"reference {REFERENCE_BOARD} @ 120 MHz (ms)"]
    lines = ["| " + " | ".join(head) + " |", "|---|" + "---:|" * (len(head) - 1)]
    for model in project.MODELS:
        if model not in instr:
            continue
        row = [model, f"{instr[model]:,}"]
        for b in boards:
            if not carries(b, model):
                row.append("not in image")
                if b in with_est:
                    row.append("-")
                continue
            row.append(f"{projected_ms(instr[model], clocks[b]):.2f}" if same_model_image(b, model) else "n/a")
            if b in with_est:
                e = est.get(model, {}).get(b)
                row.append(f"{e['ms']:.2f} ({e['cycles_per_instruction']:.2f} cyc/instr)" if e else "-")
        ref = REFERENCE_MS.get(model)
        row.append(f"{ref:g}" if ref is not None else "-")
        lines.append("| " + " | ".join(row) + " |")
    lines.append("")
    for b in boards:
        img = image_of(b)
        what = (f"{b}: its image is built like the measured {SOURCE_BOARD} one ({img['cpu']}, kernels "
                f"{img['kernel_backend']}, band budget {img['band_budget']}), at {clocks[b] / 1e6:g} MHz"
                if same[b] else
                f"{b}: not projected: its image is built with {img} but {SOURCE_BOARD} with {source}")
        lines.append(what)
        if same[b] and int16_limit(b) != int16_limit(SOURCE_BOARD):
            diff = [m for m in project.MODELS if m in instr and carries(b, m) and not same_model_image(b, m)]
            lines.append(f"{b}: arm_dsp int16 1x1 weights up to {int16_limit(b)} B a layer "
                         f"({SOURCE_BOARD}: {int16_limit(SOURCE_BOARD)}): "
                         + (f"{', '.join(diff)} not projected (more of their layers keep int8 weights there; "
                            f"measure them with ./tinyperf perf -D TP_CONV_INT16_MAX_WEIGHTS={int16_limit(b)})"
                            if diff else "no model measured here differs"))
        if same[b] and dw_small(b) != dw_small(SOURCE_BOARD):
            diff = [m for m in project.MODELS if m in instr and carries(b, m) and dw_small_layers(m) != ""]
            lines.append(f"{b}: " + ("without" if not dw_small(b) else "with") + " the arm_dsp small-map depthwise "
                         f"kernel ({SOURCE_BOARD}: " + ("with" if dw_small(SOURCE_BOARD) else "without") + "): "
                         + (f"{', '.join(diff)} not projected (measure them with ./tinyperf perf "
                            f"-D TP_ARM_DSP_DW_SMALL={'ON' if dw_small(b) else 'OFF'})" if diff
                            else "no model measured here differs"))
        unknown = [m for m in project.MODELS if m in COMPILE_FAILURES and m in instr and carries(b, m)
                   and same[b] and not same_model_image(b, m)]
        if unknown:
            lines.append(f"{b}: " + "; ".join(f"{m} not projected: whether its image runs it as the measured one "
                                              f"could not be told ({COMPILE_FAILURES[m]})" for m in unknown))
        left = [m for m in project.MODELS if m in instr and not carries(b, m)]
        if left:
            lines.append(f"{b}: its image leaves out {', '.join(left)} "
                         f"({_declaration(b).get('models_note') or 'board.cmake TP_BOARD_MODELS'})")
    lines.append("")
    lines.append("Projected latency = instructions per inference on the QEMU Cortex-M4 / the board's core clock: "
                 "a lower bound (one instruction per cycle; flash wait states, bus stalls and multi-cycle "
                 "instructions come on top). Reference: MLPerf Tiny reference submission (TFLM + CMSIS-NN) "
                 "measured on the board. Real latencies need the board in hand: ./tinyperf bench --port "
                 "<its serial port> --performance.")
    if with_est:
        lines.append("")
        lines += estimate_notes([b for b in boards if b in with_est], clocks)
    return "\n".join(lines)


SWW01_HOP_MS = 512 / 16000 * 1000  # one sww01 hop of audio: 32 ms at 16 kHz


def sww01_hop_instructions(perf: dict):
    """Instructions per sww01 hop on the QEMU M4 (perf's `hops` run), or None."""
    for res in perf.get("results", []):
        if res.get("board") == SOURCE_BOARD and "sww01_hop" in res:
            return int(res["sww01_hop"]["instructions"])
    return None


def sww01_hop_mix(perf: dict):
    """The instruction mix of one sww01 hop on the QEMU M4 (perf --project), or None."""
    for res in perf.get("results", []):
        if res.get("board") == SOURCE_BOARD and "mix" in res.get("sww01_hop", {}):
            return res["sww01_hop"]["mix"]
    return None


def sww01_duty_table(hop_instr, clocks: dict[str, int], hop_mix: dict | None = None) -> str:
    """Projected sww01 busy time per hop and duty cycle at 16 kHz on each real board
    (and the estimate beside it when the hop's instruction mix was measured)."""
    if not hop_instr:
        return ""
    est = {b: estimate.estimate(hop_mix, b, hz) for b, hz in clocks.items()
           if hop_mix and b in estimate.BOARD_MEMORY and same_model_image(b, "sww01")}
    extra = " sww01 busy per hop, estimate (~ms) | duty cycle, estimate (~) |" if est else ""
    lines = [f"| board @ clock | sww01 busy per hop, projected (>= ms) | duty cycle at 16 kHz, projected (>=) |"
             + extra, "|---|---:|---:|" + ("---:|---:|" if est else "")]
    for b, hz in clocks.items():
        if not same_model_image(b, "sww01"):  # its image runs sww01 otherwise (e.g. its int16 limit)
            lines.append(f"| {b} @ {hz / 1e6:g} MHz | n/a | n/a |" + (" - | - |" if est else ""))
            continue
        ms = projected_ms(hop_instr, hz)
        cells = f" {est[b]['ms']:.2f} | {100 * est[b]['ms'] / SWW01_HOP_MS:.1f}% |" if b in est else (
            " - | - |" if est else "")
        lines.append(f"| {b} @ {hz / 1e6:g} MHz | {ms:.2f} | {100 * ms / SWW01_HOP_MS:.1f}% |" + cells)
    lines.append(f"PROJECTED, not measured: {hop_instr:,} instructions per hop (features of 512 samples + "
                 f"inference + detection rule) on the QEMU Cortex-M4 / the board's core clock, against a hop "
                 f"of {SWW01_HOP_MS:g} ms of audio; a lower bound (one instruction per cycle)."
                 + (" The estimate: the hop's instruction mix priced as the inference table's estimate "
                    "(same assumptions, same omissions)." if est else ""))
    return "\n".join(lines)


def add_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--project", action="store_true",
                   help="also print the projected latency on the real boards (needs the M4 run): the lower "
                        "bound and, beside it, a cycle estimate from the instruction mix (a second QEMU "
                        "session with the insn_mix plugin, a few seconds)")
    p.add_argument("--estimate", action="store_true",
                   help="--project, and the instruction mix of each measured QEMU board (the M55's mix "
                        "too: no M55 timing model, mix only)")


def attach_mix(results: list[dict], board: str) -> None:
    """Measures the instruction mix on `board` (its models as perf measured
    them) and stores it in that board's results (perf's JSON carries it)."""
    for res in results:
        if res.get("board") == board:
            mx = estimate.measure_mix(board, list(res["models"]))
            for m, mix in mx["models"].items():
                res["models"][m]["mix"] = mix
            if "sww01_hop" in mx and "sww01_hop" in res:
                res["sww01_hop"]["mix"] = mx["sww01_hop"]


def maybe_print(args, results: list[dict]) -> None:
    want_mix = getattr(args, "estimate", False)
    if not (getattr(args, "project", False) or want_mix):
        return
    print()
    instr = instructions({"results": results})   # the M4 run is needed before anything runs
    clocks = board_clocks(real_boards())
    print(f"tinyperf perf: instruction mix under the insn_mix plugin ...", file=sys.stderr, flush=True)
    try:
        for board in ([r["board"] for r in results] if want_mix else [SOURCE_BOARD]):
            attach_mix(results, board)
    except (DutError, ValueError, OSError, subprocess.CalledProcessError) as e:
        msg = e.report() if isinstance(e, DutError) else str(e)
        print(f"tinyperf perf: no estimate (the instruction-mix run failed): {msg}", file=sys.stderr)
        want_mix = False
    perf = {"results": results}
    est = estimates(mixes(perf), clocks)
    for res in results:   # the JSON gets the estimate beside the mix it came from
        if res.get("board") == SOURCE_BOARD and any(est.values()):
            for m, per in est.items():
                res["models"][m]["estimate"] = per
            res["estimate_notes"] = estimate_notes(list(clocks), clocks)
    print(table(instr, clocks, est))
    duty = sww01_duty_table(sww01_hop_instructions(perf), clocks, sww01_hop_mix(perf))
    if duty:
        print()
        print(duty)
    if want_mix:
        print()
        print("Instruction mix of one inference (QEMU plugin insn_mix, counts between the two m-lap-us "
              "timestamps of `infer N 1` / N):")
        print(estimate.mix_table({r["board"]: {m: r["models"][m]["mix"] for m in r["models"]
                                               if "mix" in r["models"][m]} for r in results}))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python3 -m tinyperf_cli.projection", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("perf_json", help="file written by ./tinyperf perf --json")
    ap.add_argument("--board", action="append", help="repeatable (default: every real board)")
    args = ap.parse_args(argv)
    try:
        perf = json.loads(Path(args.perf_json).read_text())
        clocks = board_clocks(args.board or real_boards())
        print(table(instructions(perf), clocks, estimates(mixes(perf), clocks)))
        duty = sww01_duty_table(sww01_hop_instructions(perf), clocks, sww01_hop_mix(perf))
        if duty:
            print()
            print(duty)
    except (OSError, ValueError, KeyError, flash.FlashError) as e:
        print(f"projection: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
