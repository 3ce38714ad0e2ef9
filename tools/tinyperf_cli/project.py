"""Where things are: the repository, boards, build directories, images."""
from __future__ import annotations

import functools
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_BOARD = "qemu_mps2_an386"


@functools.lru_cache(maxsize=None)
def _read_benchmark_declarations() -> tuple[dict, ...]:
    """Every benchmarks/<id>/benchmark.json, in declared order (cmake/benchmarks.cmake
    reads the same files for the build)."""
    decls = []
    for path in sorted((ROOT / "benchmarks").glob("*/benchmark.json")):
        d = json.loads(path.read_text())
        if d.get("id") != path.parent.name:
            raise ValueError(f"{path}: \"id\" must be the folder's name ({path.parent.name})")
        decls.append(d)
    return tuple(sorted(decls, key=lambda d: (int(d["order"]), d["id"])))


def benchmark_declarations() -> list[dict]:
    """Every benchmarks/<id>/benchmark.json, in declared order (read once per process;
    cmake/benchmarks.cmake reads the same files for the build)."""
    return list(_read_benchmark_declarations())


# The benchmark ids, in declared order.
MODELS = [d["id"] for d in benchmark_declarations()]


def version_text() -> str:
    """`tinyperf 0.1.0 (<git revision>)`: the version is project()'s in CMakeLists.txt."""
    import re
    m = re.search(r"project\(tinyperf VERSION ([0-9.]+)", (ROOT / "CMakeLists.txt").read_text())
    try:
        rev = subprocess.run(["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
                             capture_output=True, text=True).stdout.strip()
    except OSError:
        rev = ""
    rev = rev or "unknown revision"
    return f"tinyperf {m.group(1) if m else '?'} ({rev})"


def boards() -> list[str]:
    return sorted(p.parent.name for p in (ROOT / "boards").glob("*/board.cmake"))


def kernel_backends() -> list[str]:
    """The kernel backends: folders engine/kernels/backends/<name>/ with a
    dispatch.cc (cmake/kernel_backends.cmake reads the same list)."""
    return sorted(p.parent.name for p in (ROOT / "engine" / "kernels" / "backends").glob("*/dispatch.cc"))


# Where build output goes (None: standard output). `bench --json -` sends it to
# standard error, so that standard output carries the JSON alone.
BUILD_OUTPUT = None


@dataclass(frozen=True)
class Variant:
    board: str = DEFAULT_BOARD
    libc: str = "picolibc"
    energy: bool = False
    default_model: str | None = None
    cmake_defs: tuple[str, ...] = ()  # extra -D options (./tinyperf ... -D VAR=VALUE)

    @property
    def dir(self) -> Path:
        name = self.board
        if self.libc == "newlib":
            name += "-newlib"
        if self.energy:
            name += "-energy"
        if self.default_model:
            name += f"-{self.default_model}"
        return ROOT / "build" / name

    def cmake_args(self) -> list[str]:
        args = [f"-DBOARD={self.board}", f"-DENERGY_MODE={'ON' if self.energy else 'OFF'}"]
        if self.libc != "picolibc":
            args.append(f"-DLIBC={self.libc}")
        if self.default_model:
            args.append(f"-DDEFAULT_MODEL={self.default_model}")
        return args + [f"-D{d}" for d in self.cmake_defs]


def build(v: Variant, quiet: bool = False, targets: list[str] | None = None) -> dict:
    """Configures (first time) and builds a variant; returns its board-info.json."""
    if v.board not in boards():
        sys.exit(f"tinyperf: unknown board '{v.board}'. Known boards: {', '.join(boards())}")
    out = subprocess.DEVNULL if quiet else BUILD_OUTPUT
    if not (v.dir / "build.ninja").exists() or v.cmake_defs:  # -D options reconfigure
        subprocess.run(["cmake", "-S", str(ROOT), "-B", str(v.dir), "-G", "Ninja", *v.cmake_args()],
                       check=True, stdout=out)
    cmd = ["cmake", "--build", str(v.dir)]
    if targets:
        cmd += ["--target", *targets]
    subprocess.run(cmd, check=True, stdout=out)
    return board_info(v)


def board_info(v: Variant) -> dict:
    return json.loads((v.dir / "board-info.json").read_text())


def launch_argv(info: dict, icount_shift: int | None = 0, extra: list[str] | None = None) -> list[str]:
    """The command that boots an image with its console on stdin/stdout."""
    if info["kind"] == "host":
        return [info["image"], *(extra or [])]
    argv = list(info["qemu"])
    if icount_shift is not None:
        argv += ["-icount", f"shift={icount_shift}"]
    return argv + (extra or [])
