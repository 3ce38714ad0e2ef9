#!/usr/bin/env python3
"""A faulty serial link between `tinyperf bench` and a native DUT, and the test
that `bench` survives it.

  linkfault.py proxy --fault KIND [--at N] -- IMAGE [ARGS]
      runs IMAGE and relays its console, injecting one fault of KIND:
        flip        one bit of one host->DUT digit, at byte N or the next digit after it
        drop        host->DUT byte N is lost
        dup         host->DUT byte N arrives twice
        delay       every chunk, both ways, is held 0-50 ms (seeded)
        disconnect  at host->DUT byte N the DUT is killed and the link closes
  linkfault.py test --image build/native/tinyperf --dataset DIR [--limit 20]
      runs `python3 -m tinyperf_cli bench --accuracy --model kws01` on the image
      cleanly, then once per fault through the proxy, and checks each run
      either ends with exactly the clean run's figures or exits non-zero with
      a `tinyperf: error:` line, never a traceback, never past its time limit.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import selectors
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FAULTS = ["flip", "drop", "dup", "delay", "disconnect"]
ROOT = Path(__file__).resolve().parents[2]


def proxy(fault: str, at: int, seed: int, argv: list[str], note: str | None) -> int:
    def said(text):
        if note:
            with open(note, "a") as f:
                f.write(text + "\n")

    rng = random.Random(seed)
    child = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)
    sel = selectors.DefaultSelector()
    sel.register(0, selectors.EVENT_READ, "up")
    sel.register(child.stdout, selectors.EVENT_READ, "down")
    sent = 0          # host->DUT bytes relayed so far
    done = fault in ("delay",)
    while True:
        for key, _ in sel.select(1.0):
            if key.data == "up":
                data = os.read(0, 4096)
                if not data:
                    child.stdin.close()
                    child.wait()
                    return child.returncode or 0
                if not done and sent + len(data) > at:
                    i = at - sent if at >= sent else 0
                    if fault == "flip":
                        while i < len(data) and not 0x30 <= data[i] <= 0x39:
                            i += 1
                        if i < len(data):
                            data = data[:i] + bytes([data[i] ^ 0x01]) + data[i + 1:]
                            done = True
                    elif fault == "drop":
                        data, done = data[:i] + data[i + 1:], True
                    elif fault == "dup":
                        data, done = data[:i + 1] + data[i:], True
                    elif fault == "disconnect":
                        said(f"disconnect at host->DUT byte {at}")
                        child.kill()
                        child.wait()
                        return 0
                    if done:
                        said(f"{fault} at host->DUT byte {sent + i}")
                sent += len(data)
                if fault == "delay":
                    time.sleep(rng.random() * 0.05)
                child.stdin.write(data)
                child.stdin.flush()
            else:
                data = child.stdout.read(4096)
                if not data:
                    return child.wait()
                if fault == "delay":
                    time.sleep(rng.random() * 0.05)
                os.write(1, data)


def bench(image: Path, dataset: str, limit: int, json_path: Path, timeout: float):
    argv = [sys.executable, "-m", "tinyperf_cli", "bench", "--board", "native", "--image", str(image),
            "--accuracy", "--model", "kws01", "--dataset", dataset, "--limit", str(limit),
            "--json", str(json_path)]
    env = dict(os.environ, PYTHONPATH=str(ROOT / "tools"))
    t = time.monotonic()
    try:
        r = subprocess.run(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, "", time.monotonic() - t
    return r, r.stderr, time.monotonic() - t


def figures(json_path: Path) -> tuple:
    rec = json.loads(json_path.read_text())
    acc = [r for r in rec["results"] if r["mode"] == "accuracy"][0]
    return (acc["correct"], acc["total"]), rec.get("load_retries", 0), rec.get("inputs_verified")


def test(a) -> int:
    image = Path(a.image).resolve()
    tmp = Path(tempfile.mkdtemp(prefix="tp-linkfault-"))
    clean, err, _ = bench(image, a.dataset, a.limit, tmp / "clean.json", a.timeout)
    if clean is None or clean.returncode != 0:
        print(f"linkfault: the clean run failed:\n{err}")
        return 1
    want, _, verified = figures(tmp / "clean.json")
    print(f"linkfault: clean run: kws01 {want[0]}/{want[1]} (inputs verified by db crc: {verified})")
    failures, rows = 0, []
    for fault in a.fault or FAULTS:
        d = tmp / fault
        d.mkdir()
        wrapper = d / "tinyperf"
        wrapper.write_text(f"#!/bin/sh\nexec {sys.executable} {Path(__file__).resolve()} proxy "
                           f"--fault {fault} --at {a.at} --note {d / 'fault.txt'} -- {image} \"$@\"\n")
        wrapper.chmod(0o755)
        (d / "board-info.json").write_text(json.dumps(
            {"board": "native", "kind": "host", "image": str(wrapper), "qemu": []}))
        r, err, wall = bench(wrapper, a.dataset, a.limit, d / "r.json", a.timeout)
        struck = (d / "fault.txt").read_text().strip() if (d / "fault.txt").exists() else ""
        if fault != "delay" and not struck:
            rows.append((fault, "the fault never struck (--at past the run's traffic)", 0, False))
            failures += 1
            print(f"linkfault: {fault:10s} FAIL the fault never struck")
            continue
        errline = next((l for l in err.splitlines() if l.startswith("tinyperf: error:")), "")
        if r is None:
            outcome, ok = f"HUNG (killed after {a.timeout:g} s)", False
        elif "Traceback" in err:
            outcome, ok = "traceback", False
        elif r.returncode == 0:
            got, retries, _ = figures(d / "r.json")
            ok = got == want
            outcome = (f"exit 0, same figure {got[0]}/{got[1]}, {retries} load retries" if ok else
                       f"exit 0 with a DIFFERENT figure {got[0]}/{got[1]} (clean {want[0]}/{want[1]})")
            if fault == "flip" and not verified:
                outcome += (" (UNVERIFIED: this firmware has no `db crc`, the flipped digit went "
                            "unseen and the figure is the same only because that file's top-1 held)")
        else:
            ok = bool(errline)
            outcome = f"exit {r.returncode}: {errline[len('tinyperf: error: '):][:150]}" if ok else \
                f"exit {r.returncode} without an error line"
        rows.append((fault, outcome, wall, ok))
        failures += not ok
        print(f"linkfault: {fault:10s} {'ok  ' if ok else 'FAIL'} {wall:5.1f} s  "
              f"{(struck + ': ') if struck else ''}{outcome}")
        if not ok:
            print(err[-3000:])
    print(f"{len(rows) - failures} passed, {failures} failed")
    return 1 if failures else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("proxy")
    p.add_argument("--fault", choices=FAULTS, required=True)
    p.add_argument("--at", type=int, default=3000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--note", help="append what was injected, and where, to this file")
    p.add_argument("argv", nargs=argparse.REMAINDER)
    t = sub.add_parser("test")
    t.add_argument("--image", required=True)
    t.add_argument("--dataset", required=True)
    t.add_argument("--limit", type=int, default=20)
    t.add_argument("--at", type=int, default=9000, help="host->DUT byte where the fault strikes")
    t.add_argument("--timeout", type=float, default=120)
    t.add_argument("--fault", action="append", choices=FAULTS)
    a = ap.parse_args()
    if a.cmd == "proxy":
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
        argv = a.argv[1:] if a.argv[:1] == ["--"] else a.argv
        return proxy(a.fault, a.at, a.seed, argv, a.note)
    return test(a)


if __name__ == "__main__":
    sys.exit(main())
