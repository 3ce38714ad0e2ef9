#!/usr/bin/env python3
"""sww01 streaming on the native image (app/sww_stream_native.h): the kernel
session per `start` .. `stop`, in one process.

    sww_native_test.py IMAGE DATASETS_DIR

- without --audio, `start` is refused with one e- line (then m-ready), `stop`
  says the stream is idle;
- with --audio, the runner's short test streamed twice in the same process,
  the feeder holding the blocks after the file's tail (the DUT's clock then
  waits): 2 TP / 0 FP / 1 FN each time, the same detections with the same
  hop, due time, WW_DETECTED time and score, the same hops and class-0 score
  on each, the same busy and elapsed time (the M4's charge), 0 underruns;
- a `serve run` between the two streams (the kernel's host port brought up
  by serving in between) changes nothing; `serve stream` is refused;
- while streaming: `name` is answered, a second `start` ignored as the
  reference does, `hops` refused;
- --audio-clock cpu: the same hops detect with the same scores (the times are
  this host's);
- the host closing the audio line mid-stream: `stop` still answers (the
  missing blocks counted as underruns) and the image keeps serving;
- the console closing mid-stream: the process ends (status 0).
"""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tinyperf_cli import sww_stream
from tinyperf_cli.dut import Dut, ProcessTransport

failures = []


def check(ok: bool, what: str):
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    if not ok:
        failures.append(what)


def stream_twice(image: str, audio: bytes, test, clock: str):
    tmp = tempfile.TemporaryDirectory(prefix="tp-sww-native-")
    feeder = sww_stream.AudioFeeder(os.path.join(tmp.name, "audio.sock"))
    dut = Dut(ProcessTransport([image, "--audio", feeder.path, "--audio-clock", clock]))
    try:
        dut.banner()
        runs = []
        for _ in range(2 if clock == "m4" else 1):
            r = sww_stream.run_stream(dut, feeder, audio, test.wav_file, hold=clock == "m4")
            runs.append(r)
            if clock == "m4" and len(runs) == 1:  # a serving run (its own kernel session) between the two
                dut.command("serve clear", timeout=10)
                dut.command("serve task p,ad01,5000,0,4000,1,-,-", timeout=10)
                run = [l for l in dut.command("serve run 20000", timeout=60) if l.startswith("m-serve-run-[")]
                check(len(run) == 1 and "jobs=4," in run[0], f"serve run between two streams: {run}")
                lines = dut.command("serve stream w,30000,5", check=False)
                check(any(l.startswith("e-[serve: stream:") for l in lines), f"serve stream refused on native: {lines}")
            counts = sww_stream.scored(r, test).counts
            check(counts == (2, 0, 1), f"{clock}: stream {len(runs)} scores {counts} TP/FP/FN, want (2, 0, 1)")
            check(r.underruns == 0, f"{clock}: stream {len(runs)}: {r.underruns} underruns")
        if clock == "m4":
            a, b = runs
            n = (len(audio) + 2 * sww_stream.HOP - 1) // (2 * sww_stream.HOP)
            check(a.detections == b.detections and len(a.detections) > 2,
                  f"m4: the same {len(a.detections)} detections (hop, due, pin, score) in both streams")
            held = n + sww_stream.TAIL_HOPS + sww_stream.PREFETCH
            check(a.hops == b.hops == held, f"m4: {a.hops} and {b.hops} hops, the {held} blocks the feeder gave")
            check(a.activations == b.activations and len(a.activations) == held,
                  f"m4: the same class-0 score on each of the {len(a.activations)} hops")
            # The charge: the M4's measured instructions per hop at 1 ns each
            # (boards/native/m4_layer_instructions.json, what the image compiles in).
            table = Path(__file__).resolve().parents[2] / "boards" / "native" / "m4_layer_instructions.json"
            charge_us = json.loads(table.read_text())["sww01_hop_instructions"] / 1000
            check((a.busy_us, a.elapsed_us) == (b.busy_us, b.elapsed_us) and
                  charge_us - 1 < a.busy_us / a.hops < charge_us + 1,
                  f"m4: busy {a.busy_us} / {b.busy_us} us, elapsed {a.elapsed_us} / {b.elapsed_us} us "
                  f"({a.busy_us / a.hops:.3f} us a hop: the M4's charge)")
            check(all(int(charge_us) <= pin - due <= int(charge_us) + 1 for _, due, pin, _, _ in a.detections),
                  f"m4: every WW_DETECTED time is its due time + the hop's charge ({charge_us} us)")
        # Commands while streaming.
        dut.command("stop", check=False)
        feeder.play(audio)
        lines = dut.command("start", check=False)
        check(lines[:2] == ["Received command: start", "Listening for I2S data ... "], f"start: {lines}")
        time.sleep(0.1)
        check(any(l.startswith("m-name-dut-[") for l in dut.command("name", check=False)),
              "name answered while streaming")
        lines = dut.command("start", check=False)
        check("I2S Rx currently in progress. Ignoring request" in lines, f"second start ignored: {lines}")
        lines = dut.command("hops 1", check=False)
        check(any(l.startswith("e-[hops: sww01 is streaming") for l in lines), f"hops refused: {lines}")
        lines = dut.command("stop", check=False)
        check(any(l.startswith("m-sww-stats-[") for l in lines), "stop reports m-sww-stats")
        return runs
    finally:
        dut.close()
        feeder.close()
        tmp.cleanup()


