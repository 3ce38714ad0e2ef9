"""./tinyperf flash: each real board's declared commands, the dry run, and a
real run against stand-in tools (no hardware, no build)."""
import contextlib
import io
import json
import os
import re
import stat
import tempfile
import unittest
from pathlib import Path
from unittest import mock

from tinyperf_cli import flash, main, project

REAL_BOARDS = ["nucleo_l4r5zi", "arduino_nano_33_ble", "sparkfun_edge"]


def info_for(board: str, image_dir: str = "/b") -> dict:
    info = flash.board_declaration(board)
    info["image"] = f"{image_dir}/tinyperf.elf"
    return info


def app_origin_in_memory_ld(board: str) -> int:
    """ORIGIN of the region the vector table (the image's first byte) is in."""
    text = (project.ROOT / "boards" / board / "memory.ld").read_text()
    region = re.search(r"__tp_vector_table\s*=\s*ORIGIN\((\w+)\)", text).group(1)
    origin = re.search(rf"^\s*{region}\s*\([a-z]+\)\s*:\s*ORIGIN\s*=\s*(0x[0-9A-Fa-f]+)", text, re.M).group(1)
    return int(origin, 16)


def run_main(*argv) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = main.main(["flash", *argv])
    return rc, out.getvalue(), err.getvalue()


class DeclaredCommands(unittest.TestCase):
    """The exact command lines, from each board folder's board.cmake."""

    def test_nucleo_st_flash_writes_the_bin_at_the_start_of_flash(self):
        info = info_for("nucleo_l4r5zi")
        self.assertEqual(flash.pick_tool(info, None), "st-flash")
        self.assertEqual(flash.commands(info, "st-flash"),
                         [["st-flash", "--reset", "write", "/b/tinyperf.bin", "0x08000000"]])
        self.assertEqual(flash.commands(info, "openocd"),
                         [["openocd", "-f", "board/st_nucleo_l4.cfg",
                           "-c", "program /b/tinyperf.elf verify reset exit"]])

    def test_nano_openocd_programs_the_elf_and_bossac_needs_arduinos_build(self):
        info = info_for("arduino_nano_33_ble")
        self.assertEqual(flash.pick_tool(info, None), "openocd")
        self.assertEqual(flash.commands(info, "openocd"),
                         [["openocd", "-f", "interface/cmsis-dap.cfg", "-f", "target/nrf52.cfg",
                           "-c", "program /b/tinyperf.elf verify reset exit"]])
        env = {"TINYPERF_ARDUINO_BOSSAC": "/opt/arduino/bossac"}
        self.assertEqual(flash.commands(info, "bossac", env=env),
                         [["/opt/arduino/bossac", "--port=/dev/ttyACM0", "-U", "-i", "-e", "-w",
                           "/b/tinyperf.bin", "-R"]])
        with self.assertRaisesRegex(flash.FlashError, "TINYPERF_ARDUINO_BOSSAC.*bossa-cli 1.9.1 does not know"):
            flash.commands(info, "bossac", env={})

    def test_edge_bootloader_pipeline_loads_at_0xc000(self):
        info = info_for("sparkfun_edge")
        self.assertEqual(flash.pick_tool(info, None), "asb")
        s = "/sdk/tools/apollo3_scripts"
        cmds = flash.commands(info, "asb", port="/dev/ttyUSB1", env={"TINYPERF_AMBIQ_SCRIPTS": s})
        self.assertEqual(cmds, [
            ["python3", f"{s}/create_cust_image_blob.py", "--bin", "/b/tinyperf.bin", "--load-address", "0xC000",
             "--magic-num", "0xCB", "-o", "/b/flash/tinyperf_ota", "--version", "0x0"],
            ["python3", f"{s}/create_cust_wireupdate_blob.py", "--load-address", "0x20000",
             "--bin", "/b/flash/tinyperf_ota.bin", "-i", "6", "-o", "/b/flash/tinyperf_wire", "--options", "0x1"],
            ["python3", f"{s}/uart_wired_update.py", "-b", "921600", "/dev/ttyUSB1", "-r", "1",
             "-f", "/b/flash/tinyperf_wire.bin", "-i", "6"],
        ])
        self.assertEqual(flash.commands(info, "pyocd"), [["pyocd", "flash", "-t", "ama3b1kk_kbr", "/b/tinyperf.elf"]])

    def test_bin_addresses_match_each_boards_memory_ld(self):
        for board in REAL_BOARDS:
            with self.subTest(board=board):
                info = info_for(board)
                origin = app_origin_in_memory_ld(board)
                self.assertEqual(int(info["app_address"], 16), origin)
                for tool in flash.tools(info):
                    for cmd in flash.commands(info, tool, env={"TINYPERF_AMBIQ_SCRIPTS": "/s",
                                                               "TINYPERF_ARDUINO_BOSSAC": "b"}):
                        if "/b/tinyperf.bin" in cmd and "--load-address" in cmd:
                            addr = cmd[cmd.index("--load-address") + 1]
                            self.assertEqual(int(addr, 16), origin)
                        elif "/b/tinyperf.bin" in cmd and cmd[0] == "st-flash":
                            self.assertEqual(int(cmd[-1], 16), origin)

    def test_every_real_board_declares_a_clock_and_tools_qemu_boards_none(self):
        for board in REAL_BOARDS:
            info = flash.board_declaration(board)
            self.assertGreater(info["clock_hz"], 0)
            self.assertTrue(flash.tools(info))
        with self.assertRaisesRegex(flash.FlashError, "declares no flash tool"):
            flash.pick_tool(info_for("qemu_mps2_an386"), None)
        with self.assertRaisesRegex(flash.FlashError, "no flash tool 'bossac'.*st-flash, openocd"):
            flash.pick_tool(info_for("nucleo_l4r5zi"), "bossac")


