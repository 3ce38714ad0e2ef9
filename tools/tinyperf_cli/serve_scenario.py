"""Serving scenarios (`./tinyperf serve`): the file format, its parser, the
commands it becomes, and the schedulability analysis beside the measurement.

A scenario is a YAML file (JSON is YAML too) read with Debian's python3-yaml:

    name: concurrent
    description: ...
    duration_s: 1.0                 # DUT time of a run (optional; --duration wins)
    tasks:
      - name: camera                # 1..15 letters, digits, _ or -
        model: vww01                # a benchmark id of the image
        period_ms: 25               # periodic: release every period_ms ...
        phase_ms: 0                 # ... from phase_ms (optional, default 0)
        deadline_ms: 25             # relative deadline (optional: the period)
        priority: 3                 # optional (fixed priority; 1..28, higher is
                                    # more urgent): rate-monotonic order by default
      - name: classify
        model: ic01
        trigger: {task: camera, class: 0}   # released by camera's result when its
                                    # top-1 class is 0 (class: any, or left out: every result)
        deadline_ms: 40             # end to end: from the trigger chain's first release
        inputs: golden              # what its jobs run, cycled (optional; see below)

`inputs` (optional): the samples a task's jobs cycle through, one a job, each
job's output compared with its own sample's expected output:
    (left out)                  the model's one selftest pair (cmake/selftest.cmake)
    golden                      every golden pair of the model the serving image
                                carries (cmake/serve_inputs.cmake)
    [random_00, random_07]      those golden pairs (also {golden: [...]})
    {dataset: [tst_000000_Stop_7.bin, ...]}  files of the model's EnergyRunner
    {dataset: 8}                dataset (../shared/mlperf-tiny/datasets/<model>; 8: the
                                first 8 y_labels.csv names); the host loads them into
                                the DUT before the run with their expected outputs,
                                which our engine computes on the host (the native
                                image: byte-equal to TFLite on every golden pair;
                                TFLite itself is not installed here)
    stream                      sww01 only: the streaming wake word on audio the host
    {stream: FILE.wav}          streams over the DUT's second UART during the run
                                (default short_wav_easy10s.wav of the sww01 dataset
                                folder); each 32 ms hop is a job (period 32 ms, no
                                period_ms), and a task with `trigger: {task: <it>}`
                                is released by each hop that detects the wake word
At most 64 a task.

Every error names the file, the line and the field; nothing runs.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

MAX_TASKS = 4          # app/serve.cc kMaxTasks
MAX_PRIORITY = 28      # app/serve.cc kMaxTaskPriority
POLICIES = ("fp", "edf", "rtc")
TASK_KEYS = {"name", "model", "period_ms", "phase_ms", "deadline_ms", "priority", "trigger", "inputs"}
MAX_INPUTS = 64        # app/serve.cc kMaxTaskInputs
HOP_US = 32_000        # a stream task's period: sww01's hop (512 samples at 16 kHz)
STREAM_MODEL = "sww01"
DEFAULT_WAV = "short_wav_easy10s.wav"
INPUT_NAME = r"[A-Za-z0-9_.-]{1,23}"  # a golden pair or dataset file name (app/serve.cc: 23 characters)
TOP_KEYS = {"name", "description", "duration_s", "tasks"}
BUILTIN_DIR = Path(__file__).resolve().parents[2] / "scenarios"


class ScenarioError(Exception):
    pass


@dataclass
class Task:
    name: str
    model: str
    period_us: int = 0            # 0: triggered
    phase_us: int = 0
    deadline_us: int = 0
    priority: int | None = None   # None: rate-monotonic
    trigger: str | None = None
    trigger_class: int | None = None
    inputs: "Inputs | None" = None  # None: the image's selftest pair
    line: int = 0


@dataclass
class Inputs:
    kind: str                      # "golden", "dataset" or "stream"
    names: list[str] | None = None  # None: every golden pair of the image / the first `count` files
    count: int | None = None       # dataset: the first `count` files of y_labels.csv
    wav: str | None = None         # stream: the wav file
    line: int = 0


@dataclass
class Scenario:
    name: str
    path: Path
    description: str = ""
    duration_s: float = 1.0
    tasks: list[Task] = field(default_factory=list)

    def task(self, name: str) -> Task:
        return next(t for t in self.tasks if t.name == name)

    def root(self, t: Task) -> Task:
        while t.trigger is not None:
            t = self.task(t.trigger)
        return t


def builtin(name: str) -> Path | None:
    p = BUILTIN_DIR / f"{name}.yaml"
    return p if p.is_file() else None


def _yaml():
    try:
        import yaml
    except ImportError:  # Debian's python3-yaml, seen from another python3
        import sys
        sys.path.append("/usr/lib/python3/dist-packages")
        import yaml
    return yaml


def load(path: str | Path, models: list[str], golden_dir: Path | None = None,
         dataset_dir: Path | None = None) -> Scenario:
    """Parses and checks a scenario file; raises ScenarioError naming the line.
    With golden_dir / dataset_dir, the named golden pairs and dataset files
    must be there."""
    path = Path(path)
    yaml = _yaml()
    try:
        text = path.read_text()
    except OSError as e:
        raise ScenarioError(f"{path}: cannot read: {e.strerror}") from None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "?"
        raise ScenarioError(f"{path}:{where}: not valid YAML/JSON: {getattr(e, 'problem', e)}") from None

    def err(node, msg):
        return ScenarioError(f"{path}: line {node.start_mark.line + 1}: {msg}")

    def mapping(node, what):
        if not isinstance(node, yaml.MappingNode):
            raise err(node, f"{what} must be a mapping (key: value)")
        out = {}
        for k, v in node.value:
            if not isinstance(k, yaml.ScalarNode):
                raise err(k, f"{what}: keys are names")
            if k.value in out:
                raise err(k, f"{what}: '{k.value}' given twice")
            out[k.value] = (k, v)
        return out

    def scalar(node, key):
        if not isinstance(node, yaml.ScalarNode):
            raise err(node, f"'{key}' must be a single value")
        return _construct(yaml, node)

    def number(node, key, positive=False, allow_zero=True):
        v = scalar(node, key)
        if isinstance(v, bool) or not isinstance(v, (int, float)) or (isinstance(v, float) and not math.isfinite(v)):
            raise err(node, f"'{key}' must be a number, not {node.value!r}")
        if v < 0:
            raise err(node, f"'{key}' must not be negative ({v})")
        if v == 0 and not allow_zero:
            raise err(node, f"'{key}' must be above zero")
        return v

    if root is None:
        raise ScenarioError(f"{path}: line 1: empty scenario")
    top = mapping(root, "the scenario")
    for k, (kn, _) in top.items():
        if k not in TOP_KEYS:
            raise err(kn, f"unknown field '{k}' (known: {', '.join(sorted(TOP_KEYS))})")
    sc = Scenario(name=path.stem, path=path)
    if "name" in top:
        sc.name = str(scalar(top["name"][1], "name"))
    if "description" in top:
        sc.description = str(scalar(top["description"][1], "description"))
    if "duration_s" in top:
        sc.duration_s = float(number(top["duration_s"][1], "duration_s", allow_zero=False))
    if "tasks" not in top:
        raise err(root, "no 'tasks' list")
    tnode = top["tasks"][1]
    if not isinstance(tnode, yaml.SequenceNode) or not tnode.value:
        raise err(tnode, "'tasks' must be a non-empty list")
    if len(tnode.value) > MAX_TASKS:
        raise err(tnode, f"{len(tnode.value)} tasks: the DUT serves at most {MAX_TASKS}")
    trig_nodes = {}
    for node in tnode.value:
        m = mapping(node, "a task")
        for k, (kn, _) in m.items():
            if k not in TASK_KEYS:
                raise err(kn, f"task: unknown field '{k}' (known: {', '.join(sorted(TASK_KEYS))})")
        if "name" not in m:
            raise err(node, "task: no 'name'")
        name = str(scalar(m["name"][1], "name"))
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,15}", name):
            raise err(m["name"][1], f"task name '{name}': 1 to 15 letters, digits, _ or -")
        if any(t.name == name for t in sc.tasks):
            raise err(m["name"][1], f"task name '{name}' used twice")
        if "model" not in m:
            raise err(node, f"task {name}: no 'model'")
        model = str(scalar(m["model"][1], "model"))
        if model not in models:
            raise err(m["model"][1], f"task {name}: unknown model '{model}' (the image has: {', '.join(models)})")
        t = Task(name=name, model=model, line=node.start_mark.line + 1)
        if "inputs" in m:
            t.inputs = _inputs(yaml, m["inputs"][1], name, model, err, scalar, mapping, golden_dir, dataset_dir)
        if t.inputs is not None and t.inputs.kind == "stream":
            for k in ("trigger", "period_ms", "phase_ms"):
                if k in m:
                    raise err(m[k][0], f"task {name}: a stream's hops are its releases (every 32 ms): no '{k}'")
            t.period_us = HOP_US
        elif "trigger" in m:
            if "period_ms" in m or "phase_ms" in m:
                raise err(m["trigger"][0], f"task {name}: a triggered task has no period_ms or phase_ms")
            tr = m["trigger"][1]
            if isinstance(tr, yaml.ScalarNode):
                t.trigger = str(tr.value)
            else:
                tm = mapping(tr, f"task {name}: trigger")
                for k, (kn, _) in tm.items():
                    if k not in ("task", "class"):
                        raise err(kn, f"task {name}: trigger: unknown field '{k}' (known: class, task)")
                if "task" not in tm:
                    raise err(tr, f"task {name}: trigger: no 'task'")
                t.trigger = str(scalar(tm["task"][1], "task"))
                if "class" in tm:
                    c = scalar(tm["class"][1], "class")
                    if c != "any":
                        if isinstance(c, bool) or not isinstance(c, int) or c < 0:
                            raise err(tm["class"][1], f"task {name}: trigger class must be an output index or 'any'")
                        t.trigger_class = c
            trig_nodes[name] = m["trigger"][1]
        else:
            if "period_ms" not in m:
                raise err(node, f"task {name}: no 'period_ms' (or a 'trigger')")
            t.period_us = round(number(m["period_ms"][1], "period_ms", allow_zero=False) * 1000)
            if "phase_ms" in m:
                t.phase_us = round(number(m["phase_ms"][1], "phase_ms") * 1000)
        if "deadline_ms" in m:
            t.deadline_us = round(number(m["deadline_ms"][1], "deadline_ms", allow_zero=False) * 1000)
            if t.deadline_us == 0:
                raise err(m["deadline_ms"][1], f"task {name}: 'deadline_ms' below one microsecond")
        elif t.period_us:
            t.deadline_us = t.period_us
        else:
            raise err(node, f"task {name}: a triggered task needs 'deadline_ms' (end to end)")
        if "priority" in m:
            p = scalar(m["priority"][1], "priority")
            if isinstance(p, bool) or not isinstance(p, int) or not 1 <= p <= MAX_PRIORITY:
                raise err(m["priority"][1], f"task {name}: priority must be an integer 1..{MAX_PRIORITY}")
            t.priority = p
        if t.period_us and t.period_us > 600_000_000:
            raise err(m["period_ms"][1], f"task {name}: period above 600 s")
        sc.tasks.append(t)
    streams = [t for t in sc.tasks if t.inputs is not None and t.inputs.kind == "stream"]
    if len(streams) > 1:
        raise ScenarioError(f"{path}: line {streams[1].line}: task {streams[1].name}: one stream a scenario "
                            f"(the DUT has one audio input; {streams[0].name} is one)")
    # Triggers: known tasks, no cycle.
    names = {t.name for t in sc.tasks}
    for t in sc.tasks:
        if t.trigger is not None and t.trigger not in names:
            raise err(trig_nodes[t.name], f"task {t.name}: trigger names an unknown task '{t.trigger}'")
        if t.trigger in {u.name for u in streams} and t.trigger_class not in (None, 0):
            raise err(trig_nodes[t.name], f"task {t.name}: a stream releases on its wake-word detections: "
                                          "class 0 or any")
    for t in sc.tasks:
        seen = [t.name]
        u = t
        while u.trigger is not None:
            if u.trigger in seen:
                cycle = " -> ".join(seen[seen.index(u.trigger):] + [u.trigger])
                raise err(trig_nodes[t.name], f"task {t.name}: trigger cycle {cycle}: nothing would ever release it")
            seen.append(u.trigger)
            u = sc.task(u.trigger)
    return sc


def stream_task(sc: "Scenario") -> "Task | None":
    return next((t for t in sc.tasks if t.inputs is not None and t.inputs.kind == "stream"), None)


def _inputs(yaml, node, name, model, err, scalar, mapping, golden_dir, dataset_dir) -> Inputs:
    """A task's `inputs` field (see the module's text)."""
    from tinyperf_cli import datasets
    line = node.start_mark.line + 1

    def name_list(n, what):
        if not isinstance(n, yaml.SequenceNode) or not n.value:
            raise err(n, f"task {name}: inputs: {what} must be a non-empty list of names")
        if len(n.value) > MAX_INPUTS:
            raise err(n, f"task {name}: inputs: {len(n.value)} names, at most {MAX_INPUTS} a task")
        out = []
        for x in n.value:
            v = str(scalar(x, "inputs"))
            if not re.fullmatch(INPUT_NAME, v):
                raise err(x, f"task {name}: inputs: bad name {v!r} (1 to 23 letters, digits, _ . -)")
            if v in out:
                raise err(x, f"task {name}: inputs: {v!r} given twice")
            out.append(v)
        return out, n.value

    def stream(wav, where):
        if model != STREAM_MODEL:
            raise err(where, f"task {name}: inputs: stream: only {STREAM_MODEL} takes streamed audio")
        if not re.fullmatch(r"[A-Za-z0-9_.-]{1,64}\.wav", wav):
            raise err(where, f"task {name}: inputs: stream: {wav!r} is not a .wav file name")
        if dataset_dir is not None:
            f = Path(dataset_dir) / datasets.dataset_folder(model) / wav
            if not f.is_file():
                raise err(where, f"task {name}: inputs: stream: {f} is not there")
        return Inputs("stream", wav=wav, line=line)

    if isinstance(node, yaml.ScalarNode):
        v = str(node.value)
        if v == "stream":
            return stream(DEFAULT_WAV, node)
        if v != "golden":
            raise err(node, f"task {name}: inputs: '{v}' is not 'golden', a list of golden pairs, "
                            "{golden: [...]} or {dataset: [...] | N}")
        return Inputs("golden", line=line)
    if isinstance(node, yaml.SequenceNode):
        kind, sub = "golden", node
    else:
        mp = mapping(node, f"task {name}: inputs")
        if len(mp) != 1 or next(iter(mp)) not in ("golden", "dataset", "stream"):
            k = next(iter(mp), "")
            where = mp[k][0] if k else node
            raise err(where, f"task {name}: inputs: one of 'golden', 'dataset' or 'stream' "
                             f"(not {', '.join(mp) or 'nothing'})")
        kind = next(iter(mp))
        sub = mp[kind][1]
        if kind == "stream":
            return stream(str(scalar(sub, "stream")), sub)
    if model == STREAM_MODEL and kind == "dataset":
        raise err(sub, f"task {name}: inputs: {model}'s dataset is audio: inputs: stream")
    bench = datasets.BENCHMARKS.get(model)
    if kind == "golden":
        names, nodes = name_list(sub, "golden")
        if golden_dir is not None and bench is not None:
            d = Path(golden_dir) / bench.golden
            suffix = _golden_suffix(model)
            for v, x in zip(names, nodes):
                f = d / f"{v}{suffix}"
                if not f.is_file():
                    raise err(x, f"task {name}: inputs: no golden pair {v!r} of {model} ({f} is not there)")
                if f.stat().st_size != bench.input_bytes:
                    raise err(x, f"task {name}: inputs: golden pair {v!r}: {f.stat().st_size} bytes, "
                                 f"{model} takes {bench.input_bytes}")
        return Inputs("golden", names=names, line=line)
    # dataset
    if bench is not None and bench.metric == "auc":
        raise err(sub, f"task {name}: inputs: {model}'s dataset files are cut into windows; "
                       "use its golden pairs (inputs: golden)")
    if isinstance(sub, yaml.ScalarNode):
        c = scalar(sub, "dataset")
        if isinstance(c, bool) or not isinstance(c, int) or not 1 <= c <= MAX_INPUTS:
            raise err(sub, f"task {name}: inputs: dataset: a count 1..{MAX_INPUTS} or a list of file names")
        inp = Inputs("dataset", count=c, line=line)
        nodes = [sub] * c
    else:
        names, nodes = name_list(sub, "dataset")
        inp = Inputs("dataset", names=names, line=line)
    if dataset_dir is not None:
        folder = Path(dataset_dir) / datasets.dataset_folder(model)
        try:
            files = resolve_dataset(inp, model, Path(dataset_dir))
        except datasets.DatasetError as e:
            raise err(sub, f"task {name}: inputs: dataset: {e}") from None
        for v, x in zip(files, nodes):
            f = folder / v
            if not f.is_file():
                raise err(x, f"task {name}: inputs: no dataset file {v!r} ({f} is not there)")
            if bench is not None and f.stat().st_size != bench.input_bytes:
                raise err(x, f"task {name}: inputs: {f}: {f.stat().st_size} bytes, {model} takes {bench.input_bytes}")
    return inp


def _golden_suffix(model: str) -> str:
    from tinyperf_cli import project
    d = next(d for d in project.benchmark_declarations() if d["id"] == model)
    return d.get("golden_suffixes", [".in.bin", ".out.bin"])[0]


def resolve_dataset(inp: Inputs, model: str, dataset_dir: Path) -> list[str]:
    """The dataset file names of `inputs: {dataset: ...}`: as listed, or the
    first `count` rows of y_labels.csv."""
    from tinyperf_cli import datasets
    if inp.names is not None:
        return list(inp.names)
    index = Path(dataset_dir) / datasets.dataset_folder(model) / "y_labels.csv"
    if not index.is_file():
        raise datasets.DatasetError(f"no {index}")
    rows = datasets.parse_index(index.read_text(), str(index))
    if len(rows) < inp.count:
        raise datasets.DatasetError(f"{index} lists {len(rows)} files, fewer than {inp.count}")
    return [r.file for r in rows[:inp.count]]


def _construct(yaml, node):
    # Resolves one scalar node as the safe loader would (int, float, bool, str).
    return yaml.SafeLoader("").construct_object(node, deep=True)


# -- what the DUT gets -------------------------------------------------------------

def ordered(sc: Scenario) -> list[Task]:
    """Tasks in an order where every trigger comes before what it releases."""
    out: list[Task] = []
    while len(out) < len(sc.tasks):
        for t in sc.tasks:
            if t not in out and (t.trigger is None or sc.task(t.trigger) in out):
                out.append(t)
    return out


def priorities(sc: Scenario) -> dict[str, int]:
    """Fixed priorities: as given, else rate-monotonic (shorter period of the
    chain's root first, then shorter deadline; a triggered task just below
    its trigger)."""
    given = {t.name: t.priority for t in sc.tasks if t.priority is not None}
    if len(given) == len(sc.tasks):
        return given
    def key(t):
        depth, u = 0, t
        while u.trigger is not None:
            depth, u = depth + 1, sc.task(u.trigger)
        return (u.period_us, depth, t.deadline_us, sc.tasks.index(t))
    rank = sorted((t for t in sc.tasks if t.priority is None), key=key, reverse=True)
    out = dict(given)
    for i, t in enumerate(rank):
        out[t.name] = i + 1 + (max(given.values()) if given else 0)
    return out


DATA_CHUNK = 48  # bytes per `serve data` line (96 hex digits: the DUT's lines hold 127 characters)


def input_commands(t: Task, index: int, samples: dict | None = None) -> list[str]:
    """The commands that give task number `index` its inputs: `serve input` for
    golden pairs, `serve sample` + `serve data` for host-loaded samples
    (samples[t.name]: a list of (name, input bytes, expected output bytes))."""
    if t.inputs is None or t.inputs.kind == "stream":
        return []
    if t.inputs.kind == "golden":
        return [f"serve input {index},{n}" for n in (t.inputs.names or ["*"])]
    cmds = []
    for name, data, expected in (samples or {}).get(t.name, []):
        blob = data + expected
        cmds.append(f"serve sample {index},{name},{len(data)},{len(expected)}")
        cmds += [f"serve data {blob[i:i + DATA_CHUNK].hex()}" for i in range(0, len(blob), DATA_CHUNK)]
    return cmds


def commands(sc: Scenario, policy: str, samples: dict | None = None) -> list[str]:
    prio = priorities(sc)
    order = ordered(sc)
    index = {t.name: i for i, t in enumerate(order)}
    cmds = ["serve clear"]
    for t in order:
        trig = "-" if t.trigger is None else str(index[t.trigger])
        cls = "-" if t.trigger_class is None else str(t.trigger_class)
        if t.inputs is not None and t.inputs.kind == "stream":
            cmds.append(f"serve stream {t.name},{t.deadline_us},{prio[t.name]}")
            continue
        cmds.append(f"serve task {t.name},{t.model},{t.period_us},{t.phase_us},{t.deadline_us},"
                    f"{prio[t.name]},{trig},{cls}")
        cmds += input_commands(t, index[t.name], samples)
    cmds.append(f"serve policy {policy}")
    return cmds


# -- analysis ----------------------------------------------------------------------

def period_of(sc: Scenario, t: Task) -> int:
    return sc.root(t).period_us


def rta_fp(sc: Scenario, wcet: dict[str, int]) -> dict[str, dict]:
    """Response-time analysis for preemptive fixed priorities (Joseph & Pandya,
    Audsley et al.): R = C + sum over higher priorities of ceil((R + J_j) / T_j) C_j,
    iterated to a fixed point (J_j: j's release jitter). A triggered task is sporadic with its chain root's
    period and a release jitter equal to its trigger's worst response; its
    end-to-end response is its trigger's plus its own, and its own chain
    does not interfere with it (valid while the chain ends within its
    root's period, which the verdict requires). Context switches and
    timer interrupts are not in C (they are in the measurement)."""
    prio = priorities(sc)
    res: dict[str, dict] = {}
    for t in ordered(sc):
        c = wcet[t.model]
        # A task's own trigger chain does not interfere with it: the chain's
        # next root job comes a period later (checked below: e2e <= period).
        chain = set()
        u = t
        while u.trigger is not None:
            chain.add(u.trigger)
            u = sc.task(u.trigger)
        hp = [u for u in sc.tasks if u is not t and u.name not in chain and prio[u.name] > prio[t.name]]
        jit = {u.name: (res[u.trigger]["e2e"] if u.trigger and u.trigger in res else 0) for u in hp}
        bound = 100 * max(period_of(sc, t), t.deadline_us)
        r = c
        while True:
            nr = c + sum(math.ceil((r + jit[u.name]) / period_of(sc, u)) * wcet[u.model] for u in hp)
            if nr == r or nr > bound:
                r = nr
                break
            r = nr
        e2e = r + (res[t.trigger]["e2e"] if t.trigger else 0)
        ok = e2e <= t.deadline_us and (not chain or e2e <= period_of(sc, t))
        res[t.name] = {"response": r, "e2e": e2e, "schedulable": ok}
    return res


def edf_test(sc: Scenario, wcet: dict[str, int]) -> dict:
    """EDF: utilization U = sum C/T, and the processor-demand test (Baruah et
    al.): h(t) = sum over tasks of max(0, floor((t - D_i) / T_i) + 1) C_i <= t
    for every absolute deadline t up to the hyperperiod plus the largest
    deadline (exact for synchronous periodic tasks with D <= T; a triggered
    task counts as released with its chain root, deadline end to end)."""
    ts = [(wcet[t.model], period_of(sc, t), t.deadline_us) for t in sc.tasks]
    u = sum(c / p for c, p, _ in ts)
    if u > 1:
        return {"utilization": u, "schedulable": False, "why": f"U = {u:.3f} > 1"}
    hyper = 1
    for _, p, _ in ts:
        hyper = hyper * p // math.gcd(hyper, p)
    horizon = min(hyper + max(d for _, _, d in ts), 10_000_000_000)
    points = sorted({d + k * p for _, p, d in ts for k in range(0, max(0, (horizon - d) // p) + 1)
                     if d + k * p <= horizon and k < 200_000})
    for t in points:
        h = sum(max(0, (t - d) // p + 1) * c for c, p, d in ts)
        if h > t:
            return {"utilization": u, "schedulable": False,
                    "why": f"demand {h} us > {t} us at t = {t} us"}
    return {"utilization": u, "schedulable": True, "why": f"U = {u:.3f}, demand <= t at every deadline"}


def rtc_test(sc: Scenario, wcet: dict[str, int]) -> dict[str, dict]:
    """Run to completion (FIFO, no preemption): a bound, not exact. A job can
    wait for one job of every other task already queued or running, so
    R <= C + sum of the others' C (when every task's period is longer than
    that); it misses for sure when one other job alone does not fit:
    C + max other C > D with a phasing that puts it behind (which periodic
    releases of co-prime periods reach)."""
    out = {}
    for t in ordered(sc):
        c = wcet[t.model]
        others = [wcet[u.model] for u in sc.tasks if u is not t and u.name != t.trigger]
        bound = c + sum(others) + (out[t.trigger]["e2e"] if t.trigger in out else 0)
        worst_block = c + (max(others) if others else 0)
        out[t.name] = {"response": bound, "e2e": bound, "schedulable": bound <= t.deadline_us,
                       "surely_misses": worst_block > t.deadline_us}
    return out
