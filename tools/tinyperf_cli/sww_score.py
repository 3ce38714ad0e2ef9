"""sww01 (streaming wake word) scoring, as the MLPerf Tiny runner scores it.

Facts from mlcommons/tiny benchmark/runner/streaming_ww_utils.py
(calc_detection_stats, process_dutycycle); written here from those facts,
standard library only:

- The first detection is the sync marker (the DUT pulses WW_DETECTED on its
  first hop after `start`): every other detection's time is taken relative
  to it. No detection at all is an error (the runner raises).
- Each detection window [t_start, t_stop] of the test JSON, in order: the
  runner adds its 1 s delay to t_stop and then accepts detections up to
  t_stop + delay again, i.e. up to 2 s after the word ends (its README says
  1 s; we follow its code, both ends inclusive). Every detection inside is
  removed; the window is a true positive if there was at least one, else a
  false negative.
- The remaining detections are false positives, debounced: walking them in
  order, each removes the later ones in (t, t + 1000 ms].
- Duty cycle: mean(stop - start) / mean(period between starts) of the
  PROCESSING pulses.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

FP_SUPPRESSION_DELAY_S = 1.0
DEBOUNCE_S = 1.0


@dataclass
class StreamTest:
    wav_file: str
    sample_rate: int
    length_sec: float
    windows: list  # [(t_start, t_stop)] seconds


def load_tests(path) -> list:
    """The runner's test JSON (sww_short_test.json ...): one entry per wav."""
    data = json.loads(Path(path).read_text())
    if isinstance(data, dict):
        data = [data]
    tests = []
    for entry in data:
        tests.append(StreamTest(
            wav_file=entry["wav_file"],
            sample_rate=int(entry.get("sample_rate", 16000)),
            length_sec=float(entry["length_sec"]),
            windows=[(float(a), float(b)) for a, b in entry["detection_windows"]]))
    return tests


@dataclass
class Score:
    true_positives: list = field(default_factory=list)   # window starts (s)
    false_negatives: list = field(default_factory=list)  # window starts (s)
    false_positives: list = field(default_factory=list)  # times (s) after the marker
    detections_s: list = field(default_factory=list)     # all, relative to the marker

    @property
    def counts(self):
        return len(self.true_positives), len(self.false_positives), len(self.false_negatives)


class ScoringError(ValueError):
    pass


def score(detections_ms, windows, delay_s=FP_SUPPRESSION_DELAY_S,
          debounce_s=DEBOUNCE_S) -> Score:
    """detections_ms: DUT detection times in ms (any origin), the first being
    the sync marker. windows: [(t_start, t_stop)] seconds from the start of
    the wav."""
    if not detections_ms:
        raise ScoringError("no detections captured: there must be at least one, "
                           "the marker at the beginning of the run")
    marker = detections_ms[0]
    rest = [t - marker for t in detections_ms[1:]]  # ms after the marker
    result = Score(detections_s=[t / 1000 for t in rest])
    for t_start, t_stop in windows:
        t_stop = t_stop + delay_s
        inside = [t for t in rest if t_start <= t / 1000 <= t_stop + delay_s]
        if inside:
            result.true_positives.append(t_start)
            rest = [t for t in rest if not (t_start <= t / 1000 <= t_stop + delay_s)]
        else:
            result.false_negatives.append(t_start)
    debounce_ms = int(debounce_s * 1000)
    i = 0
    while i < len(rest):
        current = rest[i]
        rest = [t for t in rest if not (current < t <= current + debounce_ms)]
        i += 1
    result.false_positives = [t / 1000 for t in rest]
    return result


def duty_cycle(starts_s, stops_s):
    """(duty cycle, mean period s, mean on time s) of PROCESSING pulses."""
    n = min(len(starts_s), len(stops_s))
    if n < 2:
        raise ScoringError(f"duty cycle needs at least 2 processing pulses, got {n}")
    starts, stops = list(starts_s[:n]), list(stops_s[:n])
    on = sum(b - a for a, b in zip(starts, stops)) / n
    period = (starts[-1] - starts[0]) / (n - 1)
    return on / period, period, on


def timeline(result: Score, windows, length_s, step_s=0.25) -> str:
    """A text timeline: one character per step_s. '=' a detection window
    (word plus the 2 s the runner accepts), 'T' a true-positive detection,
    'F' a counted false positive, 'f' a debounced one, '.' nothing."""
    n = int(round(length_s / step_s)) + 1
    line = ["."] * n
    for t_start, t_stop in windows:
        a = int(t_start / step_s)
        b = min(n - 1, int((t_stop + 2 * FP_SUPPRESSION_DELAY_S) / step_s))
        for i in range(a, b + 1):
            line[i] = "="
    fps = set(result.false_positives)
    for t in result.detections_s:
        i = int(t / step_s)
        if not 0 <= i < n:
            continue
        in_window = any(a <= t <= b + 2 * FP_SUPPRESSION_DELAY_S for a, b in windows)
        line[i] = "T" if in_window else ("F" if t in fps else "f")
    ruler = []
    for i in range(0, n, 4):
        ruler.append(f"{int(i * step_s):<4d}"[:4])
    return ("time (s) " + "".join(ruler).rstrip() + "\n"
            "         " + "".join(line) + "\n"
            "         = window (word + 2 s), T detection inside, F false positive, "
            f"f debounced; one char = {step_s} s")


def report_lines(result: Score, windows, length_s):
    tp, fp, fn = result.counts
    lines = [f"Accuracy: {tp} True positives, {fn} False negatives, {fp} False positives",
             "    detections (s after the marker): "
             + ", ".join(f"{t:.3f}" for t in result.detections_s),
             "    false negatives (window starts, s): "
             + ", ".join(f"{t:.3f}" for t in result.false_negatives),
             "    false positives (s): " + ", ".join(f"{t:.3f}" for t in result.false_positives)]
    lines += timeline(result, windows, length_s).splitlines()
    return lines
