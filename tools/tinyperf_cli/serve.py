"""`./tinyperf serve`: multi-model serving with deadlines on one DUT (issue #16).

    ./tinyperf serve --board qemu_mps2_an386 --scenario concurrent [--policy fp|edf|rtc]
                     [--duration S] [--json FILE] [--compare] [--timeline PNG]

A scenario (scenarios/<name>.yaml, or any file: tools/tinyperf_cli/serve_scenario.py
says the format) becomes `serve` commands; the DUT (app/serve.cc) runs each
task as a kernel thread with its own arena for --duration seconds of its own
time and reports every job (release, start, end, result checked against the
golden output) and per-run figures. The host prints a table per task
(releases, completions, misses, response median / 99th percentile / max,
jitter = max - min response) and the run (utilization, idle, context
switches, RAM), and beside it the analysis: response-time analysis for fixed
priorities, the processor-demand test for EDF, a blocking bound for run to
completion, from each model's worst measured time alone on the DUT
(calibration: three jobs of the model alone, the same code path).

Under QEMU -icount shift=0 one instruction is one nanosecond of DUT time, so
every figure is deterministic. On the native board (--board native) each run
brings up the kernel's host port (host threads, one running at a time, a
virtual clock); computing is charged to that clock at the engine's layer
boundaries, by --clock: `macs` (default, deterministic: each layer's MACs at
1.25 ns, about the M4's instructions per MAC at QEMU's 1 instruction per ns),
`m4` (deterministic: the M4's instructions per layer measured under QEMU,
boards/native/m4_layer_instructions.json) or `cpu` (the host thread's
measured CPU time of each layer).
"""
from __future__ import annotations

import argparse
import json
import math
import re
import sys
from pathlib import Path

from tinyperf_cli import project
from tinyperf_cli import serve_scenario as sc_mod
from tinyperf_cli import sww_stream
from tinyperf_cli.dut import DutError

# sleep=off: while the DUT idles (WFI) QEMU jumps its virtual clock to the
# next timer deadline at once. With the default sleep=on the idle time passes
# in host time and lands in virtual time late by however long the host took
# (measured: releases up to 1.9 ms late on this loaded 2-core machine, a
# different figure every run); with sleep=off every run gives the same figures.
ICOUNT = "shift=0,sleep=off"
# A scenario with an audio stream runs with sleep=off too, as the sww01
# streaming run does (tinyperf_cli.sww_stream.icount): the DUT does not
# sleep while audio it asked for is on its way (app/sww_stream.h), so the
# stream keeps up with the DUT's clock and idle time still jumps ahead.
ICOUNT_STREAM = ICOUNT
CAL_PERIOD_US = 100_000   # calibration: one job of a model alone every 100 ms ...
CAL_JOBS = 3              # ... three of them; its worst response is its C
NATIVE_CLOCKS = ("macs", "m4", "cpu")
PS_PER_MAC = 1250  # the native image's default (app/serve.cc kPsPerMacDefault)


class ServeError(Exception):
    pass


# -- talking to the DUT ------------------------------------------------------------

def _kv(s: str) -> dict:
    out = {}
    for part in s.split(","):
        if "=" in part:
            k, v = part.split("=", 1)
            out[k] = int(v) if re.fullmatch(r"\d+", v) else v
    return out


def parse_run(lines: list[str]) -> dict:
    jobs, tasks, run, stream = [], [], None, None
    for l in lines:
        m = re.fullmatch(r"m-serve-job-\[(\d+),(\d+),(-|\d+),(-|\d+),(ok|WRONG|dropped|hop|word)(?:,(\d+))?\]", l)
        if m:
            jobs.append({"task": int(m[1]), "release": int(m[2]),
                         "start": None if m[3] == "-" else int(m[3]),
                         "end": None if m[4] == "-" else int(m[4]), "result": m[5],
                         "input": None if m[6] is None else int(m[6])})
            continue
        m = re.fullmatch(r"m-serve-task-\[([^,]+),([^,]+),(.*)\]", l)
        if m:
            tasks.append({"name": m[1], "model": m[2], **_kv(m[3])})
            continue
        m = re.fullmatch(r"m-serve-run-\[(.*)\]", l)
        if m:
            run = _kv(m[1])
        m = re.fullmatch(r"m-serve-stream-\[([^,]+),(.*)\]", l)
        if m:
            stream = {"name": m[1], **_kv(m[2])}
    if run is None:
        raise ServeError("the DUT's answer to `serve run` has no m-serve-run line:\n  " + "\n  ".join(lines[-10:]))
    return {"jobs": jobs, "tasks": tasks, "run": run, "stream": stream}


