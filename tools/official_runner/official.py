#!/usr/bin/env python3
"""Runs the official MLPerf Tiny host runner, unchanged, against a tinyperf image.

1. Starts the image on a pseudo-terminal: the native board with --pty, a QEMU
   board with -serial pty and -icount shift=3 (10 s of DUT time in a few wall
   seconds: the runner waits at most 30 s for a line during `infer`; in
   performance mode, when the calibration shows that a window would take
   more than 20 s of wall time, as the M55's Helium does, QEMU restarts at a
   higher shift: shift_for_wall). Or uses a flashed board's --port.
2. Makes --model the active model (the runner picks its test and dataset from
   `profile`) and, in performance mode, times a few inferences to choose the
   `infer N W` count that makes a window span at least 10 s of DUT time; writes
   a copy of the runner's tests_performance.yaml with that count.
3. Runs the runner's main.py through run_runner.py (which lets it see the
   pseudo-terminal as a USB serial port) with devices_tinyperf.yaml, under
   Debian's python3, in --out; then prints its figure and any WARNING/ERROR
   line it printed (exit status 1 if there was one).

sww01 (--model sww01, QEMU boards and native): the runner's `stream` test needs an
interface board; sww_interface.py stands in for it on a second
pseudo-terminal, plays the test's wav into the DUT's audio UART (native: its
audio line, the same kind of Unix socket) and reports
the DUT's detections (devices_tinyperf_sww.yaml). The runner runs its
tests_performance.yaml's sww01 entry (`stream`), with the truth file of
--sww-test (the runner's own names sww_long_test.json); -icount shift=0,sleep=off (as `bench --model sww01`).

See README.md beside this file.
"""
from __future__ import annotations

import argparse
import os
import re
import selectors
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from tinyperf_cli import bench, datasets, metrics, project, sww_pins, sww_stream  # noqa: E402
from tinyperf_cli.dut import Dut, DutError, SerialTransport  # noqa: E402

RUNNER_PACKAGES = "python3-serial python3-yaml python3-numpy python3-sklearn python3-matplotlib python3-usb"
BAD_LINE = re.compile(r"WARNING|ERROR|Error|Traceback|Retrying|Lost bytes|not valid", re.I)


class Failure(Exception):
    pass


def start_on_pty(info: dict, icount_shift: int, console_log: str | None = None,
                 extra: list[str] | None = None) -> tuple[subprocess.Popen, str]:
    """Boots the image serving the protocol on a pseudo-terminal; returns it and the path.
    console_log: also write everything the DUT prints there (QEMU -chardev logfile,
    the native board's --console-log)."""
    if info["kind"] == "host":
        argv, pattern = [info["image"], "--pty", *(extra or [])], re.compile(r"^pty: (\S+)")
        if console_log:
            argv += ["--console-log", console_log]
    else:
        argv = project.launch_argv(info, icount_shift=icount_shift, extra=extra)
        i = argv.index("-serial")
        if console_log:
            argv[i:i + 2] = ["-chardev", f"pty,id=con0,logfile={console_log},logappend=off",
                             "-serial", "chardev:con0"]
        else:
            argv[i + 1] = "pty"
        pattern = re.compile(r"char device redirected to (\S+)")
    # the native board names its pty on stderr, QEMU on stdout
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    deadline, said = time.monotonic() + 15, []
    while time.monotonic() < deadline and sel.select(max(0.0, deadline - time.monotonic())):
        line = proc.stdout.readline()
        if not line:
            break
        said.append(line.rstrip())
        m = pattern.search(line)
        if m:
            # keep reading its output so the process never blocks on it
            threading.Thread(target=proc.stdout.read, daemon=True).start()
            print(f"official: {' '.join(argv)} serves {m.group(1)}", flush=True)
            return proc, m.group(1)
    proc.kill()
    proc.wait()
    raise Failure(f"no pseudo-terminal from {' '.join(argv)}: {' / '.join(said) or 'no output'}")


# The runner waits at most 30 s for `infer N W` to answer (serial_device.py):
# keep a window's wall time well under it.
WINDOW_WALL_MAX_S = 20.0


def shift_for_wall(shift: int, wall_per_dut: float, window_s: float) -> int:
    """The -icount shift at which a window of window_s DUT seconds takes at
    most WINDOW_WALL_MAX_S of wall time, given the wall seconds per DUT
    second measured at `shift` (each step up halves the instructions that
    10 s of DUT time hold, and so the wall time). Never below `shift`."""
    wall = wall_per_dut * window_s
    while wall > WINDOW_WALL_MAX_S and shift < 10:
        shift += 1
        wall /= 2
    return shift


