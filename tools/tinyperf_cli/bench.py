"""`tinyperf bench`: MLPerf Tiny performance and accuracy of a tinyperf image.

Targets: a board booted here (QEMU or the native process, built if needed) or
a flashed board on a serial port. Performance follows the MLPerf Tiny rules:
five windows per model, each spanning at least 10 s of the DUT's own
timestamps, the figure being the median; --quick runs a few timed inferences
instead. Under QEMU -icount the DUT's microseconds count instructions, so the
figure there is instructions per inference. Accuracy loads every file of an
EnergyRunner dataset with 31-byte `db` lines and runs `infer 1 0` on it.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from tinyperf_cli import datasets, metrics, project, report
from tinyperf_cli.datasets import BENCHMARKS, DatasetError, DatasetMissing
from tinyperf_cli.dut import (LOAD_RETRIES, Dut, DutError, DutLostStep, ProcessTransport,
                              SerialTransport, parse_infer)

QUICK_INFERENCES = 5
QUICK_WARMUPS = 1
FULL_ICOUNT_SHIFT = 3      # 10 s of DUT time in a few wall seconds (docs/qemu.md)
PIPELINE_BYTES = 256       # commands sent ahead of their answers (fits a small UART ring)
WINDOW_RETRIES = 5         # a window short of 10 s is rerun this often with a larger count
                           # (a loaded host speeds up and slows down between windows)


class BenchError(Exception):
    """A problem the user can act on (bad option, missing model, missed expectation)."""


# -- the target -------------------------------------------------------------------

@dataclass
class Target:
    dut: Dut
    board: str
    kind: str                      # "qemu", "native" or "serial"
    icount_shift: int | None       # QEMU -icount shift, None where timestamps are time
    where: str                     # the command line or the port
    name: str = ""
    profile: dict = field(default_factory=dict)

    def identify(self):
        self.name = self.dut.name()
        self.profile = self.dut.profile()

    def record(self) -> dict:
        return {"board": self.board, "target": self.kind, "where": self.where,
                "icount_shift": self.icount_shift,
                "inputs_verified": bool(self.dut.crc), "load_retries": self.dut.load_retries,
                "lost_steps": self.dut.lost_steps,
                "firmware": {"name": self.name, "profile": self.profile.get("profile", ""),
                             "model_at_start": self.profile.get("model", "")}}


def image_info(args) -> dict:
    """board-info.json of --image's build directory, or of the board's build (built now)."""
    if args.image:
        image = Path(args.image).resolve()
        info_file = image.parent / "board-info.json"
        if info_file.is_file():
            info = json.loads(info_file.read_text())
            info["qemu"] = [str(image) if a == info["image"] else a for a in info.get("qemu", [])]
            return dict(info, image=str(image))
        if args.board != "native":
            raise BenchError(f"--image {image}: no board-info.json beside it to say how to run it")
        return {"board": "native", "kind": "host", "image": str(image), "qemu": []}
    from tinyperf_cli import setup
    from tinyperf_cli.main import needs, variant
    setup.ensure(*needs(args.board))
    return project.build(variant(args))


def kind_of(info: dict) -> str:
    return "qemu" if info["kind"] == "arm" else "native"


def boot(info: dict, icount_shift: int | None, transcript=None) -> Target:
    """Starts the image with its console on stdin/stdout and reads its banner."""
    kind = kind_of(info)
    shift = icount_shift if kind == "qemu" else None
    argv = project.launch_argv(info, icount_shift=shift)
    log = tempfile.TemporaryFile()
    dut = Dut(ProcessTransport(argv, stderr=log))
    if transcript:
        dut.open_transcript(transcript)
    try:
        banner = dut.banner()
    except DutError as e:
        dut.close()
        log.seek(0)
        said = log.read().decode(errors="replace").strip()
        raise type(e)(f"{e} (booting {' '.join(argv)}){': ' + said[-500:] if said else ''}",
                      e.tail, e.exit_status) from None
    if "m-timestamp-mode-energy" in banner:
        dut.close()
        raise BenchError("this is an energy-mode image (timestamps are pin edges, not m-lap-us "
                         "lines): benchmark a performance-mode image (no --energy)")
    return Target(dut, info["board"], kind, shift, " ".join(argv))


def open_port(port: str, baud: int, transcript=None) -> Target:
    if not Path(port).exists():
        raise BenchError(f"no such port: {port}")
    dut = Dut(SerialTransport(port, baud))
    if transcript:
        dut.open_transcript(transcript)
    dut.sync()
    return Target(dut, "", "serial", None, f"{port} at {baud} baud")


# -- what to run --------------------------------------------------------------------

@dataclass
class Plan:
    models: list[str]
    explicit: bool = False             # the user named the models (--model)
    performance: str | None = "full"   # "full", "quick" or None
    accuracy: list[str] = field(default_factory=list)
    dataset: Path = datasets.DEFAULT_DATASETS
    golden: Path = datasets.DEFAULT_GOLDEN
    perf_input: str = "golden"         # or "dataset": the dataset's first file (window)
    limit: int | None = None           # accuracy: only the first N files
    window: int = PIPELINE_BYTES
    # Accuracy runs whose dataset may be absent: then a row that says so, not a failure
    # (the main job's ic02: ic01's images are distributed to MLPerf participants only).
    optional: list[str] = field(default_factory=list)


def plan_from(args) -> Plan:
    models = list(dict.fromkeys(args.model)) if args.model else list(project.MODELS)
    perf = "quick" if args.quick else ("full" if args.performance or not args.accuracy else None)
    return Plan(models=models, explicit=bool(args.model), performance=perf,
                accuracy=models if args.accuracy else [], dataset=Path(args.dataset),
                golden=Path(args.golden), perf_input=args.perf_input, limit=args.limit,
                window=args.window)


# Accuracy runs of these models under QEMU run with -icount shift=0: one ic02
# inference on the M55 takes more than a second of QEMU's wall time (Helium
# is emulated instruction by instruction), which the firmware's 1 s watchdog
# would take for a hang; under icount it counts DUT time (ic02: 44 ms).
ICOUNT_FOR_ACCURACY = {"ic02"}


def default_icount_shift(plan: Plan) -> int | None:
    if plan.performance is None and ICOUNT_FOR_ACCURACY & set(plan.accuracy):
        return 0
    return {"full": FULL_ICOUNT_SHIFT, "quick": 0}.get(plan.performance)


# -- running it -------------------------------------------------------------------------

def models_on(dut: Dut) -> tuple[list[str], bool]:
    """The models the firmware has and whether `model <id>` switches between them;
    firmware without the `model` command has only the one `profile` names."""
    lines = dut.command("model", check=False)
    for line in lines:
        if line.startswith("m-models-[") and line.endswith("]"):
            return line[len("m-models-["):-1].split(","), True
    model = dut.profile().get("model")
    if not model:
        raise DutError(f"the firmware names no model (no m-model line in 'profile'): {lines}")
    return [model], False


def run_window(dut: Dut, n: int, warmups: int, timeout: float | None = None) -> dict:
    """One `infer n warmups`: its two timestamps and the wall time it took."""
    cmd = f"infer {n} {warmups}"
    t = time.monotonic()
    laps = parse_infer(cmd, dut.command(cmd, timeout=timeout))["laps_us"]
    wall = time.monotonic() - t
    if len(laps) != 2:
        raise DutError(f"expected two m-lap-us lines (start, end) in the answer to {cmd!r}, "
                       f"got {len(laps)}")
    if laps[1] < laps[0]:
        raise DutError(f"the DUT's timestamps went backwards in {cmd!r}: {laps[0]} then {laps[1]}")
    return {"inferences": n, "warmups": warmups, "start_us": laps[0], "end_us": laps[1],
            "span_us": laps[1] - laps[0], "wall_s": round(wall, 3)}


def full_windows(run, warmups: int, progress=None) -> list[dict]:
    """Calibrates the count on short probes, then runs metrics.WINDOWS windows of
    at least metrics.WINDOW_US; a short window is rerun with a larger count.
    run(n, warmups, timeout) -> run_window()'s dict."""
    probe_wall = []

    def probe(n):
        w = run(n, 1, None)
        probe_wall.append(w["wall_s"] / (n + 1))
        return w["span_us"]

    try:
        _, per_us = metrics.calibrate(probe)
    except ValueError as e:
        raise DutError(f"cannot time the model: {e}") from None
    n = metrics.window_count(per_us)
    windows = []
    while len(windows) < metrics.WINDOWS:
        for attempt in range(WINDOW_RETRIES + 1):
            # each line may be this late: twice the window's expected wall time
            timeout = max(Dut.INFER_TIMEOUT, 2 * (n + warmups) * probe_wall[-1] + 10)
            w = run(n, warmups, timeout)
            if w["span_us"] >= metrics.WINDOW_US:
                break
            if attempt == WINDOW_RETRIES:
                raise DutError(f"'infer {n} {warmups}' spanned only {w['span_us']} us of DUT time, "
                               f"short of {metrics.WINDOW_US} us, {WINDOW_RETRIES + 1} times")
            # the measured rate with a margin, and at least a quarter more
            # than the count that fell short: every retry is longer
            n = max(metrics.window_count(max(w["span_us"], 1) / n, margin=1.15), n + (n + 3) // 4)
        windows.append(w)
        if progress:
            progress.update(len(windows), n)
    return windows


def generated_input(model: str) -> bytes:
    """A deterministic stand-in input for timing when no golden sample is at
    hand (a plain clone without ../shared): bytes for the int8/uint8 inputs,
    finite float32 values in ad01's log-mel range for ad01."""
    import random
    import struct
    b = BENCHMARKS[model]
    rng = random.Random(f"tinyperf-{model}")
    if model == "ad01":
        return b"".join(struct.pack("<f", rng.uniform(-20.0, 20.0)) for _ in range(b.input_bytes // 4))
    return bytes(rng.randrange(256) for _ in range(b.input_bytes))


def perf_input(plan: Plan, model: str) -> tuple[bytes, str]:
    b = BENCHMARKS[model]
    if plan.perf_input == "generated":
        return generated_input(model), "generated (no golden sample)"
    if plan.perf_input == "dataset":
        ds = datasets.load(plan.dataset, model, limit=1)
        data = ds.read(ds.entries[0])[:b.input_bytes]
        return data, str(ds.dir / ds.entries[0].file)
    path = datasets.golden_sample(plan.golden, model)
    try:
        return path.read_bytes(), str(path)
    except OSError as e:
        raise DatasetError(f"cannot read the golden sample: {e}") from None


def performance(target: Target, model: str, plan: Plan, progress=None) -> dict:
    dut = target.dut
    data, source = perf_input(plan, model)
    retries = dut.load_retries
    dut.load(data, window=plan.window, what=source)
    quick = plan.performance == "quick"
    if quick:
        windows = [run_window(dut, QUICK_INFERENCES, QUICK_WARMUPS)]
    else:
        windows = full_windows(lambda n, w, t: run_window(dut, n, w, t),
                               BENCHMARKS[model].warmups, progress)
    per_inf = [w["span_us"] / w["inferences"] for w in windows]
    med = metrics.median(per_inf)
    r = {"model": model, "mode": "performance", "quick": quick, "input": source,
         "us_per_inference": med, "median_window": per_inf.index(med),
         "windows": windows, "icount_shift": target.icount_shift,
         "load_retries": dut.load_retries - retries,
         "valid": not quick and all(w["span_us"] >= metrics.WINDOW_US for w in windows)}
    if target.icount_shift is not None:
        r.update(unit="instructions/inference", figure=metrics.instructions(med, target.icount_shift))
    else:
        r.update(unit="ms/inference", figure=med / 1000, inferences_per_second=1e6 / med)
    return r


def infer_one(dut: Dut, data: bytes, window: int, what: str = "the input") -> list[float]:
    """Loads one input (pipelined, its CRC checked where the DUT has `db crc`)
    and runs `infer 1 0`; returns the results. A lost step (an answer that did
    not fit its command) is retried like a CRC mismatch, up to LOAD_RETRIES."""
    for attempt in range(LOAD_RETRIES + 1):
        try:
            answer = dut.load_and(data, ["infer 1 0"], window=window, what=what)[0]
            return parse_infer("infer 1 0", answer)["results"]
        except DutLostStep as e:
            if attempt == LOAD_RETRIES:
                raise
            dut.load_retries += 1
            dut.note(f"{e}: running {what} again (retry {attempt + 1} of {LOAD_RETRIES})")


def accuracy(target: Target, model: str, ds: datasets.Dataset, plan: Plan) -> dict:
    b = BENCHMARKS[model]
    progress = report.Progress(f"{model} accuracy", len(ds.entries), "files")
    t0 = time.monotonic()
    correct = ties = n_windows = 0
    retries = target.dut.load_retries
    labels, scores = [], []
    files = []  # each file's scores, for the official runner's results layout (runner_results.py)
    try:
        for i, e in enumerate(ds.entries):
            data = ds.read(e)
            if b.metric == "auc":
                parts = datasets.windows(data, e.width or b.input_bytes, e.stride or b.input_bytes)
                window_scores = [infer_one(target.dut, w, plan.window, e.file)[0] for w in parts]
                scores.append(sum(window_scores) / len(window_scores))
                files.append({"file": e.file, "class": e.label, "results": [[v] for v in window_scores]})
                labels.append(e.label)
                n_windows += len(parts)
                progress.update(i + 1, len(parts))
                continue
            res = infer_one(target.dut, data, plan.window, e.file)
            if len(res) != e.classes:
                raise DutError(f"{model} printed {len(res)} scores for {e.file}; "
                               f"y_labels.csv says {e.classes} classes")
            files.append({"file": e.file, "class": e.label, "results": [res]})
            correct += metrics.argmax(res) == e.label
            ties += metrics.is_tied(res)
            progress.update(i + 1, 1)
    finally:
        progress.close()
    r = {"model": model, "mode": "accuracy", "metric": b.metric, "dataset": str(ds.dir),
         "total": len(ds.entries), "wall_s": round(time.monotonic() - t0, 1),
         "load_retries": target.dut.load_retries - retries, "files": files}
    if b.metric == "auc":
        try:
            r.update(figure=metrics.roc_auc(labels, scores), windows=n_windows)
        except ValueError as e:
            raise DatasetError(f"{ds.dir}: {e}") from None
    else:
        r.update(figure=correct / len(ds.entries), correct=correct, ties=ties)
    return r


def execute(target: Target, plan: Plan, note=None) -> list[dict]:
    """Runs the plan on a booted target; returns every result (skips included).
    Errors propagate, with the results so far in the exception's `results`."""
    note = note or (lambda text: print(f"tinyperf: note: {text}", file=sys.stderr))
    results: list[dict] = []

    def skip(model, mode, why):
        note(f"{model} {mode} skipped: {why}")
        results.append({"model": model, "mode": mode, "skipped": why})

    try:
        target.dut.probe_crc()   # before any load: does the DUT answer `db crc`?
        have, switchable = models_on(target.dut)
        missing = [m for m in plan.models if m not in have]
        if missing and plan.explicit:
            raise BenchError(f"the firmware has no {', '.join(missing)} (it has {', '.join(have)})")
        models = [m for m in plan.models if m in have]
        for m in missing:
            skip(m, "performance" if plan.performance else "accuracy", f"not in this firmware (it has {', '.join(have)})")

        def select(model):
            if switchable:
                target.dut.select_model(model)

        if plan.performance:
            quick = plan.performance == "quick"
            bar = report.Progress("quick performance", len(models), "models") if quick else None
            for i, m in enumerate(models):
                select(m)
                if quick:
                    results.append(performance(target, m, plan))
                    bar.update(i + 1, QUICK_INFERENCES + QUICK_WARMUPS)
                    continue
                p = report.Progress(f"{m} performance", metrics.WINDOWS, "windows")
                try:
                    results.append(performance(target, m, plan, p))
                finally:
                    p.close()
            if bar:
                bar.close()
        for m in [m for m in plan.accuracy if m in models]:
            try:
                ds = datasets.load(plan.dataset, m, plan.limit)
            except DatasetMissing as e:
                if plan.explicit:
                    raise
                skip(m, "accuracy", str(e))
                if m in plan.optional:
                    results[-1]["optional"] = True
                continue
            select(m)
            results.append(accuracy(target, m, ds, plan))
    except (DutError, DatasetError, BenchError) as e:
        e.results = results
        raise
    order = {m: i for i, m in enumerate(project.MODELS)}
    return sorted(results, key=lambda r: (r["mode"] != "performance", order.get(r["model"], 9)))


# -- output and the two entry points ------------------------------------------------------

def check_expectations(results: list[dict], expects: list[str]) -> list[str]:
    """--expect ID=CORRECT/TOTAL or ID=FIGURE (3 decimals) against accuracy results."""
    failures = []
    for exp in expects:
        model, _, want = exp.partition("=")
        r = next((r for r in results if r["model"] == model and r["mode"] == "accuracy"
                  and not r.get("skipped")), None)
        if r is None:
            failures.append(f"--expect {exp}: no {model} accuracy was measured")
        elif "/" in want:
            got = f"{r.get('correct')}/{r['total']}"
            if got != want:
                failures.append(f"{model} accuracy is {got}, expected {want}")
        elif f"{r['figure']:.3f}" != f"{float(want):.3f}":
            failures.append(f"{model} accuracy is {r['figure']:.3f}, expected {float(want):.3f}")
    return failures


def show(target: Target, results: list[dict], old: dict | None = None, out=None):
    out = out or sys.stdout
    fw = target.profile.get("profile", "?")
    print(f"\n{target.name or target.board} ({fw}) via {target.kind}", file=out)
    print(report.table(results, old, target.board), file=out)
    if target.icount_shift is not None and any(r["mode"] == "performance" and not r.get("skipped")
                                               for r in results):
        print(f"QEMU -icount shift={target.icount_shift}: the DUT's microseconds count "
              f"instructions (instructions = us x 1000 / 2^{target.icount_shift}), so performance "
              f"is in instructions per inference, not time.", file=out)
    if any(r.get("quick") for r in results):
        print("quick: a few timed inferences, not the 5 x 10 s windows MLPerf Tiny requires.", file=out)
    out.flush()


def run_plan(target: Target, plan: Plan, json_path=None, old=None, expects=(), runner_dir=None,
             fail_pct: float | None = None) -> int:
    """Identifies the target, runs the plan, shows and records the results."""
    rc = 0
    try:
        target.identify()
        if target.kind == "serial":
            target.board = target.name.removeprefix("tinyperf ")
        results = execute(target, plan)
    except (DutError, DatasetError, BenchError) as e:
        results = getattr(e, "results", [])
        if results:
            show(target, results, old, out=sys.stderr if json_path == "-" else None)
        print(f"tinyperf: error: {e.report() if isinstance(e, DutError) else e}", file=sys.stderr)
        return 1
    # With --json -, standard output carries the JSON alone; the table goes to stderr.
    show(target, results, old, out=sys.stderr if json_path == "-" else None)
    if json_path:
        report.write_json(json_path, report.record(target.record(), results))
        if json_path != "-":
            print(f"tinyperf: wrote {json_path}")
    if runner_dir:
        from tinyperf_cli import runner_results
        for d in runner_results.write(results, runner_dir):
            print(f"tinyperf: wrote {d}/results.txt and results.json", file=sys.stderr)
    if old is not None and fail_pct is not None:
        for msg in report.regressions(old, results, fail_pct, target.board):
            print(f"tinyperf: error: {msg}", file=sys.stderr)
            rc = 1
    for failure in check_expectations(results, list(expects)):
        print(f"tinyperf: error: {failure}", file=sys.stderr)
        rc = 1
    skipped = [f"{r['model']} {r['mode']}" for r in results if r.get("skipped") and not r.get("optional")]
    if skipped:
        # Something asked for did not run: a CI job must not read that as success.
        print(f"tinyperf: error: skipped: {', '.join(skipped)} (see the notes above)", file=sys.stderr)
        rc = 1
    return rc


def transcript_path(args) -> Path | None:
    """--log FILE, else the transcript beside --json's file (X.json: X.log.txt)."""
    if getattr(args, "log", None):
        return Path(args.log)
    if args.json and args.json != "-":
        return Path(args.json).with_suffix(".log.txt")
    return None


def wants_stream(args) -> bool:
    """sww01's benchmark is its streaming run: `bench --model sww01` (alone, with
    no mode) or `--accuracy`; --quick/--performance time one inference instead."""
    return bool(args.model) and set(args.model) == {"sww01"} and (
        args.accuracy or not (args.quick or args.performance)) and not args.port


def cmd_bench(args) -> int:
    if wants_stream(args):
        from tinyperf_cli import sww_stream
        try:
            return sww_stream.bench_stream(image_info(args), args.dataset, args.sww_test,
                                           args.expect or [], args.icount_shift or 0,
                                           transcript_path(args), args.repeat, args.json,
                                           native_clock=args.sww_clock)
        except (sww_stream.StreamError, DutError, BenchError) as e:
            print(f"tinyperf: error: {e.report() if isinstance(e, DutError) else e}", file=sys.stderr)
            return 1
    if args.json == "-":
        project.BUILD_OUTPUT = sys.stderr
    plan = plan_from(args)
    old = None
    if args.fail_on_regression is not None and not args.compare:
        print("tinyperf: error: --fail-on-regression needs --compare OLD.json", file=sys.stderr)
        return 1
    if args.compare:
        try:
            old = report.read_json(args.compare)
        except ValueError as e:
            print(f"tinyperf: error: {e}", file=sys.stderr)
            return 1
    try:
        if plan.performance and plan.perf_input == "golden" or plan.accuracy:
            prepare_plain_clone(plan)
    except BenchError as e:
        print(f"tinyperf: error: {e}", file=sys.stderr)
        return 1
    shift = args.icount_shift if args.icount_shift is not None else default_icount_shift(plan)
    try:
        if args.port:
            target = open_port(args.port, args.baud, transcript_path(args))
        else:
            target = boot(image_info(args), shift, transcript_path(args))
    except DutError as e:
        print(f"tinyperf: error: {e.report()}", file=sys.stderr)
        return 1
    except (BenchError, OSError) as e:
        print(f"tinyperf: error: {e}", file=sys.stderr)
        return 1
    except subprocess.CalledProcessError as e:
        print(f"tinyperf: error: the build failed ({e})", file=sys.stderr)
        return 1
    print(f"tinyperf: benchmarking on {target.where}", file=sys.stderr, flush=True)
    try:
        return run_plan(target, plan, args.json, old, args.expect or [], args.runner_results,
                        args.fail_on_regression)
    finally:
        target.dut.close()


def run_main_job(dut: Dut, info: dict, args) -> int:
    """`./tinyperf run`: quick figures for every model, then kws01's accuracy
    over its whole dataset and ic02's over ic01's 200 images (when they are
    there: without them its row says so and the run still passes), on a board
    main.py booted (QEMU at -icount shift=0)."""
    kind = kind_of(info)
    target = Target(dut, info["board"], kind, 0 if kind == "qemu" else None, "the booted image")
    plan = Plan(models=list(project.MODELS), performance="quick", accuracy=["kws01", "ic02"],
                optional=["ic02"])
    prepare_plain_clone(plan)
    rc = run_plan(target, plan)
    if "sww01" in project.MODELS:
        # sww01's benchmark: the short test streamed into a second QEMU or native
        # process (the audio comes in on a second serial line, which the booted
        # image has no socket for).
        from tinyperf_cli import sww_stream
        try:
            rc |= sww_stream.bench_stream(info, datasets.DEFAULT_DATASETS, "short")
        except (sww_stream.StreamError, DutError) as e:
            print(f"tinyperf: note: sww01 streaming not run: {e}", file=sys.stderr)
    return rc


def prepare_plain_clone(plan: Plan):
    """Without ../shared: the golden samples are absent, so timing uses a
    generated input, and the datasets that can be fetched (kws01) are
    fetched into build/datasets as the models are into the build."""
    from tinyperf_cli import fetch
    try:
        if plan.performance and plan.perf_input == "golden":
            datasets.golden_sample(plan.golden, plan.models[0])
    except DatasetError:
        print("tinyperf: note: no golden samples (no ../shared/mlperf-tiny): timing a generated input",
              file=sys.stderr)
        plan.perf_input = "generated"
    if Path(plan.dataset) == fetch.FETCHED_DATASETS:
        for m in plan.accuracy:
            if m in fetch.fetchable():
                try:
                    fetch.fetch(m, fetch.FETCHED_DATASETS, log=lambda t: print(t, file=sys.stderr, flush=True))
                except fetch.FetchError as e:
                    raise BenchError(str(e)) from None


def register(sub, add_variant_args):
    p = sub.add_parser(
        "bench", help="MLPerf Tiny performance/accuracy of an image (QEMU, native or a serial port)",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_variant_args(p)
    t = p.add_argument_group("target (default: boot --board here)")
    t.add_argument("--port", help="a flashed board's serial port instead, e.g. /dev/ttyACM0")
    t.add_argument("--baud", type=int, default=115200)
    t.add_argument("--image", help="boot this image (its build's board-info.json says how) "
                                   "instead of building --board")
    t.add_argument("--icount-shift", type=int, metavar="N",
                   help=f"QEMU -icount shift (default {FULL_ICOUNT_SHIFT} for full performance, "
                        "0 for --quick, none for accuracy only)")
    m = p.add_argument_group("what to run")
    m.add_argument("--model", action="append", choices=project.MODELS,
                   help="only this model (repeatable; default: every model)")
    m.add_argument("--quick", action="store_true", help="a few timed inferences per model")
    m.add_argument("--performance", action="store_true",
                   help="full performance mode (the default unless --accuracy is given)")
    m.add_argument("--accuracy", action="store_true", help="accuracy over the dataset")
    m.add_argument("--dataset", default=str(datasets.DEFAULT_DATASETS), metavar="DIR",
                   help="EnergyRunner datasets: DIR/<id>/y_labels.csv and files (default %(default)s)")
    m.add_argument("--golden", default=str(datasets.DEFAULT_GOLDEN), metavar="DIR",
                   help="golden samples, the performance input (default %(default)s)")
    m.add_argument("--perf-input", choices=["golden", "dataset", "generated"], default="golden",
                   help="performance input: the golden sample, the dataset's first file, or a generated one")
    m.add_argument("--limit", type=int, metavar="N", help="accuracy over the first N files only")
    m.add_argument("--sww-test", default="short", metavar="short|med|long|FILE",
                   help="sww01 streaming: the runner's test JSON (in DATASET/sww01/, the wavs "
                        "beside it) or a path to one (default %(default)s)")
    m.add_argument("--repeat", type=int, default=1, metavar="N",
                   help="sww01 streaming: run each wav N times (fresh boots) and fail unless "
                        "the detections agree")
    m.add_argument("--sww-clock", choices=["m4", "cpu"], default="m4",
                   help="sww01 streaming on native: what a hop costs on its virtual clock: the "
                        "Cortex-M4's measured instructions per hop at 1 ns each (m4, deterministic) "
                        "or this host's CPU time of the hop (cpu) (default %(default)s)")
    m.add_argument("--window", type=int, default=PIPELINE_BYTES, metavar="BYTES",
                   help="send commands ahead while this many bytes are unanswered "
                        "(0: wait for each answer; default %(default)s)")
    o = p.add_argument_group("output")
    o.add_argument("--json", metavar="FILE", help="write every figure to FILE (- : standard output, "
                                                  "the table then goes to standard error) and the "
                                                  "DUT transcript beside it (FILE without .json + .log.txt)")
    o.add_argument("--log", metavar="FILE", help="write every line sent to and received from "
                                                 "the DUT, with the host's time, to FILE")
    o.add_argument("--compare", metavar="OLD.json", help="mark what got better or worse")
    o.add_argument("--fail-on-regression", type=float, metavar="PCT",
                   help="with --compare: exit 1 when a figure got worse by more than PCT percent "
                        "and more than its noise floor (200 instructions under QEMU; 50%% of a quick, "
                        "10%% of a full wall-time figure; 0 for accuracy)")
    o.add_argument("--runner-results", metavar="DIR",
                   help="also write the official runner's results.txt and results.json per model "
                        "in DIR/<model>/ (for an MLPerf Tiny submission folder)")
    o.add_argument("--expect", action="append", metavar="ID=FIGURE",
                   help="fail unless an accuracy matches, e.g. kws01=901/1000 or ad01=0.862 "
                        "(sww01: TP/FP/FN, e.g. sww01=2/0/1)")
    p.set_defaults(fn=cmd_bench)
