#!/usr/bin/env python3
"""The watchdog brings a hung board back, and the banner says why (issue #21).

  watchdog_test.py <elf> <qemu argv without the image...>
Boots a TP_FAULT_TEST image; `hang%` masks interrupts and spins: the
watchdog's early warning (NMI) must print its e-[watchdog: ...] line, the
board must reset and print `m-reset-cause-[watchdog]` before m-init-done,
then answer `name`. Then `fault%` halts in the fault handler: the watchdog
resets that too, and the next banner says `m-reset-cause-[fault]`. A first
boot prints no reset-cause line.
"""
import sys
import time

from tinyperf_cli.dut import Dut, DutError, ProcessTransport


def read_banner(dut, timeout, waiting_for):
    """Lines up to the banner's m-ready; returns them."""
    seen = []
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise DutError(f"no banner within {timeout} s while waiting for {waiting_for}; saw {seen}")
        line = dut.read_line(left, waiting_for)
        seen.append(line)
        if line == "m-ready" and "m-init-done" in seen:
            return seen


def main():
    elf, qemu = sys.argv[1], sys.argv[2:]
    dut = Dut(ProcessTransport(qemu + [elf]))
    try:
        first = read_banner(dut, 30, "the first banner")
        if any(l.startswith("m-reset-cause") for l in first):
            raise SystemExit(f"FAIL: a power-on boot reported a reset cause: {first}")
        t0 = time.monotonic()
        dut.send("hang%")
        after = read_banner(dut, 20, "the banner after the watchdog reset")
        warned = [l for l in after if l.startswith("e-[watchdog")]
        if not warned:
            raise SystemExit(f"FAIL: no watchdog early-warning line before the reset: {after}")
        if "m-reset-cause-[watchdog]" not in after or after.index("m-reset-cause-[watchdog]") > after.index("m-init-done"):
            raise SystemExit(f"FAIL: no m-reset-cause-[watchdog] before m-init-done: {after}")
        took = time.monotonic() - t0
        name = dut.command("name")
        if not name or not name[0].startswith("m-name-dut-["):
            raise SystemExit(f"FAIL: name after the reset: {name}")
        dut.send("fault%")
        after_fault = read_banner(dut, 20, "the banner after the fault")
        if not any(l.startswith("e-[fault") for l in after_fault):
            raise SystemExit(f"FAIL: no fault report: {after_fault}")
        if "m-reset-cause-[fault]" not in after_fault:
            raise SystemExit(f"FAIL: no m-reset-cause-[fault] after a fault: {after_fault}")
        dut.command("name")
    except DutError as e:
        raise SystemExit(f"FAIL: {e}; last lines: {dut.log[-12:]}")
    finally:
        dut.close()
    print(f"watchdog OK: hang -> {warned[0]} -> reset in {took:.1f} s, banner {after[-4:]}; "
          f"fault -> m-reset-cause-[fault]")


if __name__ == "__main__":
    main()
