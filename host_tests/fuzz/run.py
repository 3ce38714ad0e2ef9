#!/usr/bin/env python3
"""Builds and runs the libFuzzer targets of host_tests/fuzz (ASan + UBSan, clang).

  python3 host_tests/fuzz/run.py --build-dir build/fuzz --seconds 30 [--target protocol] \
      [--models /work/shared/mlperf-tiny/models]

Each target first replays every file kept in host_tests/fuzz/corpus/<target>/
(the seeds and every input that ever found a fault: a regression test), then
fuzzes for --seconds from those seeds (the compiler also from the .tflite
models of --models and hostile-name variants of them, made here at run time;
models are never committed). A finding makes the run exit non-zero and leaves
the input as <build-dir>/findings/<target>/crash-*; keep it in the corpus once
fixed. The last line per target: executions, coverage and findings.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGETS = {"protocol": {"max_len": 512}, "compiler": {"max_len": 600_000}}
# Same-length replacements for names inside a model (the flatbuffer stays
# valid): quotes, comment ends, backslashes, newlines, format directives.
HOSTILE = [b'"', b"*/", b"\\", b"\n", b"%s%n", b"??/", b"\x00", b"\xff", b"${x}", b"#define "]


def hostile_variants(model: bytes) -> list[bytes]:
    """Copies of `model` with its printable strings (tensor, operator and
    signature names) overwritten by hostile bytes of the same length."""
    out = []
    names = [m for m in re.finditer(rb"[A-Za-z_][A-Za-z0-9_/:.;-]{5,}", model)]
    for k, bad in enumerate(HOSTILE):
        data = bytearray(model)
        for m in names[k % 3::3]:
            s, e = m.span()
            data[s:e] = (bad * (e - s))[:e - s]
        out.append(bytes(data))
    return out


def build(build_dir: Path, targets: list[str]):
    env = dict(os.environ)
    if not (build_dir / "CMakeCache.txt").exists():
        subprocess.run(["cmake", "-S", str(HERE), "-B", str(build_dir),
                        "-DCMAKE_CXX_COMPILER=clang++", "-DCMAKE_BUILD_TYPE="],
                       check=True, env=env, stdout=subprocess.DEVNULL)
    subprocess.run(["cmake", "--build", str(build_dir), "-j2", "--target"]
                   + [f"{t}_fuzzer" for t in targets], check=True, env=env,
                   stdout=subprocess.DEVNULL)


def run_target(name: str, build_dir: Path, seconds: int, models: Path | None) -> bool:
    exe = build_dir / f"{name}_fuzzer"
    kept = HERE / "corpus" / name
    work = build_dir / "corpus" / name
    findings = build_dir / "findings" / name
    for d in (work, findings):
        shutil.rmtree(d, ignore_errors=True)
        d.mkdir(parents=True)
    seeds = sorted(p for p in kept.iterdir() if p.is_file()) if kept.is_dir() else []
    if name == "compiler" and models and models.is_dir():
        for m in sorted(models.glob("*.tflite")):
            data = m.read_bytes()
            (work / m.name).write_bytes(data)
            for i, v in enumerate(hostile_variants(data)):
                (work / f"{m.stem}.hostile{i}.tflite").write_bytes(v)
    opts = [f"-max_len={TARGETS[name]['max_len']}", "-timeout=25", "-rss_limit_mb=4096",
            f"-artifact_prefix={findings}/", "-print_final_stats=1"]
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=1:abort_on_error=1",
               UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1")
    # 1. the kept inputs, once each (regression)
    if seeds:
        r = subprocess.run([str(exe), *opts, *map(str, seeds)], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if r.returncode != 0:
            print(r.stdout[-4000:])
            print(f"fuzz {name}: a kept input fails again (regression)")
            return False
    # 2. fuzzing
    # the kept folder joins the corpus only where it exists (git keeps no empty folder)
    dirs = [str(work)] + ([str(kept)] if kept.is_dir() else [])
    r = subprocess.run([str(exe), *opts, f"-max_total_time={seconds}", *dirs],
                       env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    runs = re.findall(r"stat::number_of_executed_units:\s*(\d+)", r.stdout)
    cov = re.findall(r"cov: (\d+)", r.stdout)
    found = sorted(p.name for p in findings.iterdir())
    print(f"fuzz {name}: {runs[-1] if runs else '?'} executions in {seconds} s, "
          f"{len(seeds)} kept inputs replayed, coverage {cov[-1] if cov else '?'} edges, "
          f"{len(found)} findings{': ' + ', '.join(found) if found else ''}")
    if r.returncode != 0 or found:
        print(r.stdout[-6000:])
        return False
    return True


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build-dir", default="build/fuzz")
    ap.add_argument("--seconds", type=int, default=30, help="fuzzing time per target")
    ap.add_argument("--target", action="append", choices=list(TARGETS))
    ap.add_argument("--models", help="directory of .tflite models seeding the compiler target")
    ap.add_argument("--no-build", action="store_true")
    a = ap.parse_args()
    targets = a.target or list(TARGETS)
    build_dir = Path(a.build_dir).resolve()
    if shutil.which("clang++") is None:
        print("fuzz: clang++ is missing (./tinyperf setup installs clang)")
        return 1
    if not a.no_build:
        build(build_dir, targets)
    ok = True
    for t in targets:
        ok &= run_target(t, build_dir, a.seconds, Path(a.models) if a.models else None)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
