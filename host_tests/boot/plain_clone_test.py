#!/usr/bin/env python3
"""A first run from a plain clone (issue #14): no ../shared beside it.

  plain_clone_test.py --repo DIR --models DIR --datasets DIR --host-tools DIR --work DIR
Clones the repository into WORK/clone (so ../shared is WORK/shared: absent),
lays out a file:// mirror of the models in the upstream repository's layout
and serves the kws01 dataset from DATASETS through TINYPERF_DATASETS_URL, then
runs the README's main job, `./tinyperf run`, in the clone (with this build's
model compiler, -D TINYPERF_HOST_TOOLS_DIR, to keep CI short). It must
download and check the models, fetch and check kws01's 1000 files, time all
four models on a generated input (no goldens) and print kws01's accuracy:
901/1000, as with ../shared.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

def declarations(repo: Path) -> list[dict]:
    """Every benchmarks/<id>/benchmark.json of the repository (model file and upstream path)."""
    return [json.loads(p.read_text()) for p in sorted((repo / "benchmarks").glob("*/benchmark.json"))]


def main():
    ap = argparse.ArgumentParser()
    for a in ("--repo", "--models", "--datasets", "--host-tools", "--work"):
        ap.add_argument(a, required=True, type=Path)
    a = ap.parse_args()
    shutil.rmtree(a.work, ignore_errors=True)
    a.work.mkdir(parents=True)
    clone = a.work / "clone"
    subprocess.run(["git", "clone", "--quiet", str(a.repo), str(clone)], check=True)
    if (clone.parent / "shared").exists():
        raise SystemExit("FAIL: the clone has a ../shared beside it")
    mirror = a.work / "mirror"
    decls = declarations(clone)
    for d in decls:  # the upstream layout: <model.upstream> under the mirror
        name, upstream = d["model"]["file"], Path(d["model"]["upstream"])
        (mirror / upstream.parent).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(a.models / name, mirror / upstream)
    env = dict(os.environ, TINYPERF_DATASETS_URL=f"file://{a.datasets.resolve()}")
    cmd = [str(clone / "tinyperf"), "run", "-D", f"TINYPERF_MODELS_URL=file://{mirror}",
           "-D", f"TINYPERF_HOST_TOOLS_DIR={a.host_tools}"]
    print("running:", " ".join(cmd), flush=True)
    r = subprocess.run(cmd, cwd=clone, env=env, capture_output=True, text=True, timeout=1500)
    out = r.stdout + r.stderr
    print(out[-4000:])
    if r.returncode != 0:
        raise SystemExit(f"FAIL: ./tinyperf run exited {r.returncode}")
    for model in (d["id"] for d in decls):
        if not re.search(rf"^{model}\s+performance\s+[0-9,]+ instr/inf", out, re.M):
            raise SystemExit(f"FAIL: no {model} performance figure")
    if not re.search(r"^kws01\s+accuracy\s+90\.1% top-1 \(901/1000\), target 90%: pass", out, re.M):
        raise SystemExit("FAIL: kws01 accuracy is not 901/1000")
    for must in ("generated input", "fetching the kws01 dataset"):
        if must not in out:
            raise SystemExit(f"FAIL: no '{must}' note: the plain-clone path was not taken")
    if not (clone / "build" / "datasets" / "kws01" / "y_labels.csv").is_file():
        raise SystemExit("FAIL: the dataset did not land in build/datasets")
    shutil.rmtree(a.work, ignore_errors=True)
    print(f"plain clone OK: models downloaded, kws01 fetched, {len(decls)} models timed, 901/1000")


if __name__ == "__main__":
    main()
