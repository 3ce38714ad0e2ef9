#!/usr/bin/env python3
"""The start-up takes the core over from a bootloader (issue #20).

  handover_test.py <elf> <qemu argv without the image...>
Boots a TP_FAULT_TEST image and sends `handover%`: the image plays a
bootloader that jumps to our Reset_Handler without a reset, leaving VTOR at a
table of its own, an interrupt enabled and pending and MSP inside our .bss
(arch/cortex_m/startup.cc, tp_simulate_bootloader_jump). The image must boot
again: banner up to m-init-done, then answer `name`. Without the hand-over in
Reset_Handler it hangs in the stale table or loses its stack (checked when
this test was written by building without it).
"""
import sys

from tinyperf_cli.dut import Dut, DutError, ProcessTransport


def main():
    elf, qemu = sys.argv[1], sys.argv[2:]
    dut = Dut(ProcessTransport(qemu + [elf]))
    try:
        dut.banner(timeout=30)
        dut.send("handover%")
        seen = []
        while True:
            line = dut.read_line(15, "m-init-done after the bootloader's jump")
            seen.append(line)
            if line.startswith("e-["):
                raise SystemExit(f"FAIL: error after the jump: {line}")
            if line == "m-init-done":
                break
        dut.read_until_ready(5, "the banner's m-ready")
        name = dut.command("name")
    except DutError as e:
        raise SystemExit(f"FAIL: {e}; last lines: {dut.log[-10:]}")
    finally:
        dut.close()
    if not any(l.startswith("m-name-dut-[") for l in name):
        raise SystemExit(f"FAIL: unexpected answer to name: {name}")
    print(f"hand-over OK: booted again ({len(seen)} banner lines), name -> {name[0]}")


if __name__ == "__main__":
    main()
