#!/usr/bin/env python3
"""Writes an EnergyRunner dataset folder for ic02 from its golden pairs:
<out>/ic01/y_labels.csv (ic02 reads ic01's dataset folder, as the official
runner's tests_*.yaml does) naming each golden input whose TFLM output has a
single top class, labelled with that class. `./tinyperf bench --accuracy
--model ic02 --dataset <out>` must then score every file: the engine is
bit-exact with TFLM, so its top-1 is TFLM's on each file (a check of the
dataset mapping and the input conversion end to end, not of the model's
accuracy: ic01's 200 CIFAR-10 images are not here).

  ic02_golden_dataset.py --golden ../shared/mlperf-tiny/golden --out DIR
Prints the count of files, for --expect ic02=N/N.
"""
import argparse
import json
import shutil
from pathlib import Path


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--golden", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args()
    src = a.golden / "ic02"
    manifest = json.loads((src / "manifest.json").read_text())
    d = a.out / "ic01"
    if d.exists():
        shutil.rmtree(d)
    d.mkdir(parents=True)
    rows = []
    for p in manifest["pairs"]:
        if p.get("argmax_tied"):
            continue
        name = f"{p['id']}.bin"
        shutil.copyfile(src / p["input"], d / name)
        rows.append(f"{name},10,{int(p['argmax'])}")
    (d / "y_labels.csv").write_text("\n".join(rows) + "\n")
    print(len(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
