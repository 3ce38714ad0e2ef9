#!/usr/bin/env python3
"""The golden self-test is cross-compiled into a non-Arm image: for every
model the image holds (its generated registry.h), the ELF has the golden
input and output arrays of the `selftest` command with the sizes of the
golden files, and the pair table. Neither target has an emulator here, so
this is as far as the golden tests go for them (run `selftest` on a board).

  check_selftest.py --build DIR --nm NM --golden GOLDEN_DIR
"""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

FOLDERS = {"kws01": "kws", "vww01": "vww", "ic01": "ic", "ad01": "ad"}
FOLDERS["sww01"] = "sww01"
# Golden folders whose pairs are <pair>.input.bin / .output.bin
# (benchmarks/<id>/benchmark.json "golden_suffixes").
FILE_NAMES = {"sww01": {"in": "input", "out": "output"}}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", type=Path, required=True)
    ap.add_argument("--nm", required=True)
    ap.add_argument("--golden", type=Path, required=True)
    a = ap.parse_args()
    elf = a.build / "tinyperf.elf"
    if not elf.exists() or shutil.which(a.nm) is None:
        print(f"SKIPPED: no image at {elf} or no {a.nm}")
        return 0
    registry = (a.build / "generated/include/tinyperf/models/registry.h").read_text()
    models = [m.lower() for m in re.findall(r"#define TINYPERF_HAS_MODEL_([A-Z0-9]+) 1", registry)]
    if not models:
        print("FAIL: no models in the image's registry")
        return 1
    out = subprocess.run([a.nm, "-S", "-C", str(elf)], check=True, capture_output=True, text=True).stdout
    sizes = {}
    for line in out.splitlines():
        parts = line.split(maxsplit=3)
        if len(parts) == 4:
            sizes[parts[3]] = int(parts[1], 16)
    ok = True
    if "tp::bench::kSelftestPairs" not in sizes:
        print("FAIL: tp::bench::kSelftestPairs missing")
        ok = False
    for m in models:
        for suffix, name in (("In", "in"), ("Out", "out")):
            sym = f"tp::bench::kSelftest_{m}_{suffix}"
            fname = FILE_NAMES.get(m, {}).get(name, name)
            want = (a.golden / FOLDERS[m] / f"random_00.{fname}.bin").stat().st_size
            got = sizes.get(sym)
            if got != want:
                print(f"FAIL: {sym}: {got} bytes in the image, golden file has {want}")
                ok = False
    if ok:
        print(f"selftest golden pairs cross-compiled for {', '.join(models)} ({elf})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