def send(dut, cmd: str, timeout: float = 30.0) -> list[str]:
    lines = dut.command(cmd, timeout=timeout, check=False)
    errs = [l for l in lines if l.startswith("e-")]
    if errs:
        raise ServeError(f"the DUT refused `{cmd}`: {errs[0]}")
    return lines


def send_all(dut, cmds: list[str]) -> list[list[str]]:
    """Many commands at once (a scenario's set-up: samples are dozens of
    `serve data` lines), sent ahead in a window; the first e-[...] stops it."""
    answers = dut.pipeline(cmds, window=1024, unchecked=set(cmds))
    for c, lines in zip(cmds, answers):
        errs = [l for l in lines if l.startswith("e-")]
        if errs:
            raise ServeError(f"the DUT refused `{c[:80]}`: {errs[0]}")
    return answers


def task_inputs(dut) -> dict[int, list[str]]:
    """`serve inputs`: each task's inputs in job order (golden folder/pair or the host's name)."""
    out: dict[int, list[str]] = {}
    for l in send(dut, "serve inputs"):
        m = re.fullmatch(r"m-serve-input-\[(\d+),(\d+),(.*)\]", l)
        if m:
            out.setdefault(int(m[1]), []).append(m[3])
    return out


# -- inputs the host loads: dataset files and their expected outputs ----------------

REFERENCE = ("the expected outputs of dataset files are our engine's on the host (the native image), "
             "byte-equal to TFLite's on every golden pair (goldens tests); TFLite is not installed here")


def reference_outputs(model: str, inputs: list[bytes], image: str | None = None) -> list[bytes]:
    """Each input's output tensor computed by the native image (our engine on
    the host: the stated reference for dataset files)."""
    from tinyperf_cli import bench
    if image:
        info = json.loads((Path(image).resolve().parent / "board-info.json").read_text())
    else:
        info = project.build(project.Variant(board="native"), quiet=True, targets=["tinyperf"])
    t = bench.boot(info, None)
    try:
        t.dut.select_model(model)
        outs = []
        for data in inputs:
            t.dut.load(data, chunk=31, window=512)
            t.dut.infer(1, 0)
            outs.append(t.dut.output_tensor())
        return outs
    finally:
        t.dut.close()


def host_samples(scen: sc_mod.Scenario, dataset_dir: Path, reference: str | None = None) -> dict:
    """{task name: [(file name, input, expected output)]} for the tasks whose
    inputs are dataset files."""
    from tinyperf_cli import datasets
    out = {}
    for t in scen.tasks:
        if t.inputs is None or t.inputs.kind != "dataset":
            continue
        try:
            names = sc_mod.resolve_dataset(t.inputs, t.model, dataset_dir)
        except datasets.DatasetError as e:
            raise ServeError(f"task {t.name}: inputs: {e}") from None
        folder = dataset_dir / datasets.dataset_folder(t.model)
        data = [(folder / n).read_bytes() for n in names]
        expected = reference_outputs(t.model, data, reference)
        out[t.name] = [(n[:23], d, e) for n, d, e in zip(names, data, expected)]
    return out


def run_timeout(duration_s: float) -> float:
    # Under -icount shift=0 QEMU runs ~340 M instructions (DUT ns) a wall second here.
    return 60.0 + duration_s * 20.0


def calibrate(dut, models: list[str], scen: sc_mod.Scenario | None = None,
              samples: dict | None = None) -> dict[str, int]:
    """Each model alone on the DUT: its worst response over CAL_JOBS jobs (us),
    or over one job per input where the scenario's first task of the model has
    several (its worst case over its samples)."""
    wcet = {}
    st = sc_mod.stream_task(scen) if scen else None
    for m in models:
        if st is not None and m == st.model:
            wcet[m] = hop_cost(dut)
            continue
        send(dut, "serve clear")
        send(dut, f"serve task cal,{m},{CAL_PERIOD_US},0,{CAL_PERIOD_US},1,-,-")
        task = next((t for t in scen.tasks if t.model == m), None) if scen else None
        jobs = CAL_JOBS
        if task is not None and task.inputs is not None:
            answers = send_all(dut, sc_mod.input_commands(task, 0, samples))
            n = max((int(x[1]) for a in answers for l in a
                     if (x := re.fullmatch(r"m-serve-inputs-\[0,[^,]*,(\d+)\]", l))), default=1)
            jobs = max(CAL_JOBS, n)
        send(dut, "serve policy fp")
        r = parse_run(send(dut, f"serve run {CAL_PERIOD_US * jobs}", timeout=run_timeout(0.1 * jobs)))
        t = r["tasks"][0]
        if t["completions"] != jobs or t["wrong"]:
            raise ServeError(f"calibrating {m}: {t}")
        wcet[m] = t["resp_max"]
    return wcet


