#!/usr/bin/env python3
"""A fault prints one `e-[fault ... pc=0x...]` line naming the faulting PC.

  fault_test.py <elf> <qemu argv without the image...>
Boots a TP_FAULT_TEST image, sends `fault%`, and checks the report's PC is
inside the function that executed the undefined instruction (from the ELF's
symbol table).
"""
import re
import subprocess
import sys

from tinyperf_cli.dut import Dut, DutError, ProcessTransport


def symbol_range(elf: str, name_part: str):
    out = subprocess.run(["arm-none-eabi-nm", "-S", "-C", elf], capture_output=True, text=True,
                         check=True).stdout
    for line in out.splitlines():
        parts = line.split(maxsplit=3)
        if len(parts) == 4 and name_part in parts[3]:
            start, size = int(parts[0], 16), int(parts[1], 16)
            return start & ~1, (start & ~1) + size
    raise SystemExit(f"FAIL: no symbol {name_part!r} in {elf}")


def main():
    elf, qemu = sys.argv[1], sys.argv[2:]
    lo, hi = symbol_range(elf, "Protocol::cmd_fault")
    dut = Dut(ProcessTransport(qemu + [elf]))
    try:
        dut.banner(timeout=30)
        dut.send("fault%")
        line = dut.read_line(10, "the fault report")
        while not line.startswith("e-[fault"):
            line = dut.read_line(10, "the fault report")
    except DutError as e:
        raise SystemExit(f"FAIL: {e}")
    finally:
        dut.close()
    m = re.match(r"^e-\[fault (?:thread=[a-z_]+ )?exception=0x[0-9a-f]+ pc=0x([0-9a-f]{8}) .*halted\]$", line)
    if not m:
        raise SystemExit(f"FAIL: unexpected report {line!r}")
    pc = int(m.group(1), 16)
    if not lo <= pc < hi:
        raise SystemExit(f"FAIL: pc 0x{pc:08x} is not in cmd_fault [0x{lo:08x}, 0x{hi:08x})")
    print(f"fault report OK: {line}")


if __name__ == "__main__":
    main()
