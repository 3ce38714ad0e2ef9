"""Writes boards/native/m4_layer_instructions.json: the Cortex-M4's measured
instructions per layer of every model (QEMU qemu_mps2_an386, -icount shift=0,
the `layers` command through `./tinyperf perf --layers`), which the native
image's `serve clock m4` charges to its virtual clock (1 instruction = 1 ns,
as under QEMU), and its instructions per sww01 hop (`hops 50`: features +
inference + rule), which the native sww01 stream charges per hop
(`--audio-clock m4`, app/sww_stream_native.cc). A snapshot: run this again when the M4's kernels change.

    python3 boards/native/m4_layer_table.py [--from PERF_JSON]
"""
import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent / "m4_layer_instructions.json"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--from", dest="src", help="an existing `./tinyperf perf --board qemu_mps2_an386 --layers "
                                               "--json` file instead of measuring")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        src = Path(args.src) if args.src else Path(d) / "perf.json"
        if not args.src:
            subprocess.run([str(ROOT / "tinyperf"), "perf", "--board", "qemu_mps2_an386", "--layers",
                            "--json", str(src)], check=True, stdout=subprocess.DEVNULL)
        perf = json.loads(src.read_text())
    res = next(r for r in perf["results"] if r["board"] == "qemu_mps2_an386")
    models = {}
    for m, row in res["models"].items():
        layers = row.get("layers")
        if not layers:
            sys.exit(f"{m}: no per-layer figures (was it measured with --layers?)")
        models[m] = {"ops": [l["op"] for l in layers], "instructions": [l["instructions"] for l in layers],
                     "inference_instructions": row["instructions"]}
    out = {"what": "instructions per layer on qemu_mps2_an386 (Cortex-M4, -icount shift=0), for the native "
                   "image's `serve clock m4`; written by boards/native/m4_layer_table.py",
           "git_revision": perf.get("git_revision"), "date": perf.get("date"), "models": models}
    if "sww01_hop" in res:  # the native sww01 stream's `--audio-clock m4` charge per hop (app/sww_stream_native.cc)
        out["sww01_hop_instructions"] = res["sww01_hop"]["instructions"]
        out["sww01_hop_git_revision"] = perf.get("git_revision")
    # One line a list: readable in a diff when the M4's counts move.
    body = ",\n".join(f'  "{m}": {{"ops": {json.dumps(v["ops"])},\n    "instructions": {json.dumps(v["instructions"])},\n'
                      f'    "inference_instructions": {v["inference_instructions"]}}}' for m, v in models.items())
    head = json.dumps({k: v for k, v in out.items() if k != "models"}, indent=1)[:-2]
    OUT.write_text(head + ',\n "models": {\n' + body + "\n }\n}\n")
    json.loads(OUT.read_text())  # well-formed
    print(f"{OUT.relative_to(ROOT)}: {', '.join(m + ' ' + str(len(v['ops'])) + ' layers' for m, v in models.items())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