HOPS_CAL = 32


def hop_cost(dut) -> int:
    """sww01's cost per hop (features + inference), us: `hops 32` on the DUT's
    own test audio, the mean between its two timestamps."""
    lines = send(dut, f"hops {HOPS_CAL}", timeout=60)
    laps = [int(m[1]) for l in lines if (m := re.fullmatch(r"m-lap-us-(\d+)", l))]
    if len(laps) != 2:
        raise ServeError(f"`hops {HOPS_CAL}`: no two m-lap-us lines: {lines}")
    return math.ceil((laps[1] - laps[0]) / HOPS_CAL)


def run_policy(dut, scen: sc_mod.Scenario, policy: str, duration_s: float, samples: dict | None = None,
               feeder=None, audio: bytes = b"") -> dict:
    send_all(dut, sc_mod.commands(scen, policy, samples))
    inputs = task_inputs(dut)
    if feeder is not None:
        try:
            feeder.play(audio)  # after the last policy's stream has settled
        except sww_stream.StreamError as e:
            raise ServeError(str(e)) from e
    us = round(duration_s * 1e6)
    lines = send(dut, f"serve run {us} jobs", timeout=run_timeout(duration_s))
    r = parse_run(lines)
    r["inputs"] = inputs
    return r


# -- figures -----------------------------------------------------------------------

def percentile(values: list[int], q: float) -> int:
    """Nearest rank: the smallest value with at least q of the values at or below it."""
    if not values:
        return 0
    s = sorted(values)
    return s[max(0, math.ceil(q * len(s)) - 1)]


def analyse(scen: sc_mod.Scenario, policy: str, wcet: dict[str, int]) -> dict[str, dict]:
    """Per task: predicted worst response (us) and schedulability under the policy."""
    if policy == "fp":
        r = sc_mod.rta_fp(scen, wcet)
        return {n: {"predicted_response": v["e2e"], "predicted_schedulable": v["schedulable"],
                    "method": "RTA"} for n, v in r.items()}
    if policy == "edf":
        e = sc_mod.edf_test(scen, wcet)
        return {t.name: {"predicted_response": None, "predicted_schedulable": e["schedulable"],
                         "method": f"EDF demand ({e['why']})"} for t in scen.tasks}
    r = sc_mod.rtc_test(scen, wcet)
    return {n: {"predicted_response": v["e2e"], "predicted_schedulable": v["schedulable"],
                "method": "RTC bound"} for n, v in r.items()}


def summarize(scen: sc_mod.Scenario, policy: str, raw: dict, wcet: dict[str, int]) -> dict:
    order = sc_mod.ordered(scen)
    pred = analyse(scen, policy, wcet)
    prio = sc_mod.priorities(scen)
    tasks = []
    for i, t in enumerate(order):
        dut = raw["tasks"][i]
        resp = [j["end"] - j["release"] for j in raw["jobs"] if j["task"] == i and j["end"] is not None]
        wrong = sum(1 for j in raw["jobs"] if j["task"] == i and j["result"] == "WRONG")
        inputs = raw.get("inputs", {}).get(i, [])
        wrong_inputs = sorted({inputs[j["input"]] if j.get("input") is not None and j["input"] < len(inputs)
                               else str(j.get("input")) for j in raw["jobs"]
                               if j["task"] == i and j["result"] == "WRONG"})
        tasks.append({
            "name": t.name, "model": t.model,
            "release": ("every 32 ms hop" if t.inputs is not None and t.inputs.kind == "stream" else
                        f"every {t.period_us / 1000:g} ms") if t.period_us else
                       f"on {t.trigger}" + ("" if t.trigger_class is None else f" class {t.trigger_class}"),
            "period_us": t.period_us, "phase_us": t.phase_us, "deadline_us": t.deadline_us,
            "priority": prio[t.name] if policy == "fp" else None,
            "releases": dut["releases"], "completions": dut["completions"], "misses": dut["misses"],
            "dropped": dut["dropped"], "wrong": dut["wrong"],
            "wrong_in_log": wrong, "wrong_inputs": wrong_inputs,
            "inputs": inputs, "inputs_kind": "selftest pair" if t.inputs is None else t.inputs.kind,
            "response_median_us": percentile(resp, 0.5), "response_p99_us": percentile(resp, 0.99),
            "response_max_us": dut["resp_max"], "response_min_us": dut["resp_min"],
            "jitter_us": (dut["resp_max"] - dut["resp_min"]) if dut["completions"] else 0,
            "release_late_max_us": dut.get("release_late_max", 0),
            "wcet_alone_us": wcet[t.model],
            **pred[t.name],
        })
    run = raw["run"]
    d = run["duration"]
    stream = None
    if raw.get("stream"):
        st = sc_mod.stream_task(scen)
        i = order.index(st)
        hops = [j for j in raw["jobs"] if j["task"] == i]
        stream = {**raw["stream"], "wav": st.inputs.wav,
                  "detections": [j["input"] for j in hops if j["result"] == "word"],
                  "detection_due_us": [j["release"] for j in hops if j["result"] == "word"]}
    return {
        "stream": stream,
        "policy": policy, "duration_us": d,
        "utilization": round(run["busy"] / d, 4), "idle_us": run["idle"], "busy_us": run["busy"],
        "context_switches": run["switches"], "arena_bytes": run["arenas"],
        "stack_bytes": run["stacks"], "stack_used_bytes": run["stacks_used"],
        "peak_ram_bytes": run["arenas"] + run["stacks_used"],
        "jobs_logged": run["jobs"], "jobs_lost": run["jobs_lost"],
        "tasks": tasks, "jobs": raw["jobs"],
    }


