"""./tinyperf: build, boot, test and benchmark tinyperf images."""
from __future__ import annotations

import argparse
import os
import subprocess
import sys

from tinyperf_cli import flash, perf, project, setup
from tinyperf_cli.dut import Dut, DutError, ProcessTransport


class VersionAction(argparse.Action):
    """--version: asks git only when given."""

    def __init__(self, option_strings, dest, **kw):
        super().__init__(option_strings, dest, nargs=0, **kw)

    def __call__(self, parser, namespace, values, option_string=None):
        print(project.version_text())
        parser.exit()


def add_variant_args(p: argparse.ArgumentParser, board_required: bool = False) -> None:
    if board_required:  # flashing: never a QEMU board by default
        p.add_argument("-b", "--board", required=True, help="board to flash (./tinyperf boards lists them)")
    else:
        p.add_argument("-b", "--board", default=project.DEFAULT_BOARD,
                       help=f"board to build for (default {project.DEFAULT_BOARD})")
    p.add_argument("--libc", choices=["picolibc", "newlib"], default="picolibc")
    p.add_argument("--energy", action="store_true", help="energy-mode image")
    p.add_argument("-D", dest="cmake_defs", action="append", default=[], metavar="VAR=VALUE",
                   help="passed to CMake as -DVAR=VALUE (repeatable), e.g. -D TP_CONSOLE_BAUD=921600")


def variant(args) -> project.Variant:
    return project.Variant(board=args.board, libc=args.libc, energy=args.energy,
                           cmake_defs=tuple(getattr(args, "cmake_defs", []) or ()))


def needs(board: str) -> list[str]:
    """Debian package groups a board's build needs, from its CPU's kind
    (arch/<cpu>/cpu.cmake, read through the board's declarations)."""
    groups = ["host"]
    kind = flash.board_declaration(board)["kind"] if board in project.boards() else "host"
    if kind == "arm":
        groups.append("arm")
    elif kind != "host":  # arc, xtensa
        groups.append("nonarm")
    return groups


def cmd_setup(args) -> int:
    setup.ensure("host", "arm", "nonarm", "test", "plot")
    print("tinyperf: every Debian package is installed")
    return 0