def prepare(port: str, baud: int, model: str, mode: str, dataset: Path,
            timing: dict | None = None) -> int | None:
    """Makes `model` active; in performance mode returns the calibrated count
    (and puts the calibration's wall seconds per DUT second in
    timing["wall_per_dut"], the window's DUT seconds in timing["window_s"])."""
    dut = Dut(SerialTransport(port, baud))
    try:
        dut.sync()
        have, switchable = bench.models_on(dut)
        if model not in have:
            raise Failure(f"the firmware has no {model} (it has {', '.join(have)})")
        if switchable:
            dut.select_model(model)
        if mode != "p":
            return None
        plan = bench.Plan(models=[model], dataset=dataset, perf_input="dataset")
        data, source = bench.perf_input(plan, model)
        dut.load(data)
        spent = {"wall": 0.0, "dut_us": 0}

        def probe(n: int) -> int:
            t0 = time.monotonic()
            span = bench.run_window(dut, n, 1)["span_us"]
            spent["wall"] += time.monotonic() - t0
            spent["dut_us"] += span
            return span

        _, per_us = metrics.calibrate(probe)
        count = metrics.window_count(per_us, margin=1.1)
        if timing is not None:
            timing["wall_per_dut"] = spent["wall"] / max(spent["dut_us"] / 1e6, 1e-9)
            timing["window_s"] = count * per_us / 1e6
        print(f"official: {per_us:.1f} DUT us per inference on {Path(source).name}: "
              f"infer {count} makes a {count * per_us / 1e6:.1f} s window", flush=True)
        return count
    finally:
        dut.close()


def with_count(text: str, model: str, count: int) -> str:
    """The runner's tests_performance.yaml with `infer N W` of `model` set to count."""
    out, inside, done = [], False, False
    for line in text.splitlines(keepends=True):
        if re.match(r"^\S", line):
            inside = line.startswith(model + ":")
        elif inside and not done and (m := re.match(r"^(\s*- infer )\d+", line)):
            line, done = m.group(1) + str(count) + line[m.end():], True
        out.append(line)
    if not done:
        raise Failure(f"no 'infer N W' step for {model} in the runner's tests_performance.yaml")
    return "".join(out)


def run_runner(args, port: str, tests: Path, out: Path,
               interface_port: str | None = None) -> tuple[int, list[str]]:
    cmd = [args.python, str(HERE / "run_runner.py"), "--runner", str(args.runner), "--port", port]
    devices = "devices_tinyperf.yaml"
    if interface_port:
        cmd += ["--interface-port", interface_port]
        devices = "devices_tinyperf_sww.yaml"
    cmd += ["--", "-d", str(HERE / devices), "-t", str(tests),
            "-s", str(Path(args.dataset).resolve()), "-m", args.mode]
    print("official:", " ".join(cmd), flush=True)
    log = out / "runner-output.txt"
    lines = []
    with open(log, "w") as f:
        proc = subprocess.Popen(cmd, cwd=out, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True)
        for line in proc.stdout:
            f.write(line)
            lines.append(line.rstrip("\n"))
            if args.verbose:
                print("  |", line, end="")
            elif len(lines) % 2000 == 0:
                print(f"official: runner at {len(lines)} lines of output", flush=True)
        rc = proc.wait()
    print(f"official: runner output in {log}")
    return rc, lines


def summarize(lines: list[str], shift: int | None) -> dict:
    """The runner's figures from its output; under QEMU also instructions per
    inference, from the median window's DUT runtime and inference count."""
    text = "\n".join(lines)
    fig = {}
    if m := re.search(r"Median throughput is\s+([\d.]+) inf\./sec\.", text):
        fig["throughput_inf_per_s"] = float(m.group(1))
    windows = [(int(n), float(t)) for n, t in
               re.findall(r"^\s*# Inferences : (\d+)\s*\n\s*Runtime: ([\d.]+) sec\.", text, re.M)]
    if windows:
        fig["windows"] = [{"inferences": n, "runtime_s": t} for n, t in windows]
        if shift is not None:
            per_us = metrics.median([t * 1e6 / n for n, t in windows])
            fig["instructions_per_inference"] = round(metrics.instructions(per_us, shift))
    if m := re.search(r"Top 1% = ([\d.]+)", text):
        fig["top1_percent"] = float(m.group(1))
    if m := re.search(r"AUC = ([\d.]+)", text):
        fig["auc"] = float(m.group(1))
    # sww01 (streaming_ww_utils.summarize_sww_result)
    if m := re.search(r"Accuracy: (\d+) True positives, (\d+) False negatives, (\d+) False positives", text):
        fig["true_positives"], fig["false_negatives"], fig["false_positives"] = (
            int(x) for x in m.groups())
    if m := re.search(r"Average duty cycle: ([\d.e-]+)", text):
        fig["duty_cycle"] = float(m.group(1))
    return fig