def closed_line(image: str):
    with tempfile.TemporaryDirectory(prefix="tp-sww-native-") as d:
        path = os.path.join(d, "audio.sock")
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(path)
        server.listen(1)
        dut = Dut(ProcessTransport([image, "--audio", path]))
        try:
            server.settimeout(10)
            conn = server.accept()[0]
            dut.banner()
            dut.command("start", check=False)
            time.sleep(0.2)
            conn.close()  # the host goes away mid-stream, no block sent
            time.sleep(0.2)
            lines = dut.command("stop", timeout=30, check=False)
            _, stats = sww_stream.parse_lines(lines)
            check(stats is not None and stats[3] >= 1, f"closed audio line: stop answers, underruns counted: {stats}")
            check(any(l.startswith("m-name-dut-[") for l in dut.command("name", check=False)),
                  "closed audio line: the image keeps serving")
        finally:
            dut.close()
            server.close()


def console_closed(image: str, audio: bytes):
    with tempfile.TemporaryDirectory(prefix="tp-sww-native-") as d:
        feeder = sww_stream.AudioFeeder(os.path.join(d, "audio.sock"))
        feeder.play(audio)
        p = subprocess.Popen([image, "--audio", feeder.path], stdin=subprocess.PIPE,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        p.stdin.write(b"start%")
        p.stdin.flush()
        time.sleep(0.3)
        p.stdin.close()
        try:
            rc = p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()
            rc = "still running 20 s after"
        check(rc == 0, f"console closed mid-stream: exit status {rc}")
        feeder.close()


def main() -> int:
    image, datasets = sys.argv[1], Path(sys.argv[2])
    tests, wav_dir = sww_stream.find_test(datasets, "short")
    test = tests[0]
    audio = sww_stream.read_channel0(wav_dir / test.wav_file)

    dut = Dut(ProcessTransport([image]))
    try:
        dut.banner()
        lines = dut.command("start", check=False)
        check(len([l for l in lines if l.startswith("e-[")]) == 1, f"no --audio: start refused: {lines}")
        lines = dut.command("stop", check=False)
        check("I2S is already idle.  Ignoring stop request" in lines, f"no --audio: stop: {lines}")
    finally:
        dut.close()

    m4 = stream_twice(image, audio, test, "m4")
    cpu = stream_twice(image, audio, test, "cpu")
    check(cpu[0].key() == m4[0].key(), "cpu clock: the same hops detect with the same scores as under m4")
    closed_line(image)
    console_closed(image, audio)
    print(f"{len(failures)} failed" if failures else "all passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