def cmd_official(args) -> int:
    """The MLCommons runner, unchanged, against a tinyperf image
    (tools/official_runner/official.py: its options follow)."""
    import importlib.util
    path = project.ROOT / "tools" / "official_runner" / "official.py"
    spec = importlib.util.spec_from_file_location("tinyperf_official", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    rest = list(args.rest or [])
    if rest and rest[0] == "--":
        rest = rest[1:]
    return mod.main(rest)


def cmd_boards(args) -> int:
    """One line per board folder, from its declarations as CMake reads them
    (board.cmake + its CPU's cpu.cmake, cmake/board_info.cmake in script mode)."""
    import json
    rows = []
    for b in project.boards():
        try:
            rows.append(flash.board_declaration(b))
        except (subprocess.CalledProcessError, ValueError) as e:
            print(f"tinyperf: cannot read boards/{b}: {e}", file=sys.stderr)
            return 1
    if args.json:
        print(json.dumps(rows, indent=1))
        return 0
    for d in rows:
        mem = ", ".join(f"{m['name']} {m['length']}" for m in d.get("memory", [])) or "the host's"
        clock = f", {d['clock_hz'] / 1e6:g} MHz" if d.get("clock_hz") else ""
        print(f"{d['board']}  ({d['cpu']}{clock}; kernels {d['kernel_backend']}"
              f"{', band budget ' + str(d['band_budget']) if d.get('band_budget') else ''})")
        print(f"    memory: {mem}; models: {', '.join(d['models'])}"
              f"{'; flash with ' + ', '.join(d['flash_tools']) if d.get('flash_tools') else ''}")
        if d.get("models_left_out"):
            print(f"    left out: {', '.join(d['models_left_out'])} ({d.get('models_note') or 'no reason given'})")
        print(f"    verified: {d.get('verified') or 'nothing stated'}")
    return 0


def cmd_build(args) -> int:
    setup.ensure(*needs(args.board))
    info = project.build(variant(args))
    print(f"tinyperf: built {info['image']}")
    return 0


def cmd_run(args) -> int:
    """Builds the board, boots it and shows it working."""
    setup.ensure(*needs(args.board))
    info = project.build(variant(args))
    argv = project.launch_argv(info, icount_shift=0)
    print("tinyperf: booting", " ".join(argv), flush=True)
    dut = Dut(ProcessTransport(argv))
    try:
        for line in dut.banner():
            print("  <", line)
        for cmd in ("name", "profile"):
            print("  >", cmd + "%")
            for line in dut.command(cmd):
                print("  <", line)
        if not args.boot_only:
            from tinyperf_cli import bench
            return bench.run_main_job(dut, info, args)
    except DutError as e:
        print(f"tinyperf: {e}", file=sys.stderr)
        return 1
    finally:
        dut.close()
    return 0


def cmd_test(args) -> int:
    """Builds the native board (host tests, tools) and runs the whole suite in CTest."""
    setup.ensure("host", "arm", "nonarm", "test")
    v = project.Variant(board="native")
    project.build(v)
    ctest = ["ctest", "--test-dir", str(v.dir), "--output-on-failure",
             "-j", str(args.jobs or os.cpu_count() or 2)]
    if args.label:
        ctest += ["-L", args.label]
    elif not args.long:
        # Soak, long fuzz campaigns and full-dataset runs carry the label `long`:
        # CI skips them; `./tinyperf test --long` (or `-L long`) runs them.
        ctest += ["-LE", "long"]
    if args.regex:
        ctest += ["-R", args.regex]
    extra = list(args.ctest_args or [])
    if extra and extra[0] == "--":
        extra = extra[1:]
    if not any(a.startswith("--repeat") for a in extra):
        # A test that fails is run once more and the suite passes only if the
        # rerun does: the QEMU sessions without -icount run on host time, and
        # a host starved for a second (CI's 2 shared cores) can trip the
        # firmware's 1 s watchdog. CTest's log shows every failed first try;
        # `-- --repeat until-pass:1` turns the rerun off.
        ctest += ["--repeat", "until-pass:2"]
    return subprocess.run(ctest + extra).returncode


def cmd_compile(args) -> int:
    """Compiles a .tflite outside the normal build and prints its summary or the refusal."""
    setup.ensure("host")
    v = project.Variant(board="native")
    project.build(v, quiet=True, targets=["tinyperf-compile"])
    exe = v.dir / "tools" / "model_compiler" / "tinyperf-compile"
    extra = []
    if args.backend:
        extra += ["--backend", args.backend]
    if args.band_budget:
        extra += ["--band-budget", str(args.band_budget)]
    return subprocess.run([str(exe), "--summary", *extra, args.model]).returncode


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="tinyperf", description=__doc__)
    ap.add_argument("--version", action=VersionAction, help="print the version and git revision")
    sub = ap.add_subparsers(dest="cmd", required=True)

    p = sub.add_parser("setup", help="install every Debian package tinyperf uses")
    p.set_defaults(fn=cmd_setup)

    p = sub.add_parser("official", add_help=False,
                       help="run the official MLCommons runner unchanged against an image "
                            "(./tinyperf official --help for its options)")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(fn=cmd_official)

    p = sub.add_parser("boards", help="every board: CPU, kernels, memory, models, what is verified on it")
    p.add_argument("--json", action="store_true", help="the declarations as JSON")
    p.set_defaults(fn=cmd_boards)

    p = sub.add_parser("build", help="build one board's image in build/<board>[-newlib][-energy]")
    add_variant_args(p)
    p.set_defaults(fn=cmd_build)

    p = sub.add_parser("run", help="build, boot and run the quick benchmark on a board")
    add_variant_args(p)
    p.add_argument("--boot-only", action="store_true", help="only the banner, name and profile")
    p.set_defaults(fn=cmd_run)

    p = sub.add_parser("test", help="build every board and run the whole test suite (CTest)")
    p.add_argument("-L", "--label", help="only tests with this CTest label (unit, qemu, native, slow)")
    p.add_argument("-R", "--regex", help="only tests whose name matches")
    p.add_argument("-j", "--jobs", type=int)
    p.add_argument("ctest_args", nargs=argparse.REMAINDER,
                   help="after --: options passed to ctest as they are, e.g. -- --output-junit results.xml")
    p.add_argument("--long", action="store_true",
                   help="also run the tests labelled `long` (soak, long fuzzing, full datasets) that CI skips")
    p.set_defaults(fn=cmd_test)

    p = sub.add_parser("compile", help="compile a .tflite and print its summary or the refusal")
    p.add_argument("model")
    p.add_argument("--backend", choices=project.kernel_backends(),
                   help="plan the kernel scratch of this backend (as the boards using it do)")
    p.add_argument("--band-budget", type=int, help="planner row-band budget in bytes (as TP_BAND_BUDGET)")
    p.set_defaults(fn=cmd_compile)

    from tinyperf_cli import bench
    bench.register(sub, add_variant_args)

    perf.register(sub)
    __import__("tinyperf_cli.kbench").kbench.register(sub)
    __import__("tinyperf_cli.serve").serve.register(sub, add_variant_args)  # issue #16
    __import__("tinyperf_cli.flash").flash.register(sub, add_variant_args)

    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["official"]:  # every option after it is official.py's own
        args = argparse.Namespace(fn=cmd_official, rest=argv[1:])
    else:
        args = ap.parse_args(argv)
    try:
        return args.fn(args)
    except subprocess.CalledProcessError as e:
        # The command's own output (a compiler error, say) is already above.
        cmd = e.cmd if isinstance(e.cmd, str) else " ".join(str(c) for c in e.cmd)
        print(f"tinyperf: error: `{cmd[:200]}` failed (exit status {e.returncode}); its output is above",
              file=sys.stderr)
        return 1
    except FileNotFoundError as e:
        what = os.path.basename(str(e.filename or "")) or str(e)
        pkg = setup.PROGRAM_PACKAGES.get(what)
        hint = (f": run ./tinyperf setup as root, or apt-get install {pkg}" if pkg
                else ": check the path")
        print(f"tinyperf: error: {e.filename or what} not found{hint}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("tinyperf: interrupted", file=sys.stderr)
        return 130
