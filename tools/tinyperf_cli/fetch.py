"""Datasets fetched like the models: pinned upstream files checked by SHA-256.

kws01's EnergyRunner set (1000 files of 490 bytes and y_labels.csv) is public:
EEMBC's energyrunner repository holds it under datasets/kws01/. Each file is
downloaded from `<url>/kws01/<file>` (TINYPERF_DATASETS_URL, default that
repository at the pinned commit; `file://` works, e.g. a copy of
../shared/mlperf-tiny/datasets), checked against data/kws01.sha256, and the
folder is renamed into place only when every file arrived and matched.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

from tinyperf_cli import project

ENERGYRUNNER_COMMIT = "cf7c2f2634608a7c0ea7458ab7cb3379f2863424"
DEFAULT_URL = f"https://github.com/eembc/energyrunner/raw/{ENERGYRUNNER_COMMIT}/datasets"
MANIFESTS = Path(__file__).resolve().parent / "data"
FETCHED_DATASETS = project.ROOT / "build" / "datasets"


class FetchError(Exception):
    pass


def manifest(model: str) -> list[tuple[str, str]]:
    """(sha256, file) pairs pinned for a model's dataset."""
    path = MANIFESTS / f"{model}.sha256"
    if not path.is_file():
        raise FetchError(f"no pinned dataset for {model} (only {', '.join(fetchable())} can be fetched)")
    pairs = []
    for line in path.read_text().splitlines():
        if line.strip():
            digest, name = line.split(maxsplit=1)
            pairs.append((digest, name.strip()))
    return pairs


def fetchable() -> list[str]:
    return sorted(p.stem for p in MANIFESTS.glob("*.sha256"))


def have(root: Path, model: str) -> bool:
    d = Path(root) / model
    return all((d / name).is_file() for _, name in manifest(model))


def fetch(model: str, root: Path = FETCHED_DATASETS, url: str | None = None, log=print) -> Path:
    """Makes `<root>/<model>` hold the pinned dataset (downloading what is
    missing); returns the folder. FetchError names the file, the address and
    both hashes on a mismatch."""
    url = (url or os.environ.get("TINYPERF_DATASETS_URL") or DEFAULT_URL).rstrip("/")
    dest = Path(root) / model
    pinned = manifest(model)
    if have(root, model):
        return dest
    Path(root).mkdir(parents=True, exist_ok=True)
    log(f"tinyperf: fetching the {model} dataset ({len(pinned)} files) from {url}/{model}")
    tmp = Path(tempfile.mkdtemp(prefix=f".{model}-", dir=root))
    try:
        for digest, name in pinned:
            address = f"{url}/{model}/{name}"
            try:
                with urllib.request.urlopen(address, timeout=60) as r:
                    data = r.read()
            except (urllib.error.URLError, OSError, ValueError) as e:
                raise FetchError(f"cannot fetch {name} from {address}: {e}; set TINYPERF_DATASETS_URL to a "
                                 f"reachable copy (file:// works) or pass --dataset DIR") from None
            got = hashlib.sha256(data).hexdigest()
            if got != digest:
                raise FetchError(f"{address}: SHA-256 {got}, pinned {digest}: not used")
            (tmp / name).write_bytes(data)
        if dest.exists():
            shutil.rmtree(dest)
        tmp.rename(dest)
        return dest
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
