#!/usr/bin/env python3
"""Random-session soak of a tinyperf DUT against a Python model of its protocol.

  soak.py --commands 20000 --seed 1 --golden DIR -- <launch argv...>

A small model of app/protocol.cc (active model, staged bytes, the last
results) decides the expected answer to every command. Sessions mix valid and
invalid commands, model switches, full loads of every model (pipelined 31-byte
`db` lines, each line a command), partial loads, inferences on golden inputs
checked against the goldens (m-results and the raw output tensor), floods (a
command past the line limit, non-ASCII bytes), lone `%` and interrupts (ETX
during a long `infer`, and outside one, where it is ignored). It passes when no answer differs
from the model's, nothing desyncs, and the DUT exits cleanly (exit status 0:
a sanitizer report ends the native image with another status).
"""
from __future__ import annotations

import argparse
import random
import re
import string
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "boot"))
from dut_session import GOLDEN_DIRS, expected_results, load_manifest  # noqa: E402
from tinyperf_cli.dut import Dut, DutError, ProcessTransport, load_commands  # noqa: E402

SIZES = {"kws01": 490, "vww01": 27648, "ic01": 3072, "ad01": 2560}
LINE_LIMIT = 127    # LineReader::kCapacity: a longer command is refused whole


class Mismatch(Exception):
    pass


class Golden:
    """Golden pairs (input, results line, output tensor) of every model."""

    def __init__(self, root: Path, per_model: int):
        self.pairs = {}
        for model in SIZES:
            d, manifest = load_manifest(root, model)
            got = []
            for pair in manifest["pairs"]:
                if pair.get("windows"):
                    continue
                data, out = (d / pair["input"]).read_bytes(), (d / pair["output"]).read_bytes()
                if len(data) != SIZES[model]:
                    continue
                got.append((data, expected_results(model, manifest, pair, out), out))
                if len(got) == per_model:
                    break
            self.pairs[model] = got


class Model:
    """What the DUT holds, as app/protocol.cc keeps it."""

    def __init__(self, models: list[str], active: str):
        self.models, self.active = models, active
        self.select(active)

    def select(self, model):
        self.active = model
        self.loading, self.expected, self.staged = False, 0, bytearray()
        self.results = None      # (results line, output bytes) or "unknown"


