#!/usr/bin/env python3
"""The firmware on the kernel: `threads` lists its threads (issue #13).

  threads_test.py <elf> <qemu argv without the image...>
Boots the image, asks `threads`, runs `selftest` (every model's golden pair
on the inference thread), asks `threads` again: the protocol, inference and
idle threads each appear once with a sane state and stack figures, and the
inference thread's stack high-water mark grew with the models' kernels but
stays inside its stack.
"""
import re
import sys

from tinyperf_cli.dut import Dut, DutError, ProcessTransport

LINE = re.compile(r"^m-thread-\[([a-z_]+),(\d+),(ready|blocked|new|dead),(\d+)/(\d+)\]$")


def table(dut):
    rows = {}
    for line in dut.command("threads"):
        m = LINE.match(line)
        if not m:
            raise SystemExit(f"FAIL: unexpected line {line!r}")
        name, prio, state, used, size = m.group(1), int(m.group(2)), m.group(3), int(m.group(4)), int(m.group(5))
        if name in rows or not 0 < used <= size:
            raise SystemExit(f"FAIL: bad row {line!r}")
        rows[name] = (prio, state, used, size)
    return rows


def main():
    elf, qemu = sys.argv[1], sys.argv[2:]
    dut = Dut(ProcessTransport(qemu + [elf]))
    try:
        dut.banner(timeout=30)
        before = table(dut)
        # sww_stream: sww01 streaming (app/sww_stream), where the board has an audio input.
        if sorted(before) not in (["idle", "inference", "protocol"],
                                  ["idle", "inference", "protocol", "sww_stream"]):
            raise SystemExit(f"FAIL: threads {sorted(before)}")
        if "sww_stream" in before and before["sww_stream"][:2] != (4, "blocked"):
            raise SystemExit(f"FAIL: sww_stream not waiting for `start`: {before}")
        if before["protocol"][:2] != (2, "ready") or before["inference"][:2] != (3, "blocked") or before["idle"][0] != 0:
            raise SystemExit(f"FAIL: {before}")
        answer = dut.command("selftest", timeout=120)
        if not any(l.startswith("m-selftest-done-[") for l in answer):
            raise SystemExit(f"FAIL: selftest: {answer}")
        after = table(dut)
        if not after["inference"][2] > before["inference"][2]:
            raise SystemExit(f"FAIL: the inference thread's stack did not grow: {before} -> {after}")
    except DutError as e:
        raise SystemExit(f"FAIL: {e}")
    finally:
        dut.close()
    for name, (prio, state, used, size) in sorted(after.items()):
        print(f"m-thread-[{name},{prio},{state},{used}/{size}]")
    print("threads OK")


if __name__ == "__main__":
    main()