class DryRun(unittest.TestCase):
    def test_prints_the_commands_and_runs_nothing(self):
        with mock.patch("subprocess.run", wraps=__import__("subprocess").run) as run:
            rc, out, _ = run_main("--board", "nucleo_l4r5zi", "--dry-run")
        self.assertEqual(rc, 0)
        called = [c.args[0][0] for c in run.call_args_list]
        self.assertEqual(called, ["cmake"])  # only reading the board's declaration
        bin_path = project.Variant(board="nucleo_l4r5zi").dir / "tinyperf.bin"
        self.assertIn(f"  st-flash --reset write {bin_path} 0x08000000\n", out)

    def test_unset_tool_location_is_shown_as_an_expandable_variable(self):
        env = {k: v for k, v in os.environ.items() if not k.startswith("TINYPERF_")}
        with mock.patch.dict(os.environ, env, clear=True):
            rc, out, _ = run_main("--board", "sparkfun_edge", "--dry-run", "--energy")
        self.assertEqual(rc, 0)
        self.assertIn('python3 "${TINYPERF_AMBIQ_SCRIPTS}/uart_wired_update.py" -b 921600 /dev/ttyUSB0', out)
        self.assertIn("sparkfun_edge-energy/tinyperf.bin --load-address 0xC000", out)

    def test_a_qemu_board_is_refused(self):
        rc, _, err = run_main("--board", "qemu_mps2_an386", "--dry-run")
        self.assertEqual(rc, 1)
        self.assertIn("declares no flash tool", err)


class RealRun(unittest.TestCase):
    """A build directory with a board-info.json and stand-in tool scripts on PATH."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = Path(self.tmp.name)
        self.log = self.dir / "calls.log"
        bindir = self.dir / "bin"
        bindir.mkdir()
        for tool in ("st-flash", "openocd"):
            script = bindir / tool
            script.write_text(f'#!/bin/sh\necho "{tool} $*" >> "{self.log}"\n')
            script.chmod(script.stat().st_mode | stat.S_IEXEC)
        self.path = f"{bindir}:{os.environ.get('PATH', '')}"

    def tearDown(self):
        self.tmp.cleanup()

    def build_dir(self, board: str, with_image: bool = True) -> Path:
        b = self.dir / board
        b.mkdir()
        info = flash.board_declaration(board)
        info["image"] = str(b / "tinyperf.elf")
        (b / "board-info.json").write_text(json.dumps(info))
        if with_image:
            (b / "tinyperf.elf").write_bytes(b"\x7fELF")
            (b / "tinyperf.bin").write_bytes(b"\0" * 16)
        return b

    def test_runs_the_boards_tool_with_the_image(self):
        b = self.build_dir("nucleo_l4r5zi")
        with mock.patch.dict(os.environ, {"PATH": self.path}):
            rc, out, err = run_main("--board", "nucleo_l4r5zi", "--build-dir", str(b))
            self.assertEqual(rc, 0, err)
            rc, _, err = run_main("--board", "nucleo_l4r5zi", "--build-dir", str(b), "--tool", "openocd")
            self.assertEqual(rc, 0, err)
        self.assertEqual(self.log.read_text().splitlines(), [
            f"st-flash --reset write {b}/tinyperf.bin 0x08000000",
            f"openocd -f board/st_nucleo_l4.cfg -c program {b}/tinyperf.elf verify reset exit",
        ])

    def test_missing_image_or_tool_is_a_clear_error(self):
        b = self.build_dir("nucleo_l4r5zi", with_image=False)
        with mock.patch.dict(os.environ, {"PATH": self.path}):
            rc, _, err = run_main("--board", "nucleo_l4r5zi", "--build-dir", str(b))
        self.assertEqual(rc, 1)
        self.assertIn("no image at", err)
        b = self.build_dir("arduino_nano_33_ble")
        with mock.patch.dict(os.environ, {"PATH": str(self.dir / "none"), "TINYPERF_ARDUINO_BOSSAC": "/no/bossac"}):
            rc, _, err = run_main("--board", "arduino_nano_33_ble", "--build-dir", str(b), "--tool", "bossac")
        self.assertEqual(rc, 1)
        self.assertIn("'/no/bossac' not found", err)


if __name__ == "__main__":
    unittest.main()
