"""A tinyperf run in the official runner's results layout (`bench --runner-results DIR`).

The MLCommons runner (mlcommons/tiny benchmark/runner/main.py) leaves, per
session, `results.txt` (the lines a submission quotes) and `results.json`
(every step's raw result), beside `log.txt` (the DUT transcript). This writes
the same two files for each model of a tinyperf run, in
`DIR/<model>/`, with the runner's wording and arithmetic:

- performance: one block per window (inferences, runtime in DUT seconds,
  throughput in inferences per DUT second, "Runtime requirements have been
  met." over 10 s), then "Median throughput is ... inf./sec.";
- accuracy: "Top 1% = .." from each file's majority class over its windows
  and "AUC = ..": class scores normalised to sum to one, averaged over the
  file's windows, then ROC AUC one-vs-rest averaged over classes (binary for
  two classes), as sklearn's roc_auc_score computes it for the runner; ad01's
  single score per window gives its AUC directly (the anomaly score against
  the normal/anomalous label), which is the figure MLPerf Tiny reports for it.
"""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from tinyperf_cli import metrics


def _stamp() -> str:
    return datetime.now().strftime("%m%d.%H%M%S ")


def performance_lines(r: dict) -> tuple[list[str], list[dict]]:
    lines, raw = [], []
    throughputs = []
    for i, w in enumerate(r["windows"], 1):
        seconds = w["span_us"] / 1e6
        tput = w["inferences"] / seconds if seconds > 0 else 0.0
        throughputs.append(tput)
        lines += [f"Performance results for window {i}",
                  f"    # Inferences : {w['inferences']}",
                  f"    Runtime: {seconds} sec.",
                  f"    Throughput: {tput} inf./sec."]
        if seconds > 10.0:
            lines.append("    Runtime requirements have been met.")
        raw.append({"infer": {"start_time": w["start_us"], "end_time": w["end_us"],
                              "elapsed_time": w["span_us"], "total_inferences": 1,
                              "iterations": w["inferences"], "warmups": w["warmups"],
                              "throughput": tput}, "mode": "p"})
    med = metrics.median(throughputs)
    bar = "ulp-mlperf: ---------------------------------------------------------"
    lines += [f"{_stamp()}{bar}", f"{_stamp()}ulp-mlperf: Median throughput is {med:>10.3f} inf./sec.",
              f"{_stamp()}{bar}"]
    return lines, raw


def _normalised(v: list[float]) -> list[float]:
    if len(v) == 1:
        return list(v)
    total = sum(v)
    return [x / total for x in v] if total else list(v)


def accuracy_figures(files: list[dict]) -> tuple[float, float]:
    """(top-1 percent, AUC) as the runner computes them from per-file scores."""
    correct = 0
    y_true, y_pred = [], []
    for f in files:
        per_window = [_normalised(w) for w in f["results"]]
        votes = {}
        for w in per_window:
            c = metrics.argmax(w)
            votes[c] = votes.get(c, 0) + 1
        majority = max(votes.items(), key=lambda kv: (kv[1], -list(votes).index(kv[0])))[0]
        correct += majority == f["class"]
        avg = [sum(col) / len(per_window) for col in zip(*per_window)]
        y_true.append(f["class"])
        y_pred.append(avg)
    top1 = 100 * correct / len(files)
    width = len(y_pred[0])
    if width == 1:  # ad01: the anomaly score itself
        auc = metrics.roc_auc(y_true, [p[0] for p in y_pred])
    elif width == 2:
        auc = metrics.roc_auc(y_true, [p[1] for p in y_pred])
    else:  # one-vs-rest, macro average over the classes present
        present = sorted(set(y_true))
        aucs = [metrics.roc_auc([int(t == c) for t in y_true], [p[c] for p in y_pred]) for c in present]
        auc = sum(aucs) / len(aucs)
    return top1, auc


def accuracy_lines(r: dict) -> tuple[list[str], list[dict]]:
    top1, auc = accuracy_figures(r["files"])
    raw = [{"file": f["file"], "class": f["class"], "mode": "a",
            "infer": {"results": w, "iterations": 1, "total_inferences": 1}}
           for f in r["files"] for w in f["results"]]
    return [f"{_stamp()}ulp-mlperf: Top 1% = {top1:2.1f}", f"{_stamp()}ulp-mlperf: AUC = {auc:.3f}"], raw


def write(results: list[dict], out_dir: str | Path) -> list[Path]:
    """Writes <out_dir>/<model>/results.txt and results.json for each model
    measured (performance and accuracy of one model share its folder, as
    they would share a session); returns the folders written."""
    out, by_model = Path(out_dir), {}
    for r in results:
        if r.get("skipped"):
            continue
        if r["mode"] == "performance":
            lines, raw = performance_lines(r)
        elif r["mode"] == "accuracy" and r.get("files"):
            lines, raw = accuracy_lines(r)
        else:
            continue
        txt, js = by_model.setdefault(r["model"], ([], []))
        txt += lines
        js += raw
    written = []
    for model, (txt, js) in by_model.items():
        d = out / model
        d.mkdir(parents=True, exist_ok=True)
        (d / "results.txt").write_text("\n".join(txt) + "\n")
        (d / "results.json").write_text(json.dumps(js))
        written.append(d)
    return written
