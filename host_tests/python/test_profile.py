"""`perf --profile`'s reading of the pc_profile plugin's file and its
attribution of addresses to functions (tools/tinyperf_cli/profile.py)."""
import unittest
from unittest import mock

from tinyperf_cli import profile

# Three marks: the window is between the last two (the first is an earlier lap).
PLUGIN_FILE = """mark 0
100 5
end
mark 1
100 7
104 2
end
mark 2
100 17
104 2
1a0 30
overflow 4
end
"""

NM = """00000100 00000008 T tp_mve_gemm_pw64_u2
000001a0 00000010 t tp::kernels::mve::(anonymous namespace)::run_gemm(tp::kernels::ConvParams const&, int)
00000200 00000004 T long tp::fixedpoint::exp<5>(long)
"""


class Window(unittest.TestCase):
    def test_last_two_marks_differenced(self):
        self.assertEqual(profile.last_window(PLUGIN_FILE), {0x100: 10, 0x1A0: 30, -1: 4})

    def test_one_mark_is_refused(self):
        with self.assertRaises(ValueError):
            profile.last_window("mark 0\n100 5\nend\n")

    def test_cut_file_is_refused(self):
        with self.assertRaises(ValueError):
            profile.last_window("mark 0\n100 5\nend\nmark 1\n100 9\n")


class Attribution(unittest.TestCase):
    def test_short_names(self):
        self.assertEqual(profile.short_name(
            "tp::kernels::mve::(anonymous namespace)::run_gemm(tp::kernels::ConvParams const&, int)"),
            "tp::kernels::mve::(anon)::run_gemm")
        self.assertEqual(profile.short_name("tp_mve_fc4u"), "tp_mve_fc4u")

    def test_each_address_in_its_symbol(self):
        nm = mock.Mock(stdout=NM)
        with mock.patch.object(profile.subprocess, "run", return_value=nm):
            got = profile.by_function(profile.functions("x.elf"),
                                      {0x100: 10, 0x106: 1, 0x108: 3, 0x1A4: 30, 0x50: 2, -1: 4})
        self.assertEqual(got, {"tp_mve_gemm_pw64_u2": 11, "tp::kernels::mve::(anon)::run_gemm": 30,
                               "(no symbol)": 9})


if __name__ == "__main__":
    unittest.main()
