"""What `tinyperf bench` shows and keeps: progress, the result table, JSON, comparisons.

A result is a dict (one per model and mode) as the JSON file stores it:
  performance: model, mode="performance", unit, figure, us_per_inference,
               windows=[{inferences, warmups, start_us, end_us, span_us}], ...
  accuracy:    model, mode="accuracy", metric ("top1"|"auc"), figure, ...
  skipped:     model, mode, skipped="<why>"
"""
from __future__ import annotations

import datetime
import json
import subprocess
import sys
import time

from tinyperf_cli import project

# One versioned JSON format for `bench` and `perf` (and whatever comes next):
# the same envelope (format, tool, date, git revision, board(s), image(s)),
# each tool's figures under "results". read_json() takes either tool's file
# and the older bench-only format name.
FORMAT = "tinyperf-results/1"
OLDER_FORMATS = ("tinyperf-bench/1",)


def _clock(seconds: float) -> str:
    s = int(seconds + 0.5)
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


class Progress:
    """A one-line bar on a tty stderr; elsewhere a plain line every `every` seconds."""

    def __init__(self, label: str, total: int, unit: str, stream=None, every: float = 15.0):
        self.label, self.total, self.unit = label, total, unit
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.every = every
        self.start = self.last = time.monotonic()
        self.done = self.inferences = 0
        self.shown = False

    def update(self, done: int, inferences: int = 0, note: str = ""):
        self.done, self.inferences = done, self.inferences + inferences
        now = time.monotonic()
        if now - self.last >= (0.1 if self.tty else self.every) or done == self.total:
            self.last = now
            self._show(now, note)

    def _show(self, now: float, note: str):
        elapsed = now - self.start
        left = (f", {_clock(elapsed * (self.total - self.done) / self.done)} left"
                if 0 < self.done < self.total else "")
        text = (f"{self.label}: {self.done}/{self.total} {self.unit}, {self.inferences} inferences, "
                f"{_clock(elapsed)} elapsed{left}{note and ', ' + note}")
        if self.tty:
            width = 24
            fill = width * self.done // max(self.total, 1)
            self.stream.write(f"\r\033[K[{'#' * fill}{'.' * (width - fill)}] {text}")
        else:
            self.stream.write(f"tinyperf: {text}\n")
        self.stream.flush()
        self.shown = True

    def close(self):
        if self.tty and self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()


# -- figures --------------------------------------------------------------------

def lower_is_better(r: dict) -> bool:
    return r["mode"] == "performance"


def quality(r: dict) -> dict | None:
    """An accuracy result against its benchmark's MLPerf Tiny quality target:
    {"target", "pass", "margin"} (margin in the metric's unit), or None."""
    from tinyperf_cli.datasets import BENCHMARKS
    b = BENCHMARKS.get(r["model"])
    if r.get("skipped") or r["mode"] != "accuracy" or b is None or b.metric != r.get("metric"):
        return None
    margin = r["figure"] - b.target
    return {"target": b.target, "pass": margin >= 0, "margin": round(margin, 6)}


def quality_text(r: dict) -> str:
    q = quality(r)
    if q is None:
        return ""
    verdict = "pass" if q["pass"] else "FAIL"
    if r["metric"] == "auc":
        return f"target AUC {q['target']:.2f}: {verdict} by {abs(q['margin']):.3f}"
    return f"target {100 * q['target']:.0f}%: {verdict} by {100 * abs(q['margin']):.1f} points"


def figure_text(r: dict) -> str:
    if r.get("skipped"):
        return "skipped"
    if r["mode"] == "accuracy":
        if r["metric"] == "auc":
            return f"AUC {r['figure']:.3f}, {quality_text(r)}"
        return f"{100 * r['figure']:.1f}% top-1 ({r['correct']}/{r['total']}), {quality_text(r)}"
    if r["unit"] == "instructions/inference":
        return f"{r['figure']:,.0f} instr/inf"
    return f"{r['figure']:.3f} ms/inf ({1000 / r['figure']:.2f} inf/s)"