def ms(us) -> str:
    return "-" if us is None else f"{us / 1000:.3f}"


def table(scen: sc_mod.Scenario, r: dict, native: bool = False) -> str:
    head = ["task", "model", "release", "deadline ms", "prio", "releases", "done", "misses", "wrong",
            "median ms", "p99 ms", "max ms", "jitter ms", "predicted max ms", "predicted", "measured"]
    rows = []
    for t in r["tasks"]:
        rows.append([t["name"], t["model"], t["release"], ms(t["deadline_us"]),
                     "-" if t["priority"] is None else str(t["priority"]),
                     str(t["releases"]), str(t["completions"]), str(t["misses"]), str(t["wrong"]),
                     ms(t["response_median_us"]), ms(t["response_p99_us"]), ms(t["response_max_us"]),
                     ms(t["jitter_us"]), ms(t["predicted_response"]),
                     "schedulable" if t["predicted_schedulable"] else "misses",
                     "no miss" if t["misses"] == 0 else f"{t['misses']} missed"])
    w = [max(len(h), *(len(x[i]) for x in rows)) for i, h in enumerate(head)]
    out = [f"scenario {scen.name}, policy {r['policy']}: {r['duration_us'] / 1e6:g} s of DUT time"]
    out.append("| " + " | ".join(h.ljust(w[i]) for i, h in enumerate(head)) + " |")
    out.append("|" + "|".join("-" * (x + 2) for x in w) + "|")
    for x in rows:
        out.append("| " + " | ".join(c.ljust(w[i]) for i, c in enumerate(x)) + " |")
    out.append(f"run: utilization {100 * r['utilization']:.1f}%, idle {ms(r['idle_us'])} ms, "
               f"{r['context_switches']} context switches, RAM {r['peak_ram_bytes']:,} B "
               f"(arenas {r['arena_bytes']:,} + stacks used {r['stack_used_bytes']:,} of {r['stack_bytes']:,})" +
               (" (native: the tasks run on host threads, their stacks are not measured)" if native else ""))
    if r["jobs_lost"]:
        out.append(f"note: the DUT's job log holds {r['jobs_logged']} jobs; {r['jobs_lost']} more are in the "
                   "counts but not in the median and 99th percentile (a shorter --duration keeps them all)")
    if any(t["inputs_kind"] != "selftest pair" for t in r["tasks"]):
        out.append("inputs (cycled, one a job, each checked against its own expected output): " + "; ".join(
            f"{t['name']} {len(t['inputs'])} {t['inputs_kind']}"
            f"{' pairs' if t['inputs_kind'] == 'golden' else ' files' if t['inputs_kind'] == 'dataset' else ''}"
            f" ({', '.join(t['inputs'][:2])}{', ...' if len(t['inputs']) > 2 else ''})" for t in r["tasks"]))
        if any(t["inputs_kind"] == "dataset" for t in r["tasks"]):
            out.append("  " + REFERENCE)
    if r.get("stream"):
        s = r["stream"]
        out.append(f"stream: {s['wav']} over the second UART, {s['hops']} hops, {len(s['detections'])} detected the "
                   f"wake word (hops {', '.join(map(str, s['detections'][:6]))}{', ...' if len(s['detections']) > 6 else ''}), "
                   f"{s['underruns']} underruns (a block the host had not delivered when its hop was due: the hop "
                   "is then due when it came: the stream's timeline pauses)")
    for t in r["tasks"]:
        if t["wrong_inputs"]:
            out.append(f"  {t['name']}: WRONG results on {', '.join(t['wrong_inputs'])}")
    methods = sorted({t["method"] for t in r["tasks"]})
    out.append("analysis: " + "; ".join(methods) + ", from each model's worst time alone: " +
               ", ".join(f"{m} {ms(c)} ms" for m, c in sorted({t['model']: t['wcet_alone_us'] for t in r['tasks']}.items())))
    for t in r["tasks"]:
        agree = t["predicted_schedulable"] == (t["misses"] == 0)
        if not agree:
            late = (r.get("stream") or {}).get("underruns", 0)
            why = (f"{late} of the stream's blocks came late from the host (underruns): a hop waiting for its "
                   "audio is not in C" if late and t["misses"] else why_disagree(r["policy"], t))
            out.append(f"  {t['name']}: the analysis says {'schedulable' if t['predicted_schedulable'] else 'misses'}, "
                       f"the run {'missed ' + str(t['misses']) if t['misses'] else 'missed none'}: " + why)
    return "\n".join(out)


