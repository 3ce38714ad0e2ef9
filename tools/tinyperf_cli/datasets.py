"""The MLPerf Tiny benchmarks' inputs: golden samples and EnergyRunner datasets.

An EnergyRunner dataset is `<dir>/<id>/y_labels.csv` plus the files it names;
each row is `file,classes,label` (kws01, vww01, ic01) or
`file,classes,label,width,stride` (ad01: a file is cut into `width`-byte
windows every `stride` bytes, as the official runner does).
"""
from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from tinyperf_cli import project

SHARED = project.ROOT.parent / "shared" / "mlperf-tiny"
# ../shared/mlperf-tiny when it is there; otherwise the datasets that can be
# fetched (kws01, tools/tinyperf_cli/fetch.py) land in build/datasets.
DEFAULT_DATASETS = SHARED / "datasets" if (SHARED / "datasets").is_dir() else project.ROOT / "build" / "datasets"
DEFAULT_GOLDEN = SHARED / "golden"


@dataclass(frozen=True)
class Benchmark:
    id: str
    golden: str        # folder under golden/
    input_bytes: int   # one `db load` (one window for ad01)
    warmups: int       # the official performance script's warm-up count
    metric: str        # "top1", "auc", or "stream" (scored over an audio stream: sww01)
    target: float | None  # MLPerf Tiny's quality target for the metric (closed division); None for "stream"
    dataset: str = ""  # its folder under a datasets directory (default: the id; ic02 uses ic01's,
                       # as the official runner's tests_*.yaml does)


# From each benchmark's declaration, benchmarks/<id>/benchmark.json.
BENCHMARKS = {d["id"]: Benchmark(d["id"], d["golden"], int(d["input_bytes"]), int(d["warmups"]),
                                 d["metric"], None if d["target"] is None else float(d["target"]),
                                 d.get("dataset", d["id"]))
              for d in project.benchmark_declarations()}


def dataset_folder(model: str) -> str:
    """The folder of a model's EnergyRunner dataset: its declared "dataset" (ic02: ic01), else its id."""
    b = BENCHMARKS.get(model)
    return b.dataset if b and b.dataset else model


class DatasetError(Exception):
    """A dataset or golden folder that cannot be used as it is (the message says why)."""


class DatasetMissing(DatasetError):
    """The index is there but none of the files it names (not supplied)."""


@dataclass(frozen=True)
class Entry:
    file: str
    classes: int
    label: int
    width: int | None = None
    stride: int | None = None


@dataclass
class Dataset:
    dir: Path
    entries: list[Entry]

    def read(self, e: Entry) -> bytes:
        return (self.dir / e.file).read_bytes()


def parse_index(text: str, where: str = "y_labels.csv") -> list[Entry]:
    """Rows of an EnergyRunner index; DatasetError names the first bad line."""
    entries = []
    for n, row in enumerate(csv.reader(text.splitlines()), 1):
        if not row or all(not f.strip() for f in row):
            continue
        fields = [f.strip() for f in row]
        try:
            if len(fields) not in (3, 5):
                raise ValueError(f"{len(fields)} fields, expected 3 (file,classes,label) "
                                 "or 5 (file,classes,label,width,stride)")
            name, nums = fields[0], [int(f) for f in fields[1:]]
            if not name or name.startswith("/") or ".." in Path(name).parts:
                raise ValueError(f"bad file name {name!r}")
            if not 0 <= nums[1] < nums[0]:
                raise ValueError(f"label {nums[1]} does not fit {nums[0]} classes")
            if len(nums) == 4 and (nums[2] < 1 or nums[3] < 1):
                raise ValueError("width and stride must be positive")
        except ValueError as e:
            raise DatasetError(f"{where} line {n}: {e}: {','.join(row)}") from None
        entries.append(Entry(name, *nums))
    if not entries:
        raise DatasetError(f"{where}: no rows")
    return entries


def load(root: Path, model: str, limit: int | None = None) -> Dataset:
    """Reads `<root>/<folder>/y_labels.csv` (the model's dataset folder: its id,
    or the declared one, ic01 for ic02) and checks that its files exist with
    usable sizes. DatasetMissing when none is there, DatasetError otherwise."""
    d = Path(root) / dataset_folder(model)
    index = d / "y_labels.csv"
    if not index.is_file():
        raise DatasetMissing(f"no dataset index {index}")
    entries = parse_index(index.read_text(), str(index))[:limit]
    missing = [e.file for e in entries if not (d / e.file).is_file()]
    if len(missing) == len(entries):
        raise DatasetMissing(f"{d} has y_labels.csv but none of the {len(entries)} files it "
                             f"names (e.g. {missing[0]}); supply them and pass --dataset DIR")
    if missing:
        raise DatasetError(f"{d}: {len(missing)} of the {len(entries)} files y_labels.csv names "
                           f"are missing, e.g. {', '.join(missing[:3])}")
    size = BENCHMARKS[model].input_bytes if model in BENCHMARKS else None
    for e in entries:
        got = (d / e.file).stat().st_size
        need = e.width or size
        if need and (got < need if e.width else got != need):
            raise DatasetError(f"{d / e.file}: {got} bytes, {model} needs "
                               f"{'at least ' if e.width else ''}{need}")
    return Dataset(d, entries)


def windows(data: bytes, width: int, stride: int) -> list[bytes]:
    """The `width`-byte windows every `stride` bytes that fit in data (ad01)."""
    return [data[i:i + width] for i in range(0, len(data) - width + 1, stride)]


def golden_sample(golden_root: Path, model: str) -> Path:
    """The first `sample` input of a model's golden manifest (e.g. kws/sample_00.in.bin)."""
    d = Path(golden_root) / BENCHMARKS[model].golden
    try:
        manifest = json.loads((d / "manifest.json").read_text())
        pairs = manifest["pairs"]
        name = next((p["input"] for p in pairs if p.get("kind") == "sample"), None)
        if name is None:  # no "sample" pair (sww01): the declared perf_input pair
            perf_input = next(d.get("perf_input") for d in project.benchmark_declarations() if d["id"] == model)
            name = next(p["input"] for p in pairs if p.get("id") == perf_input)
    except (OSError, ValueError, KeyError, StopIteration) as e:
        raise DatasetError(f"no sample input in {d / 'manifest.json'}: {e}") from None
    return d / name