def detail_text(r: dict) -> str:
    if r.get("skipped"):
        return r["skipped"]
    if r["mode"] == "accuracy":
        extra = f", {r['windows']} windows" if r.get("windows") else ""
        ties = f", {r['ties']} tied" if r.get("ties") else ""
        return f"{r['total']} files{extra}{ties} in {r['wall_s']:.0f} s"
    w = r["windows"]
    med = w[r["median_window"]]
    kind = "quick, " if r["quick"] else ""
    shift = f", icount shift={r['icount_shift']}" if r.get("icount_shift") is not None else ""
    span = med["span_us"]
    span = f"{span / 1e6:.3f} s" if span >= 1e6 else f"{span} us"
    return (f"{kind}{len(w)} window(s) x {med['inferences']} inf (+{med['warmups']} warm-up); "
            f"median m-lap-us {med['start_us']}..{med['end_us']} = {span}{shift}")


def results_of(rec: dict) -> list[dict]:
    """A record's figures as bench-style results, whichever tool wrote it
    (perf's per-board rows become performance results with their board)."""
    if rec.get("tool") != "perf":
        return [dict(r, board=r.get("board", rec.get("board"))) for r in rec.get("results", [])]
    out = []
    for b in rec.get("results", []):
        for model, row in b.get("models", {}).items():
            out.append({"model": model, "mode": "performance", "board": b["board"],
                        "unit": "instructions/inference", "figure": float(row["instructions"])})
    return out


def compare(old: dict, r: dict, board: str | None = None) -> str:
    """'better -3.1%' / 'worse +2.0%' / 'same' against the same model and mode
    (and board, where both records say) in old."""
    prev = next((o for o in results_of(old)
                 if o["model"] == r["model"] and o["mode"] == r["mode"] and not o.get("skipped")
                 and (board is None or o.get("board") in (None, board))), None)
    if r.get("skipped") or prev is None:
        return ""
    if (prev.get("unit"), prev.get("metric")) != (r.get("unit"), r.get("metric")):
        return "n/a (other unit)"
    a, b = prev["figure"], r["figure"]
    if a == b:
        return "same"
    better = (b < a) == lower_is_better(r)
    change = f"{100 * (b - a) / a:+.1f}%" if a else f"{b - a:+g}"
    return f"{'better' if better else 'worse'} {change} (was {figure_text(prev)})"


def table(results: list[dict], old: dict | None = None, board: str | None = None) -> str:
    rows = [("model", "mode", "figure", "behind it")]
    if old is not None:
        rows[0] += ("vs old",)
    for r in results:
        row = (r["model"], r["mode"], figure_text(r), detail_text(r))
        rows.append(row + ((compare(old, r, board),) if old is not None else ()))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths)) + "  " + row[-1] for row in rows]
    return "\n".join(l.rstrip() for l in lines)


# -- the JSON record --------------------------------------------------------------

def git_revision() -> str:
    try:
        rev = subprocess.run(["git", "-C", str(project.ROOT), "rev-parse", "HEAD"],
                             capture_output=True, text=True, timeout=10)
        if rev.returncode != 0:
            return "unknown"
        dirty = subprocess.run(["git", "--no-optional-locks", "-C", str(project.ROOT), "status",
                                "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=10).stdout.strip()
        return rev.stdout.strip() + ("-dirty" if dirty else "")
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"


def record(target: dict, results: list[dict], tool: str = "bench") -> dict:
    for r in results:
        if isinstance(r, dict) and "mode" in r:
            q = quality(r)
            if q is not None:
                r["quality_target"] = q
    return {
        "format": FORMAT,
        "tool": tool,
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "git_revision": git_revision(),
        **target,
        "results": results,
    }


def write_json(path: str, rec: dict):
    """`path` "-" writes to standard output."""
    if path == "-":
        json.dump(rec, sys.stdout, indent=1)
        sys.stdout.write("\n")
        sys.stdout.flush()
        return
    with open(path, "w") as f:
        json.dump(rec, f, indent=1)
        f.write("\n")


def read_json(path: str) -> dict:
    try:
        with open(path) as f:
            rec = json.load(f)
    except (OSError, ValueError) as e:
        raise ValueError(f"cannot read {path}: {e}") from None
    if rec.get("format") not in (FORMAT, *OLDER_FORMATS):
        raise ValueError(f"{path} is not a tinyperf results record ({FORMAT})")
    return rec
