"""The CLI's habits (issue #14): -b for --board, -D passed to CMake, CTest
options after --, --version, flash never defaulting to a QEMU board."""
import contextlib
import io
import unittest
from unittest import mock

from tinyperf_cli import main, project


class Options(unittest.TestCase):
    def test_short_board_and_cmake_defines(self):
        seen = {}
        with mock.patch.object(main, "cmd_build", lambda a: seen.setdefault("a", a) and 0):
            main.main(["build", "-b", "sparkfun_edge", "-D", "TP_CONSOLE_BAUD=921600", "-D", "TP_SELFTEST=OFF"])
        v = main.variant(seen["a"])
        self.assertEqual(v.board, "sparkfun_edge")
        self.assertEqual(v.cmake_args()[-2:], ["-DTP_CONSOLE_BAUD=921600", "-DTP_SELFTEST=OFF"])

    def test_ctest_options_after_double_dash(self):
        runs = []
        with mock.patch.object(main.setup, "ensure", lambda *g: None), \
             mock.patch.object(main.project, "build", lambda v, **k: {}), \
             mock.patch.object(main.subprocess, "run", lambda cmd, **k: runs.append(cmd) or mock.Mock(returncode=0)):
            main.main(["test", "-R", "Protocol", "--", "--output-junit", "junit.xml"])
        cmd = runs[-1]
        self.assertEqual(cmd[0], "ctest")
        self.assertEqual(cmd[-2:], ["--output-junit", "junit.xml"])
        self.assertIn("-LE", cmd)  # the long label stays skipped

    def test_flash_needs_a_board(self):
        err = io.StringIO()
        with contextlib.redirect_stderr(err), self.assertRaises(SystemExit) as e:
            main.main(["flash", "--dry-run"])
        self.assertNotEqual(e.exception.code, 0)
        self.assertIn("--board", err.getvalue())

    def test_version(self):
        out = io.StringIO()
        with contextlib.redirect_stdout(out), self.assertRaises(SystemExit) as e:
            main.main(["--version"])
        self.assertEqual(e.exception.code, 0)
        self.assertRegex(out.getvalue(), r"^tinyperf \d+\.\d+\.\d+ \(")


if __name__ == "__main__":
    unittest.main()


class Boards(unittest.TestCase):
    def test_every_board_states_cpu_kernels_memory_and_what_is_verified(self):
        import json
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            self.assertEqual(main.main(["boards", "--json"]), 0)
        rows = {d["board"]: d for d in json.loads(out.getvalue())}
        self.assertEqual(sorted(rows), project.boards())
        for b, d in rows.items():
            self.assertTrue(d["cpu"] and d["kernel_backend"] and d["verified"], b)
            if d["kind"] != "host":
                self.assertTrue(d["memory"], b)
        # Every Cortex-M4F board builds the M4's optimized kernels (what flash writes).
        for b in ("qemu_mps2_an386", "nucleo_l4r5zi", "arduino_nano_33_ble", "sparkfun_edge"):
            self.assertEqual((rows[b]["cpu"], rows[b]["kernel_backend"]), ("cortex_m4f", "arm_dsp"), b)
        self.assertEqual(rows["esp32_devkitc"]["models"], ["kws01", "ic01"])
        self.assertIn({"name": "EDGE_APP_FLASH", "attributes": "rx", "origin": "0x0000C000", "length": "960K"},
                      rows["sparkfun_edge"]["memory"])


class ExpectedFailuresSayWhatToDo(unittest.TestCase):
    """No traceback for an expected failure: one line saying what and what to do."""

    def run_failing(self, exc):
        def boom(args):
            raise exc
        err = io.StringIO()
        with mock.patch.object(main, "cmd_build", boom), contextlib.redirect_stderr(err):
            rc = main.main(["build", "-b", "qemu_mps2_an386"])
        return rc, err.getvalue()

    def test_missing_emulator_or_cross_compiler(self):
        rc, err = self.run_failing(FileNotFoundError(2, "No such file or directory", "qemu-system-arm"))
        self.assertEqual(rc, 1)
        self.assertEqual(err.strip().splitlines(),
                         ["tinyperf: error: qemu-system-arm not found: run ./tinyperf setup as root, "
                          "or apt-get install qemu-system-arm"])
        rc, err = self.run_failing(FileNotFoundError(2, "No such file", "/usr/bin/arm-none-eabi-size"))
        self.assertIn("apt-get install binutils-arm-none-eabi", err)
        self.assertNotIn("Traceback", err)

    def test_failed_build(self):
        import subprocess
        rc, err = self.run_failing(subprocess.CalledProcessError(1, ["cmake", "--build", "build/x"]))
        self.assertEqual(rc, 1)
        self.assertEqual(err.strip(), "tinyperf: error: `cmake --build build/x` failed (exit status 1); "
                                      "its output is above")