class Soak:
    def __init__(self, dut: Dut, golden: Golden, rng: random.Random, models: list[str], active: str):
        self.dut, self.golden, self.rng = dut, golden, rng
        self.m = Model(models, active)
        self.count = 0
        self.stats = {}
        self.etx = False

    # -- checking ----------------------------------------------------------
    def ask(self, cmd: str, timeout: float | None = None) -> list[str]:
        self.count += 1
        return self.dut.command(cmd, timeout=timeout, check=False)

    def want(self, cmd, got, expected):
        if got != expected:
            raise Mismatch(f"command {self.count} {cmd[:80]!r}: got {got}, the model expects {expected}")

    def want_error(self, cmd, got, fragment):
        if len(got) != 1 or not got[0].startswith("e-[") or fragment not in got[0]:
            raise Mismatch(f"command {self.count} {cmd[:80]!r}: got {got}, the model expects one "
                           f"e-[...{fragment}...] line")

    def tally(self, what):
        self.stats[what] = self.stats.get(what, 0) + 1

    # -- actions -------------------------------------------------------------
    def a_name(self):
        got = self.ask("name")
        if len(got) != 1 or not got[0].startswith("m-name-dut-[tinyperf "):
            raise Mismatch(f"name: {got}")

    def a_profile(self):
        got = self.ask("profile")
        if f"m-model-[{self.m.active}]" not in got:
            raise Mismatch(f"profile: {got} (active model {self.m.active})")

    def a_switch(self):
        model = self.rng.choice(self.m.models)
        self.want(f"model {model}", self.ask(f"model {model}"), [f"m-model-[{model}]"])
        self.m.select(model)

    def a_bad_model(self):
        cmd = "model " + self.rng.choice(["kws02", "x", "KWS01", "kws01 vww01", "../ad01"])
        self.want_error(cmd, self.ask(cmd), "model: unknown id")

    def load(self, data: bytes, stop_after: int | None = None):
        cmds = load_commands(data)
        if stop_after is not None:
            cmds = cmds[:stop_after]
        answers = self.dut.pipeline(cmds, window=256, unchecked=tuple(cmds))
        self.count += len(cmds)
        self.want(cmds[0], answers[0], [f"m-[Expecting {len(data)} bytes]"])
        for c, a in zip(cmds[1:-1], answers[1:-1]):
            self.want(c, a, [])
        if stop_after is None:
            self.want(cmds[-1], answers[-1], ["m-load-done"])
        self.m.loading, self.m.expected = True, len(data)
        self.m.staged = bytearray(data[:31 * (len(cmds) - 1)])

    def a_golden(self):
        pairs = self.golden.pairs[self.m.active]
        data, results, out = self.rng.choice(pairs)
        self.load(data)
        self.a_infer()
        self.tally("golden inferences")

    def a_partial(self):
        size = SIZES[self.m.active]
        self.load(bytes(self.rng.randrange(256) for _ in range(size)),
                  stop_after=self.rng.randrange(1, (size + 30) // 31))
        self.a_infer()

    def a_infer(self):
        cmd = f"infer 1 {self.rng.choice([0, 0, 1])}"
        got = self.ask(cmd, timeout=60)
        m = self.m
        if not m.loading or len(m.staged) != m.expected:
            self.want_error(cmd, got, "infer: no complete input")
            return
        res = [l for l in got if l.startswith("m-results-[")]
        if len(res) != 1 or "m-infer-done" not in got:
            raise Mismatch(f"{cmd}: {got}")
        known = {bytes(d): (r, o) for d, r, o in self.golden.pairs[m.active]}
        if bytes(m.staged) in known:
            r, o = known[bytes(m.staged)]
            self.want(cmd, res, [r])
            m.results = (r, o)
        else:
            m.results = (res[0], None)   # an input of no golden: the same answer again later

    def a_results(self):
        got = self.ask("results")
        if self.m.results is None:
            self.want_error("results", got, "results: no inference")
        else:
            self.want("results", got, [self.m.results[0]])

    def a_output(self):
        got = self.ask("output")
        if self.m.results is None:
            self.want_error("output", got, "output: no inference")
        elif self.m.results[1] is not None:
            self.want("output", got, [f"m-output-[{self.m.results[1].hex()}]"])
        elif len(got) != 1 or not got[0].startswith("m-output-["):
            raise Mismatch(f"output: {got}")

    def a_bad(self):
        """An invalid command; none changes the model's state."""
        r = self.rng
        word = "".join(r.choice(string.ascii_lowercase) for _ in range(r.randrange(1, 30)))
        loading = self.m.loading and len(self.m.staged) < self.m.expected
        cases = [
            (word if word not in ("name", "help", "db", "infer", "model", "output", "results",
                                  "profile", "timestamp", "layers", "selftest", "fault")
             else "zz" + word, "unknown command"),
            ("infer 0", "infer: N must"), ("infer x 1", "infer: N must"),
            ("infer 1 -1", "infer: W must"),
            (f"db load {SIZES[self.m.active] + 1}", "db load"), ("db load 0", "db load: N"),
            ("db load", "db load: N"), ("db", "db: expected"),
            ("db 0g", "db: no 'db load N'" if not self.m.loading else "db: not a hex digit"),
            ("db 123", "db: no 'db load N'" if not self.m.loading else "db: odd number"),
        ]
        if loading and self.m.expected - len(self.m.staged) < 60:
            left = self.m.expected - len(self.m.staged)
            cases.append(("db " + "00" * (left + 1), "would go past"))
        cmd, fragment = r.choice(cases)
        self.want_error(cmd, self.ask(cmd), fragment)

    def a_flood(self):
        r = self.rng
        if r.random() < 0.5:
            cmd = "x" * (LINE_LIMIT + r.randrange(1, 3000))
            fragment = "command too long"
        else:
            cmd = "name" + chr(r.choice([0x00, 0x01, 0x7f])) + "x"
            fragment = "not printable ASCII"
        self.want_error("(flood)", self.ask(cmd), fragment)

    def a_empty(self):
        self.want("%", self.ask(""), [])

    def a_interrupt(self):
        """ETX (Ctrl-C): during a long `infer` it stops the run at the next
        inference boundary and nothing of it is a result; at any other time
        it is ignored."""
        m = self.m
        if not m.loading or len(m.staged) != m.expected:
            self.count += 1
            self.dut.send("\x03")  # ignored: the next command is answered as usual
            self.a_name()
            return
        self.count += 1
        self.dut.send("infer 999999 0%\x03")
        got = self.dut.read_until_ready(60, "the interrupted infer")
        stops = [l for l in got if re.match(r"^e-\[infer: interrupted after \d+ of 999999 runs\]$", l)]
        if len(stops) != 1 or any(l.startswith(("m-results-", "m-infer-done")) for l in got):
            raise Mismatch(f"command {self.count} infer 999999 0 + ETX: {got}")
        m.results = None  # the interrupted run reports nothing, and the last results are gone
        self.tally("interrupts")

    ACTIONS = [("a_name", 6), ("a_profile", 3), ("a_switch", 4), ("a_bad_model", 2),
               ("a_golden", 5), ("a_partial", 2), ("a_infer", 3), ("a_results", 4),
               ("a_output", 3), ("a_bad", 12), ("a_flood", 2), ("a_empty", 2),
               ("a_interrupt", 2)]

    def run(self, commands: int):
        names = [a for a, _ in self.ACTIONS]
        weights = [w for _, w in self.ACTIONS]
        # every model fully loaded and checked at least once first
        for model in self.m.models:
            self.want(f"model {model}", self.ask(f"model {model}"), [f"m-model-[{model}]"])
            self.m.select(model)
            self.a_golden()
        while self.count < commands:
            action = self.rng.choices(names, weights)[0]
            getattr(self, action)()
            self.tally(action[2:])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--commands", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--golden", required=True)
    ap.add_argument("--per-model", type=int, default=3, help="golden pairs used per model")
    ap.add_argument("--models", default="kws01,vww01,ic01,ad01")
    ap.add_argument("--log", help="write the DUT transcript (every line, host time) to this file")
    ap.add_argument("argv", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    argv = a.argv[1:] if a.argv[:1] == ["--"] else a.argv
    golden = Golden(Path(a.golden), a.per_model)
    rng = random.Random(a.seed)
    t0 = time.monotonic()
    dut = Dut(ProcessTransport(argv, stderr=None if sys.stderr.isatty() else sys.stderr))
    if a.log:
        dut.open_transcript(a.log)
    soak = None
    try:
        dut.banner(timeout=30)
        model_lines = dut.command("model", check=False)
        active = next(l[len("m-model-["):-1] for l in model_lines if l.startswith("m-model-["))
        have = next(l[len("m-models-["):-1].split(",") for l in model_lines if l.startswith("m-models-["))
        models = [m for m in a.models.split(",") if m in have]
        if not dut.probe_crc():
            print("soak: this firmware has no `db crc`")
        soak = Soak(dut, golden, rng, models, active)
        soak.run(a.commands)
    except (Mismatch, DutError) as e:
        detail = e.report() if isinstance(e, DutError) else str(e)
        print(f"soak: FAILED after {soak.count if soak else 0} commands (seed {a.seed}): {detail}")
        dut.close()
        return 1
    dut.t.proc.stdin.close()
    try:  # the native image exits at the end of its input; QEMU does not
        status = dut.t.proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        dut.t.proc.terminate()
        dut.t.proc.wait()
        status = 0
    wall = time.monotonic() - t0
    stats = ", ".join(f"{k} {v}" for k, v in sorted(soak.stats.items()))
    print(f"soak: {soak.count} commands in {wall:.1f} s on {' '.join(argv)[-60:]} (seed {a.seed}): "
          f"{stats}; exit status {status}")
    if status != 0:
        print(f"soak: FAILED: the DUT exited with status {status} (a sanitizer report?)")
        return 1
    print("1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