def why_disagree(policy: str, t: dict) -> str:
    if policy == "rtc":
        return ("the run-to-completion bound assumes one job of every other task ahead of each job; "
                "the run's phasing does not reach that worst case" if t["misses"] == 0 else
                "the bound is not exact: queued backlog of the same task is not in it")
    if policy == "fp":
        return ("RTA's critical instant (every task released together) is not reached by the "
                "scenario's phases within the run" if t["misses"] == 0 else
                "the measured times include the kernel's switches and timer interrupts, which C leaves out")
    return ("the demand test is exact only for synchronous releases with D <= T; the phases and "
            "triggers here differ" if t["misses"] == 0 else
            "the kernel's overheads (switches, timer interrupts) are not in C")


# -- the timeline picture ------------------------------------------------------------

def slices(r: dict, scen: sc_mod.Scenario) -> list[tuple[int, int, int]]:
    """(task, from, to) execution slices, reconstructed from the DUT's per-job
    start and end times with the policy's dispatch rule: at any moment the
    job running is the most urgent of the jobs started and not finished
    (fp: priority; edf: absolute deadline; rtc: only one is ever started)."""
    order = sc_mod.ordered(scen)
    prio = sc_mod.priorities(scen)
    jobs = [j for j in r["jobs"] if j["start"] is not None]
    times = sorted({j["start"] for j in jobs} | {j["end"] for j in jobs})
    out = []
    for a, b in zip(times, times[1:]):
        active = [j for j in jobs if j["start"] <= a and j["end"] >= b]
        if not active:
            continue
        if r["policy"] == "fp":
            j = max(active, key=lambda j: (prio[order[j["task"]].name], -j["start"]))
        elif r["policy"] == "edf":
            j = min(active, key=lambda j: (j["release"] + order[j["task"]].deadline_us, j["start"]))
        else:
            j = min(active, key=lambda j: j["start"])
        if out and out[-1][0] == j["task"] and out[-1][2] == a:
            out[-1] = (j["task"], out[-1][1], b)
        else:
            out.append((j["task"], a, b))
    return out


def timeline(results: list[dict], scen: sc_mod.Scenario, board: str, path: Path, span_us: int = 1_000_000,
             clock: dict | None = None):
    try:
        import matplotlib
    except ImportError:  # Debian's python3-matplotlib, seen from another python3
        sys.path.append("/usr/lib/python3/dist-packages")
        import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    order = sc_mod.ordered(scen)
    colors = ["tab:blue", "tab:orange", "tab:green", "tab:purple"]
    fig, axes = plt.subplots(len(results), 1, figsize=(13, 1.0 + 1.35 * len(results) * len(order) / 3 + 0.8),
                             squeeze=False)
    for ax, r in zip(axes[:, 0], results):
        span = min(span_us, r["duration_us"])
        for i, t in enumerate(order):
            y = len(order) - 1 - i
            segs = [(a / 1000, (b - a) / 1000) for (k, a, b) in slices(r, scen) if k == i and a < span]
            ax.broken_barh(segs, (y - 0.35, 0.7), facecolors=colors[i % 4], edgecolors=colors[i % 4], linewidth=0.6)
            rel = [j["release"] / 1000 for j in r["jobs"] if j["task"] == i and j["release"] < span]
            ax.plot(rel, [y + 0.42] * len(rel), "v", color="black", markersize=3.5, linestyle="none")
            miss = [(j["release"] + t.deadline_us) / 1000 for j in r["jobs"]
                    if j["task"] == i and j["release"] < span and
                    (j["end"] is None or j["end"] - j["release"] > t.deadline_us)]
            ax.plot(miss, [y] * len(miss), "x", color="red", markersize=7, mew=2, linestyle="none")
        ax.set_yticks(range(len(order)))
        ax.set_yticklabels([f"{t.name} ({t.model})" for t in reversed(order)])
        ax.set_xlim(0, span / 1000)
        ax.set_ylim(-0.7, len(order) - 0.2)
        misses = sum(t["misses"] for t in r["tasks"])
        ax.set_title(f"{r['policy']}: utilization {100 * r['utilization']:.0f}%, {misses} deadline misses, "
                     f"{r['context_switches']} context switches", fontsize=10, loc="left")
        ax.grid(axis="x", alpha=0.3)
    axes[-1, 0].set_xlabel("DUT time (ms)  -  bars: execution; triangles: releases; red x: a missed deadline")
    how = "QEMU -icount shift=0" if clock is None or clock["name"] == "icount" else \
        ("clock: layer MACs at %g ns" % (clock["ps_per_mac"] / 1000) if clock["name"] == "macs" else
         "clock: the M4's instructions per layer" if clock["name"] == "m4" else
         "clock: the host's CPU time per layer")
    fig.suptitle(f"tinyperf serve: scenario {scen.name} on {board} ({how}), "
                 f"first {min(span_us, results[0]['duration_us']) / 1e6:g} s", fontsize=11)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


