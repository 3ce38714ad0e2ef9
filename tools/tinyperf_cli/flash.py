"""./tinyperf flash: writes a board's image with the tool its folder declares.

Each board's board.cmake declares its flashing tools (TP_BOARD_FLASH_TOOLS,
the default first) and their command lines (TP_BOARD_FLASH_<tool>, commands
separated by "&&"); the build exports them into build/<variant>/board-info.json
(cmake/board_info.cmake). Placeholders in the commands:

    @ELF@ @BIN@ @HEX@   the image (the .bin starts at the board's app_address)
    @PORT@              serial port (--port, else the board's serial_port)
    @WORK@              a scratch directory in the build directory
    @NAME@              any other NAME: the environment variable TINYPERF_NAME
                        (tools that live outside Debian, e.g. @AMBIQ_SCRIPTS@)

--dry-run prints the commands without building or running anything.
"""
from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from tinyperf_cli import project, setup

PLACEHOLDER = re.compile(r"@([A-Z][A-Z0-9_]*)@")
BUILTIN = ("ELF", "BIN", "HEX", "PORT", "WORK")


class FlashError(Exception):
    pass


def board_declaration(board: str) -> dict:
    """What boards/<board>/board.cmake declares, without configuring a build."""
    if board not in project.boards():
        raise FlashError(f"unknown board '{board}'. Known boards: {', '.join(project.boards())}")
    out = subprocess.run(["cmake", f"-DBOARD={board}", "-P", str(project.ROOT / "cmake" / "board_info.cmake")],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def tools(info: dict) -> list[str]:
    return list(info.get("flash_tools", []))


def pick_tool(info: dict, tool: str | None) -> str:
    known = tools(info)
    if not known:
        raise FlashError(f"board {info['board']} declares no flash tool (QEMU and native boards run with "
                         f"./tinyperf run; real boards list theirs in TP_BOARD_FLASH_TOOLS)")
    if tool is None:
        return known[0]
    if tool not in known:
        raise FlashError(f"board {info['board']} has no flash tool '{tool}'; it declares: {', '.join(known)}")
    return tool


def commands(info: dict, tool: str, port: str | None = None, env: dict | None = None,
             dry_run: bool = False) -> list[list[str]]:
    """The tool's commands with every placeholder filled in. An unset
    TINYPERF_<NAME> is an error, or in a dry run is shown as ${TINYPERF_<NAME>}."""
    env = os.environ if env is None else env
    elf = Path(info["image"])
    values = {
        "ELF": str(elf),
        "BIN": str(elf.with_suffix(".bin")),
        "HEX": str(elf.with_suffix(".hex")),
        "PORT": port or info.get("serial_port", ""),
        "WORK": str(elf.parent / "flash"),
    }
    missing = []

    def fill(m: re.Match) -> str:
        name = m.group(1)
        if name in values:
            return values[name]
        var = f"TINYPERF_{name}"
        if env.get(var):
            return env[var]
        missing.append(var)
        return "${" + var + "}"

    out = [[PLACEHOLDER.sub(fill, arg) for arg in cmd] for cmd in info["flash"][tool]["commands"]]
    if missing and not dry_run:
        note = info["flash"][tool].get("note", "")
        raise FlashError(f"{tool} for {info['board']} needs {', '.join(sorted(set(missing)))} set. {note}")
    return out


def shell_line(cmd: list[str]) -> str:
    """A command as a shell line; ${TINYPERF_...} stays expandable."""
    return " ".join(f'"{a}"' if "${TINYPERF_" in a else shlex.quote(a) for a in cmd)


def load_info(args) -> dict:
    """board-info.json of the build to flash; a dry run does not build."""
    if args.build_dir:
        path = Path(args.build_dir) / "board-info.json"
        if not path.exists():
            raise FlashError(f"{path} does not exist: configure that build first")
        return json.loads(path.read_text())
    v = project.Variant(board=args.board, libc=args.libc, energy=args.energy)
    if not args.dry_run:
        return project.build(v)
    info = board_declaration(args.board)
    info["image"] = str(v.dir / ("tinyperf.elf" if info.get("kind") == "arm" else "tinyperf"))
    return info


def run(args) -> int:
    info = load_info(args)
    tool = pick_tool(info, args.tool)
    cmds = commands(info, tool, port=args.port, dry_run=args.dry_run)
    note = info["flash"][tool].get("note", "")
    where = info.get("app_address")
    print(f"tinyperf flash: {info['board']} with {tool}" + (f" (image at {where})" if where else ""))
    if args.dry_run:
        for cmd in cmds:
            print("  " + shell_line(cmd))
        if note:
            print(f"  # {tool}: {note}")
        if not Path(info["image"]).exists():
            print(f"  # not built yet: ./tinyperf build --board {info['board']}")
        return 0
    for name in ("ELF", "BIN"):
        image = Path(info["image"]).with_suffix(".elf" if name == "ELF" else ".bin")
        if not image.exists():
            raise FlashError(f"no image at {image}: build it first (./tinyperf build --board {info['board']})")
    program = cmds[0][0]
    if program in setup.FLASH_TOOL_PACKAGES:
        setup.ensure_packages([setup.FLASH_TOOL_PACKAGES[program]])
    if not (shutil.which(program) or Path(program).is_file()):
        raise FlashError(f"'{program}' not found. {note}")
    Path(info["image"]).parent.joinpath("flash").mkdir(exist_ok=True)
    for cmd in cmds:
        print("  $ " + shlex.join(cmd), flush=True)
        rc = subprocess.run(cmd).returncode
        if rc != 0:
            print(f"tinyperf flash: '{cmd[0]}' failed (exit {rc})", file=sys.stderr)
            return rc
    return 0


def cmd_flash(args) -> int:
    try:
        return run(args)
    except FlashError as e:
        print(f"tinyperf flash: {e}", file=sys.stderr)
        return 1


def register(sub, add_variant_args) -> None:
    p = sub.add_parser("flash", help="write a real board's image with its flash tool (--dry-run: print the command)")
    add_variant_args(p, board_required=True)
    p.add_argument("--tool", help="one of the board's flash tools (default: the first it declares)")
    p.add_argument("--port", help="serial port for bootloader tools (default: the board's)")
    p.add_argument("--dry-run", action="store_true", help="print the commands; build and run nothing")
    p.add_argument("--build-dir", help="flash the image of this build directory instead of build/<variant>")
    p.set_defaults(fn=cmd_flash)