SWW_TESTS = {"short": "sww_short_test.json", "med": "sww_med_test.json", "long": "sww_long_test.json"}


def with_truth(text: str, model: str, truth: str) -> str:
    """The runner's tests YAML with `model`'s truth_file set to `truth`."""
    out, inside, done = [], False, False
    for line in text.splitlines(keepends=True):
        if re.match(r"^\S", line):
            inside = line.startswith(model + ":")
        elif inside and not done and (m := re.match(r"^(\s*truth_file:\s*)\S+", line)):
            line, done = m.group(1) + truth + line[m.end():], True
        out.append(line)
    if not done:
        raise Failure(f"no truth_file for {model} in the runner's tests YAML")
    return "".join(out)


def run_sww(args, info: dict) -> int:
    """The runner's sww01 `stream` test against a QEMU or native DUT with the
    interface board stand-in (sww_interface.py)."""
    import tempfile
    sys.path.insert(0, str(HERE))
    import sww_interface

    if info["kind"] not in ("arm", "host"):
        raise Failure(f"sww01 streaming runs on the QEMU boards and native (the audio comes in on a "
                      f"second serial line); {info['board']} has no audio input")
    sd = Path(args.dataset) / "sww01"
    truth = SWW_TESTS.get(args.sww_test, args.sww_test)
    if not (sd / truth).is_file():
        raise Failure(f"no {sd / truth} (the runner's sww_data_dir/{truth}, with its wav beside it)")
    import json
    missing = [e["wav_file"] for e in json.loads((sd / truth).read_text()) if not (sd / e["wav_file"]).is_file()]
    if missing:
        raise Failure(f"{truth} plays {', '.join(missing)}, not in {sd} (the runner's sww_data_dir; "
                      f"the medium and long wavs are large: put them there, or give --dataset)")
    tests = args.out / "tests_sww01_tinyperf.yaml"
    tests.write_text(with_truth((args.runner / "tests_performance.yaml").read_text(), "sww01", truth))
    tmp = tempfile.TemporaryDirectory(prefix="tp-official-sww-")
    log = args.out / "dut-console.log"
    # native: nothing after the file (its clock waits for audio, so its hops are the file's)
    audio = sww_interface.AudioPort(os.path.join(tmp.name, "audio.sock"),
                                    hold_after_file=info["kind"] == "host")
    proc, board, pin_log = None, None, None
    try:
        if info["kind"] == "host":  # native: it connects itself
            proc, port = start_on_pty(info, args.icount_shift, console_log=str(log),
                                      extra=["--audio", audio.path])
        else:  # the stream's -icount (sleep=off: sww_stream.icount), as `bench --model sww01`;
            # the pins watched in QEMU's log (sww_pins), as `bench` does
            pin_log = str(args.out / "qemu-pins.log")
            proc, port = start_on_pty(info, None, console_log=str(log),
                                      extra=["-icount", sww_stream.icount(args.icount_shift),
                                             "-serial", f"unix:{audio.path}"] +
                                      sww_pins.qemu_args(sww_pins.machine_of(info["qemu"]), pin_log,
                                                         sww_pins.find_plugin()))
        prepare(port, args.baud, "sww01", "a", Path(args.dataset))
        board = sww_interface.InterfaceBoard(
            sd, audio, log, log=(lambda s: print("official:", s, flush=True)) if args.verbose else None,
            pin_log=pin_log)
        print(f"official: interface board stand-in on {board.port} (SD card: {sd}; "
              f"DUT console log: {log})", flush=True)
        t0 = time.monotonic()
        rc, lines = run_runner(args, port, tests, args.out.resolve(), interface_port=board.port)
        wall = time.monotonic() - t0
    finally:
        if board:
            board.close()
            for cmd, where in board.sources.items():
                print(f"official: interface board stand-in: {cmd}: {where}", flush=True)
        audio.close()
        stop(proc)
        tmp.cleanup()
    fig = summarize(lines, None)
    bad = [l for l in lines if BAD_LINE.search(l)]
    print(f"official: runner exit status {rc}, {wall:.0f} s; figures: {fig}")
    for l in lines:
        if re.search(r"^== File|Accuracy:|False negatives:|False positives:|Average duty cycle|"
                     r"Average period|Estimated throughput", l):
            print(f"official: runner: {l}")
    for l in bad[:20]:
        print(f"official: runner said: {l}")
    ok = rc == 0 and not bad and "true_positives" in fig
    note_activations(args.out, lines)
    if args.expect:
        want = sww_stream.parse_expect(args.expect)
        got = (fig.get("true_positives"), fig.get("false_positives"), fig.get("false_negatives"))
        if got != want:
            print(f"official: error: the runner scored {got} TP/FP/FN, expected {want}")
            ok = False
    return 0 if ok else 1