# -- the command ---------------------------------------------------------------------

def resolve_scenario(name: str) -> Path:
    p = Path(name)
    if p.is_file():
        return p
    b = sc_mod.builtin(name)
    if b:
        return b
    known = sorted(x.stem for x in sc_mod.BUILTIN_DIR.glob("*.yaml"))
    raise ServeError(f"no scenario '{name}': not a file, nor a built-in one ({', '.join(known)})")


def boot(info: dict, audio_socket: str | None = None):
    from tinyperf_cli import bench
    from tinyperf_cli.dut import Dut, ProcessTransport
    native = info["kind"] == "host"
    extra = None if native else (
        ["-icount", ICOUNT_STREAM if audio_socket else ICOUNT] + (["-serial", f"unix:{audio_socket}"] if audio_socket else []))
    argv = project.launch_argv(info, icount_shift=None, extra=extra)
    dut = Dut(ProcessTransport(argv))
    try:
        dut.banner()
    except DutError as e:
        dut.close()
        raise ServeError(f"booting {' '.join(argv)}: {e}") from None
    return bench.Target(dut, info["board"], "native" if native else "qemu", None if native else 0, " ".join(argv))


def clock_of(info: dict, args) -> dict:
    """The DUT clock the figures are in: QEMU's instruction count, or on
    native the virtual clock charged per layer (--clock)."""
    if info["kind"] != "host":
        return {"name": "icount", "icount": ICOUNT,
                "text": f"QEMU -icount {ICOUNT}: 1 instruction = 1 ns"}
    if args.clock == "cpu":
        return {"name": "cpu", "text": "native, virtual clock charged per layer with the host thread's CPU time "
                                       "(CLOCK_THREAD_CPUTIME_ID; not deterministic)"}
    if args.clock == "m4":
        return {"name": "m4", "text": "native, virtual clock charged per layer with the Cortex-M4's measured "
                                      "instructions of the layer at 1 ns each (qemu_mps2_an386; "
                                      "boards/native/m4_layer_instructions.json; deterministic)"}
    return {"name": "macs", "ps_per_mac": args.ps_per_mac,
            "text": f"native, virtual clock charged per layer with its MACs at {args.ps_per_mac / 1000:g} ns each "
                    "(deterministic)"}


def clock_command(clock: dict) -> str | None:
    if clock["name"] == "macs":
        return f"serve clock macs {clock['ps_per_mac']}"
    if clock["name"] in ("cpu", "m4"):
        return f"serve clock {clock['name']}"
    return None


def scale(scen: sc_mod.Scenario, f: float):
    """Every period, phase and deadline times f (a scenario sized for one CPU
    on a faster or slower one: the load stays the same when f is the ratio of
    their inference times)."""
    for t in scen.tasks:
        t.period_us = round(t.period_us * f)
        t.phase_us = round(t.phase_us * f)
        t.deadline_us = max(1, round(t.deadline_us * f))
        if t.trigger is None and t.period_us == 0:
            t.period_us = 1
    scen.name = f"{scen.name} (times x{f:g})"


