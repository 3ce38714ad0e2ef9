"""The pin_watch plugin times known LED-register stores exactly.

Builds pin_program.S (a bare-metal mps2-an386 image) with arm-none-eabi-gcc
and runs it under qemu-system-arm -icount shift=0,sleep=off with the plugin,
-trace led_change_intensity and -global mps2-fpgaio.num-leds=3, all logged to
one file, as sww01's streaming run does (tools/tinyperf_cli/sww_pins.py).
Checks: four pin-store lines, each after the LED changes its store made
(USERLED2's rise before the second, its fall before the third, nothing
before the fourth); 203 instructions from the rise to the fall (counted in
the .S file) and as many nanoseconds of virtual clock; across the WFI sleep
(a SysTick period of 1 ms at 25 MHz; QEMU 7.2 wakes after two) the virtual
clock moving that much more than the instruction count; and the sww_pins
parser reading the log into one 203 ns PROCESSING pulse.

    python3 test_pin_watch.py PLUGIN.so
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))  # tools/
from tinyperf_cli import sww_pins  # noqa: E402

COUNTED = 203  # movs + 100 x (subs, bne) + movs + str


def led(pin, a, b):
    return f"led_change_intensity LED desc:'{pin}' color:green intensity {a}% -> {b}%"


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    plugin = Path(argv[1]).resolve()
    with tempfile.TemporaryDirectory() as d:
        elf, log = Path(d) / "pins.elf", Path(d) / "qemu.log"
        subprocess.run(["arm-none-eabi-gcc", "-mcpu=cortex-m4", "-nostdlib", "-T",
                        str(HERE / "mix_program.ld"), str(HERE / "pin_program.S"), "-o", str(elf)],
                       check=True)
        r = subprocess.run(["qemu-system-arm", "-M", "mps2-an386", "-display", "none", "-monitor", "none",
                            "-serial", "none", "-semihosting-config", "enable=on,target=native",
                            "-icount", "shift=0,sleep=off", "-kernel", str(elf),
                            *sww_pins.qemu_args("mps2-an386", str(log), str(plugin))],
                           capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            print(f"qemu-system-arm exited {r.returncode}: {r.stderr}", file=sys.stderr)
            return 1
        # The program's lines: from the first change of its first store (QEMU's
        # reset burst, every LED 0% -> 100%, comes before).
        lines = [l for l in log.read_text().splitlines() if "USERLED" in l or l.startswith("pin-store")]
    first = next((i for i, l in enumerate(lines) if "100% -> 0%" in l or l.startswith("pin-store")), 0)
    lines = lines[first:]
    print("\n".join(lines))
    at = [i for i, l in enumerate(lines) if l.startswith("pin-store")]
    if len(at) != 4:
        print(f"FAILED: {len(at)} pin-store lines, expected 4", file=sys.stderr)
        return 1
    stores = [sww_pins.STORE_LINE.search(lines[i]) for i in at]
    (vt0, ic0), (vt1, ic1), (vt2, ic2), (vt3, ic3) = ((int(m.group(2)), int(m.group(3))) for m in stores)
    errors = []
    expect_between = [
        [led("USERLED0", 100, 0), led("USERLED1", 100, 0), led("USERLED2", 100, 0)],
        [led("USERLED2", 0, 100)], [led("USERLED2", 100, 0)], []]
    for k, (a, b) in enumerate(zip([-1] + at[:-1], at)):
        if lines[a + 1:b] != expect_between[k]:
            errors.append(f"before store {k}: {lines[a + 1:b]}, expected {expect_between[k]}")
    if ic2 - ic1 != COUNTED or vt2 - vt1 != COUNTED:
        errors.append(f"rise to fall: {ic2 - ic1} instructions, {vt2 - vt1} ns; expected {COUNTED} of each")
    if (vt0, vt1) != (ic0, ic1):
        errors.append(f"before any sleep the clock ({vt0}, {vt1} ns) and the instructions ({ic0}, {ic1}) differ")
    slept = (vt3 - vt2) - (ic3 - ic2)
    if not (999_000 <= slept <= 1_001_000 or 1_999_000 <= slept <= 2_001_000):
        errors.append(f"across the sleep the clock ran {slept} ns ahead of the instructions, "
                      f"expected one or two SysTick periods (1 ms each)")
    pulses, problems = sww_pins.pulses(sww_pins.parse(lines[at[0] + 1:]), sww_pins.PROCESSING, True)
    if [p.width_ns for p in pulses] != [COUNTED] or problems:
        errors.append(f"sww_pins read PROCESSING pulses {[p.width_ns for p in pulses]}, problems {problems}; "
                      f"expected one of {COUNTED} ns")
    if errors:
        print("FAILED: " + "; ".join(errors), file=sys.stderr)
        return 1
    print(f"pin_watch: {COUNTED} instructions = {COUNTED} ns from the rise to the fall; "
          f"{slept} ns slept in the WFI")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
