#!/usr/bin/env python3
"""Drives a booted tinyperf image through the protocol and checks its answers.

  dut_session.py --mode boot     -- <launch argv...>   banner + name
  dut_session.py --mode protocol -- <launch argv...>   every command, bad input, model switch,
                                                       one golden per model via 31-byte db lines
  dut_session.py --mode goldens  -- <launch argv...>   every golden pair of every model:
                                                       raw output tensor and printed results
  dut_session.py --mode selftest -- <launch argv...>   the built-in golden pairs (selftest
                                                       command): one pass per model of the image
  dut_session.py --mode models --expect-models a,b --board-info F -- <launch argv...>
                                                       the image's benchmarks are exactly a,b (model,
                                                       profile, model <id>), and its board-info.json
                                                       says what the board left out and why
  dut_session.py --mode energy   -- <launch argv...>   energy-mode banner; falling edges on the
                                                       timestamp pin (--pin-log FILE for native,
                                                       QEMU's led_change_intensity trace otherwise)
Exits non-zero with a message on the first mismatch.
"""
from __future__ import annotations

import argparse
import json
import re
import struct
import sys
import tempfile
import time
from pathlib import Path

from tinyperf_cli import project
from tinyperf_cli.dut import Dut, DutError, ProcessTransport

# Each benchmark's golden folder and selftest pair, from its declaration
# (benchmarks/<id>/benchmark.json), in declared order.
GOLDEN_DIRS = {d["id"]: d["golden"] for d in project.benchmark_declarations()}
SELFTEST_PAIRS = {d["id"]: d["selftest_pair"] for d in project.benchmark_declarations()}


class Failure(Exception):
    pass


def check(cond: bool, msg: str):
    if not cond:
        raise Failure(msg)


def f32(x: float) -> float:
    return struct.unpack("<f", struct.pack("<f", x))[0]


def expected_results(model: str, manifest: dict, pair: dict, out: bytes, window_score=None) -> str:
    """The m-results line the DUT must print: %0.3f of the float32 values."""
    if model == "ad01":
        score = window_score if window_score is not None else pair["anomaly_score_mse_vs_float_input"]
        return "m-results-[%0.3f]" % f32(float(score))
    scale = manifest["output_tensor"]["scale"]
    zp = manifest["output_tensor"]["zero_point"]
    vals = [f32(f32(float(q - zp)) * f32(scale)) for q in struct.unpack(f"{len(out)}b", out)]
    return "m-results-[" + ",".join("%0.3f" % v for v in vals) + "]"


def load_manifest(golden: Path, model: str) -> tuple[Path, dict]:
    d = golden / GOLDEN_DIRS[model]
    return d, json.loads((d / "manifest.json").read_text())


def run_golden(dut: Dut, golden: Path, model: str, only_first: bool, prefix: str | None = None) -> int:
    """Loads golden inputs with 31-byte db lines; compares results and raw output
    (the pairs whose id starts with prefix, when given)."""
    d, manifest = load_manifest(golden, model)
    dut.select_model(model)
    checked = 0
    for pair in manifest["pairs"]:
        if prefix and not pair["id"].startswith(prefix):
            continue
        data = (d / pair["input"]).read_bytes()
        out = (d / pair["output"]).read_bytes()
        if model == "ad01" and pair.get("windows"):
            if only_first:
                continue
            width, stride = pair["window_bytes"], pair["stride_bytes"]
            scores = pair["window_scores_mse_vs_float_input"]
            for w in range(pair["windows"]):
                window = data[w * stride:w * stride + width]
                expect_out = out[w * 640:(w + 1) * 640]
                dut.load(window)
                r = dut.infer(1, 0)
                check(dut.output_tensor() == expect_out, f"{model} {pair['id']} window {w}: output tensor differs")
                want = expected_results(model, manifest, pair, expect_out, scores[w])
                check(r["results_text"] == want, f"{model} {pair['id']} window {w}: {r['results_text']} != {want}")
                checked += 1
            continue
        dut.load(data)
        r = dut.infer(1, 0)
        got = dut.output_tensor()
        check(got == out, f"{model} {pair['id']}: output tensor {got.hex()} != golden {out.hex()}")
        want = expected_results(model, manifest, pair, out)
        check(r["results_text"] == want, f"{model} {pair['id']}: {r['results_text']} != {want}")
        checked += 1
        if only_first:
            break
    return checked


def expect_error(dut: Dut, cmd: str, fragment: str):
    lines = dut.command(cmd, check=False)
    check(len(lines) == 1 and lines[0].startswith("e-[") and fragment in lines[0],
          f"{cmd!r}: expected one e-[...{fragment}...] line, got {lines}")