def serve(args) -> int:
    from tinyperf_cli import datasets
    dataset_dir = Path(args.dataset) if args.dataset else datasets.DEFAULT_DATASETS
    golden_dir = datasets.DEFAULT_GOLDEN if datasets.DEFAULT_GOLDEN.is_dir() else None
    try:
        scen = sc_mod.load(resolve_scenario(args.scenario), project.MODELS, golden_dir, dataset_dir)
    except (sc_mod.ScenarioError, ServeError) as e:
        print(f"tinyperf: error: {e}", file=sys.stderr)
        return 1
    if args.time_scale is not None:
        if not 0.001 <= args.time_scale <= 1000:
            print("tinyperf: error: --time-scale: 0.001 .. 1000", file=sys.stderr)
            return 1
        scale(scen, args.time_scale)
    duration = args.duration if args.duration is not None else scen.duration_s
    if duration <= 0 or duration > 600:
        print("tinyperf: error: --duration: above 0, at most 600 s", file=sys.stderr)
        return 1
    if args.image:
        info = json.loads((Path(args.image).resolve().parent / "board-info.json").read_text())
    else:
        from tinyperf_cli.main import variant
        info = project.build(variant(args), quiet=True, targets=["tinyperf"] if args.board == "native" else None)
    if info["kind"] not in ("arm", "host"):
        print(f"tinyperf: error: serve needs the kernel: {info['board']} runs the bare loop "
              "(serving runs on the Cortex-M images and on native)", file=sys.stderr)
        return 1
    if info["kind"] != "host" and (args.clock is not None or args.ps_per_mac is not None):
        print(f"tinyperf: error: --clock and --ps-per-mac are for the native board; {info['board']}'s clock is "
              f"QEMU's instruction count (-icount {ICOUNT})", file=sys.stderr)
        return 1
    if args.ps_per_mac is not None and args.clock == "cpu":
        print("tinyperf: error: --ps-per-mac goes with --clock macs", file=sys.stderr)
        return 1
    if args.ps_per_mac is None:
        args.ps_per_mac = PS_PER_MAC
    elif not 1 <= args.ps_per_mac <= 1_000_000:
        print("tinyperf: error: --ps-per-mac: 1 .. 1000000", file=sys.stderr)
        return 1
    clock = clock_of(info, args)
    policies = list(sc_mod.POLICIES) if args.compare else [args.policy]
    results = []
    try:
        samples = host_samples(scen, dataset_dir, args.reference)
    except ServeError as e:
        print(f"tinyperf: error: {e}", file=sys.stderr)
        return 1
    except DutError as e:
        print(f"tinyperf: error: computing the dataset files' expected outputs: {e.report()}", file=sys.stderr)
        return 1
    st = sc_mod.stream_task(scen)
    feeder, audio, tmp = None, b"", None
    if st is not None and info["kind"] == "host":
        print(f"tinyperf: error: task {st.name}: streamed audio comes in on the QEMU boards' second UART; "
              f"{info['board']} has no audio input (run it on qemu_mps2_an386 or qemu_mps3_an547)", file=sys.stderr)
        return 1
    if st is not None:
        clock.update(icount=ICOUNT_STREAM, text=f"QEMU -icount {ICOUNT_STREAM}: 1 instruction = 1 ns "
                                                "(sleep=off; the DUT idles busy while audio is on its way: the stream follows the DUT's clock)")
        import tempfile
        wav = dataset_dir / datasets.dataset_folder(st.model) / st.inputs.wav
        try:
            audio = sww_stream.read_channel0(wav)
        except (OSError, sww_stream.StreamError) as e:
            print(f"tinyperf: error: task {st.name}: {wav}: {e}", file=sys.stderr)
            return 1
        tmp = tempfile.TemporaryDirectory(prefix="tp-serve-")
        feeder = sww_stream.AudioFeeder(str(Path(tmp.name) / "audio.sock"))
    try:
        target = boot(info, feeder.path if feeder else None)
    except ServeError as e:
        print(f"tinyperf: error: {e}", file=sys.stderr)
        return 1
    try:
        models = sorted({t.model for t in scen.tasks})
        if clock_command(clock):  # native: the clock first (calibration runs in it too)
            for l in send(target.dut, clock_command(clock)):
                if (m := re.fullmatch(r"m-serve-clock-\[(.*)\]", l)) and "measured_at" in m[1]:
                    clock["measured_at"] = _kv(m[1])["measured_at"]  # the M4 table's revision
                    clock["text"] += f", measured at {str(clock['measured_at'])[:12]}"
        # Refused before anything runs when the arenas do not fit; the RAM
        # the scenario takes is known (and printed) before it runs.
        answers = send_all(target.dut, sc_mod.commands(scen, policies[0], samples))
        lines = answers[-1]
        ram = next((_kv(m[1]) for l in lines if (m := re.fullmatch(r"m-serve-ram-\[(.*)\]", l))), None)
        if ram:
            print(f"{scen.name} on {info['board']}: {ram['tasks']} tasks, arenas {ram['arenas']:,} B of the "
                  f"{ram['pool']:,} B serving pool, stacks {ram['stacks']:,} B",
                  file=sys.stderr if args.json == "-" else sys.stdout)
        wcet = calibrate(target.dut, models, scen, samples)
        for p in policies:
            raw = run_policy(target.dut, scen, p, duration, samples, feeder, audio)
            results.append(summarize(scen, p, raw, wcet))
    except ServeError as e:
        print(f"tinyperf: error: {e}", file=sys.stderr)
        return 1
    except DutError as e:
        print(f"tinyperf: error: {e.report()}", file=sys.stderr)
        return 1
    finally:
        target.dut.close()
        if feeder:
            feeder.close()
            tmp.cleanup()
    out = {"scenario": scen.name, "file": str(scen.path), "board": info["board"],
           "icount": clock.get("icount"), "clock": {k: v for k, v in clock.items() if k != "text"},
           "clock_text": clock["text"], "duration_s": duration, "wcet_alone_us": wcet, "runs": results}
    if args.json == "-":
        print(json.dumps(out, indent=1))
    else:
        print(f"clock: {clock['text']}")
        for r in results:
            print(table(scen, r, native=info["kind"] == "host"))
            print()
        if args.compare:
            print(compare_table(results))
        if args.json:
            Path(args.json).write_text(json.dumps(out, indent=1) + "\n")
    if args.timeline:
        timeline(results, scen, info["board"], Path(args.timeline), clock=clock)
        print(f"timeline: {args.timeline}", file=sys.stderr if args.json == "-" else sys.stdout)
    wrong = sum(t["wrong"] for r in results for t in r["tasks"])
    if wrong:
        print(f"tinyperf: error: {wrong} results differ from the expected outputs", file=sys.stderr)
        return 1
    return 0


