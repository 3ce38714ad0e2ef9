#!/usr/bin/env python3
"""Differential fuzzing of the model compiler: accepted must mean it runs clean.

  python3 host_tests/fuzz/differential.py --compiler build/native/tools/model_compiler/tinyperf-compile \
      --models ../shared/mlperf-tiny/models --work build/native/fuzz-differential --seconds 60

Mutates the reference models (bytes anywhere in the flatbuffer, or in the
buffers that hold weights, biases and quantization parameters, where most
mutants stay valid models with extreme values), compiles each mutant with
tinyperf-compile, and every mutant the compiler ACCEPTS is emitted, built into
a small native program with the engine's kernels under AddressSanitizer and
UBSan (differential_driver.cc) and run on random inputs over an arena of the
planned size. A compiler crash, or an accepted model that does not run clean,
is a finding: its model is kept in <work>/findings/ and the run exits 1.
The last line: mutants tried, refused, accepted and run clean, findings.
"""
from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SEEDS = ["ad01_int8.tflite", "kws_ref_model.tflite"]  # the small ones: quick to build
SAN = ["-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-fno-omit-frame-pointer"]


def engine_objects(work: Path, cxx: str) -> list[Path]:
    """The engine's reference kernels compiled once with the sanitizers."""
    srcs = sorted((ROOT / "engine/kernels/reference").glob("*.cc")) + \
        [ROOT / "engine/kernels/backends/reference/dispatch.cc"]
    objs = []
    (work / "obj").mkdir(parents=True, exist_ok=True)
    for s in srcs:
        o = work / "obj" / (s.stem + ".o")
        if not o.exists():
            subprocess.run([cxx, "-std=c++20", "-O1", "-g", *SAN, "-DTP_KERNEL_BACKEND_reference=1",
                            f"-I{ROOT}/engine/include", "-c", str(s), "-o", str(o)], check=True)
        objs.append(o)
    return objs


def keep_finding(findings: Path, kind: str, n: int, name: str, mutant: bytes, why: str, log: str):
    findings.mkdir(exist_ok=True)
    keep = findings / f"{kind}-{n}-{name}"
    keep.write_bytes(mutant)
    print(f"differential: FINDING: {why}: {keep}\n{log[-3000:]}", file=sys.stderr)


def mutate(model: bytes, rng: random.Random) -> bytes:
    data = bytearray(model)
    n = rng.choice([1, 1, 2, 4, 16])
    if rng.random() < 0.7:
        lo = len(data) // 4  # past the schema's tables: mostly buffers (weights, biases, scales)
    else:
        lo = 0
    for _ in range(n):
        i = rng.randrange(lo, len(data))
        data[i] = rng.choice([0x00, 0xFF, 0x7F, 0x80, rng.randrange(256), data[i] ^ (1 << rng.randrange(8))])
    return bytes(data)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--compiler", required=True, type=Path)
    ap.add_argument("--models", required=True, type=Path)
    ap.add_argument("--work", required=True, type=Path)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--max-builds", type=int, default=0, help="stop after this many accepted mutants (0: no limit)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cxx", default="g++")
    a = ap.parse_args()
    seeds = [(name, (a.models / name).read_bytes()) for name in SEEDS if (a.models / name).is_file()]
    if not seeds:
        print(f"differential: no seed model in {a.models}", file=sys.stderr)
        return 1
    a.work.mkdir(parents=True, exist_ok=True)
    objs = engine_objects(a.work, a.cxx)
    driver = a.work / "obj" / "driver.o"
    if not driver.exists():
        gen = a.work / "gen0"
        subprocess.run([str(a.compiler), "--quiet", "--out-dir", str(gen), "--registry-dir", str(gen),
                        "--id", "fz", str(a.models / seeds[0][0])], check=True, capture_output=True)
        subprocess.run([a.cxx, "-std=c++20", "-O1", "-g", *SAN, f"-I{ROOT}/engine/include",
                        f"-I{gen}/include", "-c", str(HERE / "differential_driver.cc"), "-o", str(driver)],
                       check=True)
    rng = random.Random(a.seed)
    stats = {"tried": 0, "refused": 0, "accepted": 0, "clean": 0, "findings": 0}
    end = time.monotonic() + a.seconds
    findings = a.work / "findings"
    while time.monotonic() < end and (not a.max_builds or stats["accepted"] < a.max_builds):
        name, model = rng.choice(seeds)
        mutant = mutate(model, rng)
        stats["tried"] += 1
        case = a.work / "case"
        shutil.rmtree(case, ignore_errors=True)
        case.mkdir()
        (case / "m.tflite").write_bytes(mutant)
        r = subprocess.run([str(a.compiler), "--quiet", "--out-dir", str(case), "--registry-dir", str(case),
                            "--id", "fz", str(case / "m.tflite")], capture_output=True, text=True, timeout=120)
        if r.returncode < 0 or r.returncode > 1:
            stats["findings"] += 1
            keep_finding(findings, "compiler", stats["tried"], name, mutant,
                         f"the compiler died ({r.returncode}) on a mutant of {name}", r.stderr)
            continue
        if r.returncode == 1:
            stats["refused"] += 1
            continue
        stats["accepted"] += 1
        exe = case / "run"
        b = subprocess.run([a.cxx, "-std=c++20", "-O1", "-g", *SAN, "-DTP_KERNEL_BACKEND_reference=1",
                            f"-I{ROOT}/engine/include", f"-I{case}/include", str(case / "model_fz.cc"),
                            str(case / "registry.cc"), str(driver), *map(str, objs), "-o", str(exe)],
                           capture_output=True, text=True)
        if b.returncode != 0:
            stats["findings"] += 1
            keep_finding(findings, "build", stats["tried"], name, mutant,
                         "accepted but its C++ does not build", b.stderr)
            continue
        run = subprocess.run([str(exe), str(rng.randrange(1 << 30)), "3"], capture_output=True, text=True,
                             timeout=300)
        if run.returncode != 0:
            stats["findings"] += 1
            keep_finding(findings, "run", stats["tried"], name, mutant,
                         "accepted but does not run clean", run.stderr)
            continue
        stats["clean"] += 1
    print("differential: " + ", ".join(f"{k} {v}" for k, v in stats.items()))
    return 1 if stats["findings"] else 0


if __name__ == "__main__":
    sys.exit(main())