def mode_protocol(dut: Dut, golden: Path):
    check(dut.name().startswith("tinyperf "), "name")
    prof = dut.profile()
    check(prof.get("profile", "").startswith("tinyperf"), f"profile: {prof}")
    check(prof.get("model") in GOLDEN_DIRS, f"profile model: {prof}")
    check(any("infer" in l for l in dut.command("help")), "help lists infer")
    laps = [l for l in dut.command("timestamp") if l.startswith("m-lap-us-")]
    check(len(laps) == 1, f"timestamp: {laps}")
    check(dut.command("") == [], "empty command")
    # bad input
    dut.send("x" * 300 + "%")
    lines = dut.read_until_ready(5, "overlong line")
    check(len(lines) == 1 and lines[0].startswith("e-[command too long"), f"overlong: {lines}")
    dut.send("name" + " " * 200 + "%")
    lines = dut.read_until_ready(5, "overlong name")
    check(not any("name-dut" in l for l in lines), "an overlong line was truncated and run")
    dut.send("y" * 5000)  # a flood without '%': nothing unasked
    dut.send("%")
    lines = dut.read_until_ready(5, "flood")
    check(len(lines) == 1 and "too long" in lines[0], f"flood: {lines}")
    dut.t.write(b"na\x00me%")
    check(dut.read_until_ready(5, "NUL")[0].startswith("e-["), "NUL byte")
    dut.t.write(b"n\xc3\xa4me%")
    check(dut.read_until_ready(5, "non-ASCII")[0].startswith("e-["), "non-ASCII byte")
    expect_error(dut, "bogus", "unknown command")
    dut.select_model("kws01")
    expect_error(dut, "db 00", "no 'db load N'")
    expect_error(dut, "infer 1 0", "no complete input")
    expect_error(dut, "results", "no inference")
    for bad in ("db load 0", "db load -5", "db load abc"):
        expect_error(dut, bad, "whole number")
    expect_error(dut, "db load 999999", "do not fit")
    expect_error(dut, "db load 491", "takes 490 bytes")
    dut.command("db load 490")
    expect_error(dut, "db 0", "odd number")
    expect_error(dut, "db 0g", "not a hex digit")
    dut.command("db load 490")
    for _ in range(15):
        dut.command("db " + "00" * 31)  # 465 bytes
    expect_error(dut, "db " + "00" * 26, "go past")  # 465 + 26 > 490
    expect_error(dut, "infer 1 0", "no complete input")
    for bad in ("infer 0", "infer -1", "infer x", "infer 1 -2"):
        expect_error(dut, bad, "whole number")
    expect_error(dut, "model nope", "unknown id")
    # every model of the image once: model switch + golden input + results
    for model in image_models(dut):
        n = run_golden(dut, golden, model, only_first=True)
        check(n == 1, f"{model}: no golden checked")
        check(dut.profile().get("model") == model, f"profile after switching to {model}")
        res = [l for l in dut.command("results") if l.startswith("m-results-[")]
        check(len(res) == 1, f"results after {model}")
    if "sww01" in image_models(dut):
        # sww01's per-hop timing: N hops between two timestamps; bad N refused.
        for bad in ("hops", "hops 0", "hops x", "hops 1 2"):
            expect_error(dut, bad, "whole number")
        lines = dut.command("hops 3", timeout=60)
        laps = [l for l in lines if l.startswith("m-lap-us-")]
        check(lines[0] == "m-hops-start-3" and len(laps) == 2 and re.match(r"^m-hops-done-\[3,[0-3]\]$", lines[-1]),
              f"hops 3: {lines}")
    check(dut.name().startswith("tinyperf "), "name at the end")


def image_models(dut: Dut) -> list[str]:
    """The models the image carries (its m-models-[...] line) that have goldens."""
    line = [l for l in dut.command("model") if l.startswith("m-models-[")]
    check(len(line) == 1, "model: no m-models line")
    ids = line[0][len("m-models-["):-1].split(",")
    return [m for m in GOLDEN_DIRS if m in ids]


def mode_goldens(dut: Dut, golden: Path, only: list[str] | None = None, skip: list[str] = (),
                 pairs: str | None = None):
    total = 0
    models = [m for m in image_models(dut) if (only is None or m in only) and m not in skip]
    check(only is None or set(only) <= set(models), f"the image lacks some of {only}")
    for model in models:
        if pairs:
            n = run_golden(dut, golden, model, only_first=False, prefix=pairs)
            print(f"{model}: {n} golden inferences ({pairs}*) equal", flush=True)
            total += n
            continue
        t0 = time.monotonic()
        n = run_golden(dut, golden, model, only_first=False)
        print(f"{model}: {n} golden inferences equal ({time.monotonic() - t0:.1f} s)", flush=True)
        total += n
    check(total > 0, "no goldens")


def mode_selftest(dut: Dut):
    models = [l for l in dut.command("model") if l.startswith("m-models-[")]
    check(len(models) == 1, "model: no m-models line")
    ids = models[0][len("m-models-["):-1].split(",")
    lines = dut.command("selftest", timeout=600, check=False)
    want = [f"m-selftest-[{i},{GOLDEN_DIRS[i]}/{SELFTEST_PAIRS[i]},pass]" for i in ids]
    want.append(f"m-selftest-done-[{len(ids)}/{len(ids)}]")
    check(lines == want, f"selftest printed {lines}, expected {want}")
    # Afterwards the staged input is gone and the active model unchanged.
    check(dut.command("infer 1 0", check=False)[0].startswith("e-[infer: no complete input"), "infer after selftest")
    print(f"selftest: {', '.join(ids)} equal to their goldens")