def compare_table(results: list[dict]) -> str:
    names = [t["name"] for t in results[0]["tasks"]]
    head = ["policy", *[f"{n} misses" for n in names], *[f"{n} max ms" for n in names],
            "utilization", "switches"]
    rows = [[r["policy"], *[str(t["misses"]) for t in r["tasks"]],
             *[ms(t["response_max_us"]) for t in r["tasks"]],
             f"{100 * r['utilization']:.1f}%", str(r["context_switches"])] for r in results]
    w = [max(len(h), *(len(x[i]) for x in rows)) for i, h in enumerate(head)]
    out = ["| " + " | ".join(h.ljust(w[i]) for i, h in enumerate(head)) + " |",
           "|" + "|".join("-" * (x + 2) for x in w) + "|"]
    out += ["| " + " | ".join(c.ljust(w[i]) for i, c in enumerate(x)) + " |" for x in rows]
    return "\n".join(out)


def register(sub, add_variant_args):
    p = sub.add_parser("serve", help="multi-model serving with deadlines: a scenario under fp / edf / rtc",
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_variant_args(p)
    p.add_argument("--image", help="boot this image (its build's board-info.json beside it) instead of building")
    p.add_argument("--scenario", required=True,
                   help="a scenario file, or a built-in one: concurrent, pipelined, overload, inputs, wakeword (scenarios/)")
    p.add_argument("--policy", choices=sc_mod.POLICIES, default="fp",
                   help="fp: fixed priority (rate-monotonic unless the scenario says), edf, "
                        "rtc: run to completion (default fp)")
    p.add_argument("--compare", action="store_true", help="run every policy, one after the other")
    p.add_argument("--duration", type=float, metavar="S", help="seconds of DUT time a run lasts (default: the scenario's)")
    p.add_argument("--time-scale", type=float, metavar="F",
                   help="multiply every period, phase and deadline by F (e.g. 0.2: the M4's scenarios on the M55)")
    p.add_argument("--json", metavar="FILE", nargs="?", const="-",
                   help="every figure and job as JSON: to FILE, or alone on stdout instead of the tables")
    p.add_argument("--timeline", metavar="PNG", help="draw the first second of each run (matplotlib)")
    p.add_argument("--dataset", metavar="DIR",
                   help="datasets folder for tasks with inputs: {dataset: ...} (default ../shared/mlperf-tiny/datasets)")
    p.add_argument("--reference", metavar="IMAGE",
                   help="the native image that computes the dataset files' expected outputs "
                        "(default: build it, ./tinyperf build --board native)")
    p.add_argument("--clock", choices=NATIVE_CLOCKS,
                   help="native only: what computing costs on the virtual clock, charged per layer: macs "
                        "(default: each layer's MACs at --ps-per-mac, deterministic), m4 (the Cortex-M4's "
                        "instructions of the layer measured under QEMU, a table in the image; deterministic) "
                        "or cpu (the host thread's measured CPU time of the layer)")
    p.add_argument("--ps-per-mac", type=int, metavar="PS",
                   help=f"native, --clock macs: picoseconds per MAC (default {PS_PER_MAC})")
    p.set_defaults(fn=serve)
