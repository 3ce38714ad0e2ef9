"""The serving scenario parser and analysis (tools/tinyperf_cli/serve_scenario.py):
bad files are refused naming the line and the field, and nothing runs; the
built-in scenarios parse; the analyses give the textbook figures."""
import subprocess
import sys
import tempfile
import textwrap
import unittest
from pathlib import Path

from tinyperf_cli import serve_scenario as S

MODELS = ["kws01", "vww01", "ic01", "ad01"]
ROOT = Path(__file__).resolve().parents[2]


def load_text(text):
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "s.yaml"
        p.write_text(textwrap.dedent(text))
        return S.load(p, MODELS)


class BadScenarios(unittest.TestCase):
    def refused(self, text, line, *words):
        with self.assertRaises(S.ScenarioError) as cm:
            load_text(text)
        msg = str(cm.exception)
        self.assertIn(f"line {line}:", msg)
        for w in words:
            self.assertIn(w, msg)
        return msg

    def test_unknown_model(self):
        self.refused("""\
            tasks:
              - name: a
                model: kws01
                period_ms: 10
              - name: b
                model: resnet50
                period_ms: 10
            """, 6, "unknown model 'resnet50'", "task b")

    def test_negative_period(self):
        self.refused("""\
            tasks:
              - name: a
                model: kws01
                period_ms: -5
            """, 4, "'period_ms' must not be negative")

    def test_zero_period(self):
        self.refused("""\
            tasks:
              - {name: a, model: kws01, period_ms: 0}
            """, 2, "'period_ms' must be above zero")

    def test_zero_deadline(self):
        self.refused("""\
            tasks:
              - name: a
                model: kws01
                period_ms: 10
                deadline_ms: 0
            """, 5, "'deadline_ms' must be above zero")

    def test_trigger_cycle(self):
        msg = self.refused("""\
            tasks:
              - name: root
                model: ad01
                period_ms: 10
              - name: a
                model: kws01
                trigger: {task: b}
                deadline_ms: 20
              - name: b
                model: vww01
                trigger: {task: a, class: 1}
                deadline_ms: 20
            """, 7, "trigger cycle", "a -> b -> a")
        self.assertIn("task a", msg)

    def test_trigger_of_itself(self):
        self.refused("""\
            tasks:
              - {name: a, model: kws01, trigger: a, deadline_ms: 5}
            """, 2, "trigger cycle a -> a")

    def test_unknown_trigger_task(self):
        self.refused("""\
            tasks:
              - {name: a, model: kws01, period_ms: 10}
              - {name: b, model: ic01, trigger: {task: z}, deadline_ms: 5}
            """, 3, "unknown task 'z'")

    def test_unknown_field_and_type(self):
        self.refused("""\
            tasks:
              - name: a
                model: kws01
                period_ms: 10
                perod_ms: 10
            """, 5, "unknown field 'perod_ms'")
        self.refused("""\
            tasks:
              - {name: a, model: kws01, period_ms: ten}
            """, 2, "'period_ms' must be a number")

    def test_triggered_task_needs_deadline_and_no_period(self):
        self.refused("""\
            tasks:
              - {name: a, model: kws01, period_ms: 10}
              - {name: b, model: ic01, trigger: a}
            """, 3, "needs 'deadline_ms'")
        self.refused("""\
            tasks:
              - {name: a, model: kws01, period_ms: 10}
              - {name: b, model: ic01, trigger: a, period_ms: 5, deadline_ms: 5}
            """, 3, "no period_ms")

    def test_too_many_tasks_and_bad_yaml(self):
        self.refused("tasks:\n" + "".join(f"  - {{name: t{i}, model: ad01, period_ms: 5}}\n" for i in range(5)),
                     2, "at most 4")
        self.refused("tasks: [\n  {name: a\n", 3, "not valid YAML")

    def test_nothing_runs(self):
        # The CLI stops at the parser: no build, no image booted (the image
        # named does not exist, which would be the next error).
        with tempfile.TemporaryDirectory() as d:
            p = Path(d) / "bad.yaml"
            p.write_text("tasks:\n  - {name: a, model: kws01, period_ms: -1}\n")
            r = subprocess.run([sys.executable, "-m", "tinyperf_cli", "serve", "--scenario", str(p),
                                "--image", str(Path(d) / "missing" / "tinyperf.elf")],
                               capture_output=True, text=True, cwd=ROOT)
        self.assertEqual(r.returncode, 1)
        self.assertIn("line 2: 'period_ms' must not be negative", r.stderr)
        self.assertNotIn("Traceback", r.stderr)


