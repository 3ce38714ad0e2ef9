"""Figures of merit: top-1, ROC AUC, performance windows (pure functions)."""
from __future__ import annotations

import math
import statistics
from typing import Callable, Sequence

# A performance window counts only if the DUT's own timestamps span this much.
WINDOW_US = 10_000_000
WINDOWS = 5


def argmax(values: Sequence[float]) -> int:
    """Index of the largest value; ties go to the lowest index (like numpy)."""
    return max(range(len(values)), key=lambda i: (values[i], -i))


def is_tied(values: Sequence[float]) -> bool:
    return list(values).count(max(values)) > 1


def roc_auc(labels: Sequence[int], scores: Sequence[float]) -> float:
    """Area under the ROC curve for binary labels (1 = positive), higher score
    meaning positive; tied scores count one half (as sklearn's roc_auc_score)."""
    pairs = sorted(zip(scores, labels))
    pos = sum(1 for l in labels if l)
    neg = len(labels) - pos
    if not pos or not neg:
        raise ValueError("ROC AUC needs at least one positive and one negative")
    # Mann-Whitney U with tied scores given their average rank.
    rank_sum, i = 0.0, 0
    while i < len(pairs):
        j = i
        while j < len(pairs) and pairs[j][0] == pairs[i][0]:
            j += 1
        avg_rank = (i + 1 + j) / 2
        rank_sum += avg_rank * sum(1 for k in range(i, j) if pairs[k][1])
        i = j
    return (rank_sum - pos * (pos + 1) / 2) / (pos * neg)


def median(values: Sequence[float]) -> float:
    if not values:
        raise ValueError("median of nothing")
    return statistics.median(values)


def window_count(per_inference_us: float, target_us: float = WINDOW_US, margin: float = 1.05) -> int:
    """Inferences for one window to span target_us of DUT time, with margin."""
    if per_inference_us <= 0:
        raise ValueError("an inference took no measurable time")
    return max(1, math.ceil(target_us * margin / per_inference_us))


def calibrate(run: Callable[[int], int], first: int = 1, probe_us: float = 200_000,
              max_rounds: int = 8) -> tuple[int, float]:
    """Finds the per-inference DUT time with probes `run(n)` -> DUT microseconds
    for n inferences, growing n until a probe spans probe_us (so the timer's
    resolution does not matter); returns (n of the last probe, us per inference)."""
    n = first
    for _ in range(max_rounds):
        span = run(n)
        if span >= probe_us:
            break
        grow = 10 if span <= 0 else min(10.0, probe_us * 1.2 / span)
        n = max(n + 1, math.ceil(n * grow))
    if span <= 0:
        raise ValueError(f"{n} inferences took no measurable DUT time")
    return n, span / n


def instructions(us: float, icount_shift: int) -> float:
    """QEMU -icount shift=N: one instruction is 2^N ns of DUT time."""
    return us * 1000 / (1 << icount_shift)