def mode_models(dut: Dut, expect: list[str], board_info: Path | None):
    """An image whose board leaves benchmarks out: `model` lists exactly the
    carried ones, `profile` names one of them, each can be selected, every
    left-out one is refused as unknown; board-info.json says what and why."""
    lines = dut.command("model")
    got = [l for l in lines if l.startswith("m-models-[")]
    check(got == [f"m-models-[{','.join(expect)}]"], f"model: {got}, expected the models {expect}")
    check(dut.profile().get("model") in expect, f"profile names {dut.profile().get('model')}")
    for m in expect:
        check(dut.command(f"model {m}") == [f"m-model-[{m}]"], f"model {m}")
        check(dut.profile().get("model") == m, f"profile after model {m}")
    left_out = [m for m in GOLDEN_DIRS if m not in expect]
    check(left_out != [], "the image carries every benchmark: nothing to check")
    for m in left_out:
        expect_error(dut, f"model {m}", "unknown id")
    if board_info:
        info = json.loads(board_info.read_text())
        check(info.get("models") == expect and info.get("models_left_out") == left_out,
              f"board-info.json: models {info.get('models')}, left out {info.get('models_left_out')}")
        check(bool(info.get("models_note")), "board-info.json: no models_note saying why")
    print(f"models: exactly {', '.join(expect)}; {', '.join(left_out)} refused as unknown")


def count_falls_native(log: Path) -> int:
    return sum(1 for l in log.read_text().splitlines() if l.startswith("fall "))


def count_falls_qemu(trace: Path) -> int:
    return sum(1 for l in trace.read_text().splitlines()
               if "led_change_intensity" in l and "USERLED0" in l and "100% -> 0%" in l)


def energy_session(dut: Dut, golden: Path) -> int:
    """Runs timestamp + infer 3 2 + infer 1 0; returns the falling edges expected."""
    d, manifest = load_manifest(golden, "kws01")
    dut.select_model("kws01")
    lines = dut.command("timestamp")
    check(not any(l.startswith("m-lap-us") for l in lines), "energy timestamp printed a lap line")
    dut.load((d / manifest["pairs"][0]["input"]).read_bytes())
    for n, w in ((3, 2), (1, 0)):
        r = dut.infer(n, w)
        check(r["laps_us"] == [], "energy infer printed m-lap-us lines")
    return 1 + 2 + 2


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", choices=["boot", "protocol", "goldens", "selftest", "energy", "models"], required=True)
    ap.add_argument("--expect-models", help="--mode models: the ids the image must carry, comma-separated")
    ap.add_argument("--only", help="--mode goldens: these models only (comma-separated)")
    ap.add_argument("--skip", default="", help="--mode goldens: not these models (comma-separated)")
    ap.add_argument("--pairs", help="--mode goldens: only the pairs whose id starts with this")
    ap.add_argument("--board-info", type=Path, help="--mode models: the image's board-info.json")
    ap.add_argument("--golden", type=Path)
    ap.add_argument("--board-name", help="expected name after 'tinyperf '")
    ap.add_argument("argv", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    argv = a.argv[1:] if a.argv and a.argv[0] == "--" else a.argv

    tmp = tempfile.TemporaryDirectory()
    side = Path(tmp.name) / "pin.log"
    stderr = None
    if a.mode == "energy":
        if "qemu-system-arm" in Path(argv[0]).name:
            argv = argv + ["-trace", "led_change_intensity"]
            stderr = open(side, "w")
        else:
            argv = argv + ["--pin-log", str(side)]
    dut = Dut(ProcessTransport(argv, stderr=stderr))
    try:
        banner = dut.banner(timeout=30)
        mode_line = "m-timestamp-mode-energy" if a.mode == "energy" else "m-timestamp-mode-performance"
        check(banner == [mode_line, "m-init-done"], f"banner: {banner}")
        name = dut.name()
        if a.board_name:
            check(name == f"tinyperf {a.board_name}", f"name: {name}")
        if a.mode == "protocol":
            mode_protocol(dut, a.golden)
        elif a.mode == "goldens":
            mode_goldens(dut, a.golden, a.only.split(",") if a.only else None,
                         [m for m in a.skip.split(",") if m], a.pairs)
        elif a.mode == "selftest":
            mode_selftest(dut)
        elif a.mode == "models":
            mode_models(dut, a.expect_models.split(","), a.board_info)
        elif a.mode == "energy":
            expected = energy_session(dut, a.golden)
            dut.close()
            if stderr:
                stderr.close()
            time.sleep(0.2)
            falls = count_falls_qemu(side) if stderr else count_falls_native(side)
            check(falls == expected, f"energy pin: {falls} falling edges, expected {expected}")
            print(f"energy pin: {falls} falling edges as expected")
    except (DutError, Failure) as e:
        print(f"FAIL: {e}", file=sys.stderr)
        print("last lines from the DUT:", *dut.log[-8:], sep="\n  ", file=sys.stderr)
        return 1
    finally:
        dut.close()
    print(f"{a.mode}: OK ({name})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