class GoodScenarios(unittest.TestCase):
    def test_builtins_parse(self):
        for name in ("concurrent", "pipelined", "overload"):
            sc = S.load(S.builtin(name), MODELS)
            self.assertGreaterEqual(len(sc.tasks), 3)

    def test_json_is_accepted_and_commands(self):
        sc = load_text('{"tasks": [{"name": "cam", "model": "vww01", "period_ms": 40, "deadline_ms": 20},'
                       ' {"name": "cls", "model": "ic01", "trigger": {"task": "cam", "class": 0},'
                       ' "deadline_ms": 40}, {"name": "kw", "model": "kws01", "period_ms": 20, "phase_ms": 3}]}')
        self.assertEqual(S.commands(sc, "fp"), [
            "serve clear",
            "serve task cam,vww01,40000,0,20000,2,-,-",
            "serve task cls,ic01,0,0,40000,1,0,0",
            "serve task kw,kws01,20000,3000,20000,3,-,-",
            "serve policy fp"])

    def test_trigger_before_its_target_in_commands(self):
        sc = load_text("""\
            tasks:
              - {name: second, model: ic01, trigger: first, deadline_ms: 30}
              - {name: first, model: vww01, period_ms: 30}
            """)
        cmds = S.commands(sc, "edf")
        self.assertTrue(cmds[1].startswith("serve task first,"))
        self.assertTrue(cmds[2].endswith(",0,-"))