def note_activations(out: Path, lines: list[str]):
    """The runner keeps the DUT's `stop` list ("target activations:") in
    results.json; says how many values it holds against the DUT's hop count."""
    import json
    m = next((re.search(r"Session logged in file (\S+)", l) for l in lines
              if "Session logged in file" in l), None)
    log = Path(out) / Path(m.group(1)).parent / "results.json" if m else None
    console = Path(out) / "dut-console.log"
    stats = re.findall(r"m-sww-stats-\[(\d+),", console.read_text(errors="replace")) if console.exists() else []
    if not log or not log.exists() or not stats:
        return
    acts = [len(r.get("activations") or []) for r in json.loads(log.read_text())]
    hops = int(stats[-1])
    print(f"official: results.json: {acts[-1] if acts else 0} activation values for the DUT's {hops} hops"
          + ("" if acts and acts[-1] == hops else
             " (they differ: the runner reads every number from \"target activations:\" up to m-ready)"))


def stop(proc):
    if proc:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def ours(port: str, baud: int, model: str, dataset: Path) -> dict:
    """tinyperf's own accuracy of the model on the same DUT, for comparison."""
    dut = Dut(SerialTransport(port, baud))
    try:
        dut.sync()
        target = bench.Target(dut, "", "serial", None, port)
        plan = bench.Plan(models=[model], explicit=True, performance=None, accuracy=[model],
                          dataset=dataset)
        return bench.execute(target, plan)[0]
    finally:
        dut.close()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="tinyperf official", description=__doc__.split("\n\n")[0])
    ap.add_argument("--runner", required=True, type=Path,
                    help="mlcommons/tiny's benchmark/runner folder (obtained by you)")
    ap.add_argument("--mode", choices=["p", "a"], default=None,
                    help="performance or accuracy (default a; sww01: p, the stream test's only "
                         "runnable entry)")
    ap.add_argument("--model", choices=project.MODELS, default="kws01")
    ap.add_argument("--board", default="native", help="board to build and start (default native)")
    ap.add_argument("--libc", choices=["picolibc", "newlib"], default="picolibc")
    ap.add_argument("--image", help="start this image instead of building --board")
    ap.add_argument("--port", help="a flashed board's serial port instead of starting one")
    ap.add_argument("--baud", type=int, default=115200)
    ap.add_argument("--icount-shift", type=int, default=None,
                    help=f"QEMU -icount shift (default {bench.FULL_ICOUNT_SHIFT}; sww01: 0)")
    ap.add_argument("--dataset", default=str(datasets.DEFAULT_DATASETS))
    ap.add_argument("--out", type=Path, default=project.ROOT / "build" / "official-runner",
                    help="where the runner's sessions/ and our files go")
    ap.add_argument("--python", default="/usr/bin/python3",
                    help="a python3 with the runner's Debian packages")
    ap.add_argument("--also-ours", action="store_true",
                    help="accuracy mode: then run tinyperf's own accuracy on the same DUT and compare")
    ap.add_argument("--verbose", action="store_true", help="show the runner's output as it runs")
    ap.add_argument("--sww-test", default="short",
                    help="sww01: short|med|long or a truth JSON's name in DATASET/sww01 (default short)")
    ap.add_argument("--expect", help="sww01: TP/FP/FN the runner must score, e.g. sww01=2/0/1")
    args = ap.parse_args(argv)
    if args.mode is None:
        args.mode = "p" if args.model == "sww01" else "a"
    if args.model == "sww01" and args.mode != "p":
        print("official: sww01 runs in performance mode only: the runner's tests_accuracy.yaml "
              "wraps `stream` in a `loop` without a count, which asks the dataset for "
              "get_num_files(), and its StreamingDataSet has none (AttributeError)", file=sys.stderr)
        return 1
    shift_given = args.icount_shift is not None
    if args.icount_shift is None:  # sww01 as `bench --model sww01`: the DUT's clock near real time
        args.icount_shift = 0 if args.model == "sww01" else bench.FULL_ICOUNT_SHIFT

    if not (args.runner / "main.py").is_file():
        print(f"official: no main.py in {args.runner}", file=sys.stderr)
        return 1
    probe = subprocess.run([args.python, "-c", "import serial, yaml, numpy, sklearn, matplotlib, usb"],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        print(f"official: {args.python} lacks a package the runner imports "
              f"({probe.stderr.strip().splitlines()[-1] if probe.stderr.strip() else '?'}); "
              f"apt-get install {RUNNER_PACKAGES}", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    proc, shift = None, None
    if args.model == "sww01":
        try:
            if args.port:
                raise Failure("sww01 with --port: a flashed board needs the real interface board")
            args.energy = False
            return run_sww(args, bench.image_info(args))
        except (Failure, DutError, bench.BenchError, datasets.DatasetError,
                sww_stream.StreamError, sww_pins.PinError, OSError) as e:
            print(f"official: error: {e}", file=sys.stderr)
            return 1
    try:
        if args.port:
            port = args.port
        else:
            args.energy = False
            info = bench.image_info(args)
            proc, port = start_on_pty(info, args.icount_shift)
            shift = args.icount_shift if info["kind"] == "arm" else None
        dataset = Path(args.dataset)
        timing: dict = {}
        count = prepare(port, args.baud, args.model, args.mode, dataset, timing)
        if args.mode == "p" and shift is not None and not shift_given and "wall_per_dut" in timing:
            # Helium under QEMU emulates slowly: at shift 3 the M55's 10 s
            # window can outlast the runner's 30 s wait. Restart slower.
            window_wall = timing["wall_per_dut"] * timing["window_s"]
            better = shift_for_wall(shift, timing["wall_per_dut"], timing["window_s"])
            if better != shift:
                print(f"official: a window would take ~{window_wall:.0f} s of wall "
                      f"time at -icount shift={shift} (the runner waits 30 s): restarting at "
                      f"shift={better}", flush=True)
                stop(proc)
                shift = args.icount_shift = better
                proc, port = start_on_pty(info, shift)
                count = prepare(port, args.baud, args.model, args.mode, dataset)
        if args.mode == "p":
            tests = args.out / "tests_performance_tinyperf.yaml"
            tests.write_text(with_count((args.runner / "tests_performance.yaml").read_text(),
                                        args.model, count))
        else:
            tests = args.runner / "tests_accuracy.yaml"
        t0 = time.monotonic()
        rc, lines = run_runner(args, port, tests, args.out.resolve())
        wall = time.monotonic() - t0
        fig = summarize(lines, shift)
        bad = [l for l in lines if BAD_LINE.search(l)]
        print(f"official: runner exit status {rc}, {wall:.0f} s; figures: {fig}")
        for l in bad[:20]:
            print(f"official: runner said: {l}")
        if args.mode == "a" and args.also_ours:
            r = ours(port, args.baud, args.model, dataset)
            mine = round(100 * r["figure"], 1) if r["metric"] == "top1" else round(r["figure"], 3)
            theirs = fig.get("top1_percent") if r["metric"] == "top1" else fig.get("auc")
            print(f"official: tinyperf bench says {mine}, the runner {theirs}: "
                  f"{'equal' if mine == theirs else 'DIFFERENT'}")
            if mine != theirs:
                return 1
        return 0 if rc == 0 and not bad and fig else 1
    except (Failure, DutError, bench.BenchError, datasets.DatasetError) as e:
        print(f"official: error: {e}", file=sys.stderr)
        return 1
    finally:
        if proc:
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


if __name__ == "__main__":
    sys.exit(main())
