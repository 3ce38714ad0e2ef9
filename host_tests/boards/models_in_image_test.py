#!/usr/bin/env python3
"""A real board's image carries exactly the benchmarks its board.cmake
declares (TP_BOARD_MODELS; all when it declares none), and a board that
leaves any out says why (TP_BOARD_MODELS_NOTE): its declaration as
`./tinyperf boards` reads it, the build's board-info.json, and the compiled
models in the ELF (the tp::models::<id> descriptions, what `model` and
`profile` report) must agree.

  models_in_image_test.py <repo> <board> <build dir>
"""
import json
import re
import subprocess
import sys
from pathlib import Path


def main() -> int:
    root, board, build = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    out = subprocess.run(["cmake", f"-DBOARD={board}", "-P", str(root / "cmake" / "board_info.cmake")],
                         capture_output=True, text=True, check=True).stdout
    decl = json.loads(out)
    info = json.loads((build / "board-info.json").read_text())
    nm = subprocess.run(["arm-none-eabi-nm", "-C", str(build / "tinyperf.elf")],
                        capture_output=True, text=True, check=True).stdout
    in_elf = sorted(set(re.findall(r" tp::models::([a-z]+[0-9]+)$", nm, re.M)))
    errors = []
    if info["models"] != decl["models"]:
        errors.append(f"board-info.json models {info['models']} != declared {decl['models']}")
    if info["models_left_out"] != decl["models_left_out"]:
        errors.append(f"board-info.json left out {info['models_left_out']} != declared {decl['models_left_out']}")
    if in_elf != sorted(decl["models"]):
        errors.append(f"models compiled into the ELF {in_elf} != declared {decl['models']}")
    if decl["models_left_out"] and not decl.get("models_note"):
        errors.append("leaves models out without TP_BOARD_MODELS_NOTE")
    for e in errors:
        print(f"FAIL {board}: {e}", file=sys.stderr)
    if errors:
        return 1
    left = ", ".join(decl["models_left_out"]) or "nothing"
    print(f"{board}: carries {', '.join(decl['models'])}; leaves out {left}"
          + (f" ({decl['models_note']})" if decl["models_left_out"] else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