class Inputs(unittest.TestCase):
    """The `inputs` field: golden pairs (all, or named), dataset files; bad ones
    refused naming the line, checked against the golden and dataset folders."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        d = Path(self.tmp.name)
        (d / "golden" / "kws").mkdir(parents=True)
        for n in ("random_00", "random_01"):
            (d / "golden" / "kws" / f"{n}.in.bin").write_bytes(bytes(490))
        (d / "golden" / "kws" / "short.in.bin").write_bytes(bytes(10))
        (d / "data" / "kws01").mkdir(parents=True)
        (d / "data" / "kws01" / "y_labels.csv").write_text("a.bin,12,1\nb.bin,12,2\nc.bin,12,3\n")
        for n in ("a.bin", "b.bin"):
            (d / "data" / "kws01" / n).write_bytes(bytes(490))
        (d / "data" / "kws01" / "c.bin").write_bytes(bytes(400))
        self.golden, self.data = d / "golden", d / "data"

    def tearDown(self):
        self.tmp.cleanup()

    def load(self, inputs_yaml):
        with tempfile.TemporaryDirectory() as d:
            p = Path(d) / "s.yaml"
            p.write_text("tasks:\n  - name: kw\n    model: kws01\n    period_ms: 20\n" + inputs_yaml)
            return S.load(p, MODELS, self.golden, self.data)

    def refused(self, inputs_yaml, line, *words):
        with self.assertRaises(S.ScenarioError) as cm:
            self.load(inputs_yaml)
        msg = str(cm.exception)
        self.assertIn(f"line {line}:", msg)
        for w in words:
            self.assertIn(w, msg)

    def test_forms_and_commands(self):
        t = self.load("    inputs: golden\n").tasks[0]
        self.assertEqual((t.inputs.kind, t.inputs.names), ("golden", None))
        self.assertEqual(S.input_commands(t, 2), ["serve input 2,*"])
        t = self.load("    inputs: [random_01, random_00]\n").tasks[0]
        self.assertEqual(S.input_commands(t, 0), ["serve input 0,random_01", "serve input 0,random_00"])
        t = self.load("    inputs: {golden: [random_00]}\n").tasks[0]
        self.assertEqual(t.inputs.names, ["random_00"])
        t = self.load("    inputs: {dataset: 2}\n").tasks[0]
        self.assertEqual(S.resolve_dataset(t.inputs, "kws01", self.data), ["a.bin", "b.bin"])
        t = self.load("    inputs: {dataset: [b.bin]}\n").tasks[0]
        samples = {"kw": [("b.bin", bytes(range(100)) * 4 + bytes(90), bytes(12))]}
        cmds = S.input_commands(t, 1, samples)
        self.assertEqual(cmds[0], "serve sample 1,b.bin,490,12")
        self.assertEqual(b"".join(bytes.fromhex(c.split()[2]) for c in cmds[1:]), samples["kw"][0][1] + bytes(12))
        self.assertTrue(all(len(c) <= 127 for c in cmds))  # the DUT's line holds 127 characters
        self.assertIsNone(self.load("").tasks[0].inputs)  # left out: the selftest pair

    def test_bad_inputs(self):
        self.refused("    inputs: everything\n", 5, "task kw: inputs: 'everything' is not 'golden'")
        self.refused("    inputs: [random_00, nope]\n", 5, "no golden pair 'nope' of kws01")
        self.refused("    inputs: [short]\n", 5, "golden pair 'short': 10 bytes, kws01 takes 490")
        self.refused("    inputs: [random_00, random_00]\n", 5, "'random_00' given twice")
        self.refused("    inputs: []\n", 5, "non-empty list")
        self.refused("    inputs: [../etc/passwd]\n", 5, "bad name")
        self.refused("    inputs:\n      camera: [a]\n", 6, "one of 'golden', 'dataset' or 'stream'")
        self.refused("    inputs: {dataset: 0}\n", 5, "a count 1..64")
        self.refused("    inputs: {dataset: 4}\n", 5, "lists 3 files, fewer than 4")
        self.refused("    inputs: {dataset: [a.bin, zz.bin]}\n", 5, "no dataset file 'zz.bin'")
        self.refused("    inputs: {dataset: [c.bin]}\n", 5, "400 bytes, kws01 takes 490")
        self.refused("    inputs: [" + ", ".join(f"r{i}" for i in range(65)) + "]\n", 5, "at most 64")
        with tempfile.TemporaryDirectory() as d:
            p = Path(d) / "s.yaml"
            p.write_text("tasks:\n  - name: v\n    model: ad01\n    period_ms: 5\n    inputs: {dataset: 1}\n")
            with self.assertRaises(S.ScenarioError) as cm:
                S.load(p, MODELS, self.golden, self.data)
            self.assertIn("line 5:", str(cm.exception))
            self.assertIn("cut into windows", str(cm.exception))


class StreamInputs(unittest.TestCase):
    """`inputs: stream`: sww01 on audio the host streams; its hops are its jobs."""

    def load(self, text):
        with tempfile.TemporaryDirectory() as d:
            (Path(d) / "sww01").mkdir()
            (Path(d) / "sww01" / "short_wav_easy10s.wav").write_bytes(b"RIFF")
            p = Path(d) / "s.yaml"
            p.write_text(textwrap.dedent(text))
            return S.load(p, MODELS + ["sww01"], None, Path(d))

    def refused(self, text, line, *words):
        with self.assertRaises(S.ScenarioError) as cm:
            self.load(text)
        for w in (f"line {line}:", *words):
            self.assertIn(w, str(cm.exception))

    def test_wakeword_commands(self):
        sc = self.load("""\
            tasks:
              - {name: wake, model: sww01, inputs: stream, deadline_ms: 32}
              - {name: cmd, model: kws01, trigger: {task: wake}, deadline_ms: 10}
            """)
        self.assertEqual(sc.tasks[0].period_us, 32000)
        self.assertEqual(S.commands(sc, "fp"), ["serve clear", "serve stream wake,32000,2",
                                                "serve task cmd,kws01,0,0,10000,1,0,-", "serve policy fp"])
        self.assertEqual(S.stream_task(sc).inputs.wav, "short_wav_easy10s.wav")
        self.assertEqual(S.load(S.builtin("wakeword"), MODELS + ["sww01"]).tasks[0].inputs.kind, "stream")

    def test_bad_streams(self):
        self.refused("tasks:\n  - {name: w, model: kws01, period_ms: 5, inputs: stream}\n", 2,
                     "only sww01 takes streamed audio")
        self.refused("tasks:\n  - {name: w, model: sww01, period_ms: 5, inputs: stream}\n", 2,
                     "a stream's hops are its releases", "'period_ms'")
        self.refused("tasks:\n  - {name: w, model: sww01, inputs: {stream: other.wav}}\n", 2, "is not there")
        self.refused("tasks:\n  - {name: w, model: sww01, inputs: {stream: ../x.wav}}\n", 2, "not a .wav file name")
        self.refused("tasks:\n  - {name: w, model: sww01, inputs: stream}\n"
                     "  - {name: v, model: sww01, inputs: stream}\n", 3, "one stream a scenario")
        self.refused("tasks:\n  - {name: w, model: sww01, inputs: stream}\n"
                     "  - {name: c, model: kws01, trigger: {task: w, class: 1}, deadline_ms: 9}\n", 3,
                     "class 0 or any")
        self.refused("tasks:\n  - {name: w, model: sww01, period_ms: 5, inputs: {dataset: 2}}\n", 2,
                     "dataset is audio")


class Analysis(unittest.TestCase):
    def test_rta_textbook(self):
        # Burns & Wellings' example: C/T = 3/7, 3/12, 5/20 (RM): R = 3, 6, 20.
        sc = load_text("""\
            tasks:
              - {name: a, model: ad01, period_ms: 7}
              - {name: b, model: kws01, period_ms: 12}
              - {name: c, model: vww01, period_ms: 20}
            """)
        r = S.rta_fp(sc, {"ad01": 3000, "kws01": 3000, "vww01": 5000})
        self.assertEqual([r[n]["response"] for n in "abc"], [3000, 6000, 20000])
        self.assertTrue(all(r[n]["schedulable"] for n in "abc"))
        r = S.rta_fp(sc, {"ad01": 3000, "kws01": 3000, "vww01": 5001})
        self.assertFalse(r["c"]["schedulable"])

    def test_edf_demand(self):
        sc = load_text("""\
            tasks:
              - {name: a, model: ad01, period_ms: 4, deadline_ms: 2}
              - {name: b, model: kws01, period_ms: 6, deadline_ms: 4}
            """)
        self.assertTrue(S.edf_test(sc, {"ad01": 1000, "kws01": 2000})["schedulable"])
        # U = 0.25 + 0.58 < 1, but by t = 4 ms both jobs are due: 1 + 3.5 = 4.5 ms > 4 ms.
        e = S.edf_test(sc, {"ad01": 1000, "kws01": 3500})
        self.assertFalse(e["schedulable"])
        self.assertIn("demand", e["why"])
        self.assertFalse(S.edf_test(sc, {"ad01": 3000, "kws01": 3000})["schedulable"])  # U > 1


if __name__ == "__main__":
    unittest.main()
