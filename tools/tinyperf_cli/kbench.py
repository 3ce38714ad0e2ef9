"""`./tinyperf kbench`: the kernel's benchmark on both QEMU boards, and the
driver of the kernel's QEMU tests (host_tests/kernel: torture, overflow,
fault, assert, threads).

The kernel test image (tinyperf_ktest.elf, built beside tinyperf.elf by
host_tests/kernel/target) prints `m-ktest-ready` and runs the test named by
one command byte. Under `-icount shift=0` QEMU's virtual nanosecond is one
instruction, so the image's SysTick differences are instruction counts.
"""
from __future__ import annotations

import argparse
import os
import re
import select
import subprocess
import sys
import time
from pathlib import Path

from tinyperf_cli import project

QEMU_BOARDS = ["qemu_mps2_an386", "qemu_mps3_an547"]
MACHINES = {"qemu_mps2_an386": "mps2-an386", "qemu_mps3_an547": "mps3-an547"}


def run_image(elf: Path, machine: str, command: str, until: str, timeout: float = 60.0,
              icount: str = "shift=0") -> str:
    """Boots elf, sends `command` after the ready line, returns the output up
    to and including the first line matching `until` (or raises)."""
    argv = ["qemu-system-arm", "-M", machine, "-display", "none", "-monitor", "none",
            "-serial", "stdio", "-icount", icount, "-kernel", str(elf)]
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    out = b""
    sent = False
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            r, _, _ = select.select([proc.stdout], [], [], 0.2)
            if r:
                chunk = os.read(proc.stdout.fileno(), 4096)
                if not chunk:
                    break
                out += chunk
            text = out.decode(errors="replace")
            if not sent and "m-ktest-ready" in text:
                proc.stdin.write(command.encode())
                proc.stdin.flush()
                sent = True
            if sent and re.search(until, text.split("m-ktest-ready", 1)[1]):
                return text
        raise RuntimeError(f"no line matching {until!r} within {timeout:.0f} s; output:\n"
                           + out.decode(errors="replace"))
    finally:
        proc.kill()
        proc.wait()


def bench(elf: Path, machine: str) -> list[tuple[str, int]]:
    text = run_image(elf, machine, "b", r"m-kbench-done")
    return [(m.group(1), int(m.group(2))) for m in re.finditer(r"m-kbench-\[(.+),(\d+)\]", text)]


def image(board: str, build: bool) -> Path:
    v = project.Variant(board=board)
    if build:
        project.build(v, quiet=True, targets=["tinyperf_ktest"])
    return v.dir / "tinyperf_ktest.elf"


def cmd_kbench(args) -> int:
    boards = args.board or QEMU_BOARDS
    rows = {}
    for b in boards:
        rows[b] = dict(bench(image(b, not args.no_build), MACHINES[b]))
    names = [n for n in rows[boards[0]] if n != "stamp overhead"]
    print("| kernel path (instructions, QEMU -icount shift=0) | " + " | ".join(boards) + " |")
    print("|---|" + "---:|" * len(boards))
    for n in names:
        print(f"| {n} | " + " | ".join(str(rows[b].get(n, "-")) for b in boards) + " |")
    return 0


def cmd_ktest(args) -> int:
    """One QEMU kernel test: exit 0 if the expected line appears."""
    text = run_image(Path(args.elf), args.machine, args.command, args.expect, args.timeout, args.icount)
    tail = text.split("m-ktest-ready", 1)[1].strip()
    print(tail)
    for bad in args.reject or []:
        if re.search(bad, tail):
            print(f"ktest: unexpected {bad!r}", file=sys.stderr)
            return 1
    return 0


def register(sub) -> None:
    p = sub.add_parser("kbench", help="the kernel's switch, interrupt and mutex paths in instructions on QEMU")
    p.add_argument("--board", action="append", choices=QEMU_BOARDS, help="repeatable (default: both)")
    p.add_argument("--no-build", action="store_true", help="use the images already in build/<board>")
    p.set_defaults(fn=cmd_kbench)


def main(argv=None) -> int:  # python -m tinyperf_cli.kbench ktest ... (the CTest driver)
    ap = argparse.ArgumentParser(prog="kbench")
    ap.add_argument("elf")
    ap.add_argument("machine")
    ap.add_argument("command")
    ap.add_argument("expect", help="regex the output must reach")
    ap.add_argument("--reject", action="append", help="regex that must not appear")
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--icount", default="shift=0",
                    help="QEMU -icount value (shift=0,sleep=off: idle time jumps to the next timer, "
                         "no host jitter)")
    return cmd_ktest(ap.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
