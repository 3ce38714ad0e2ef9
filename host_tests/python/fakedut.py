"""A scripted stand-in for a tinyperf DUT behind a transport (for the host tests)."""
from __future__ import annotations

import time


class FakeDut:
    """Answers the DUT protocol the way app/protocol.cc does, in Python.

    models: id -> input bytes; score(model, data) -> list of result floats;
    us_per_inference: DUT time one inference takes; model_command: whether the
    firmware knows `model`; silent_on: a command prefix after which it stops
    answering altogether."""

    def __init__(self, models=None, score=None, us_per_inference=1000, model_command=True,
                 silent_on=None):
        self.models = models or {"kws01": 490, "ad01": 2560}
        self.active = next(iter(self.models))
        self.score = score or (lambda model, data: [0.5] * 12)
        self.us_per_inference = us_per_inference
        self.model_command = model_command
        self.silent_on = silent_on
        self.silent = False
        self.clock = 1000
        self.expected = self.loaded = None
        self.data = b""
        self.commands = []   # every command received

    def handle(self, cmd: str) -> list[str]:
        self.commands.append(cmd)
        if self.silent_on and cmd.startswith(self.silent_on):
            self.silent = True
        if self.silent:
            return []
        tok = cmd.split()
        out = []
        if not tok:
            pass
        elif tok[0] == "name":
            out = ["m-name-dut-[tinyperf fake]"]
        elif tok[0] == "profile":
            out = ["m-profile-[tinyperf 0.1.0]", f"m-model-[{self.active}]"]
        elif tok[0] == "model" and self.model_command:
            if len(tok) == 1:
                out = [f"m-model-[{self.active}]", f"m-models-[{','.join(self.models)}]"]
            elif tok[1] in self.models:
                self.active, self.expected = tok[1], None
                out = [f"m-model-[{self.active}]"]
            else:
                out = ["e-[model: unknown id]"]
        elif tok[0] == "db" and tok[1:2] == ["load"]:
            n = int(tok[2])
            if n != self.models[self.active]:
                out = [f"e-[db load: model {self.active} takes {self.models[self.active]} bytes]"]
            else:
                self.expected, self.loaded, self.data = n, 0, b""
                out = [f"m-[Expecting {n} bytes]"]
        elif tok[0] == "db":
            if self.expected is None:
                out = ["e-[db: no 'db load N' before the data]"]
            else:
                self.data += bytes.fromhex(tok[1])
                if len(self.data) == self.expected:
                    out = ["m-load-done"]
        elif tok[0] == "infer":
            n, w = int(tok[1]), int(tok[2])
            if self.expected is None or len(self.data) != self.expected:
                out = ["e-[infer: no complete input]"]
            else:
                out = [f"m-warmup-start-{w}", "m-warmup-done", f"m-infer-start-{n}",
                       f"m-lap-us-{self.clock}"]
                self.clock += int(n * self.us_per_inference)
                out += [f"m-lap-us-{self.clock}", "m-infer-done",
                        "m-results-[" + ",".join(f"{v:.3f}" for v in
                                                 self.score(self.active, self.data)) + "]"]
        else:
            out = [f"e-[unknown command: {tok[0]}]"]
        return out + ["m-ready"]


class FakeTransport:
    """Feeds `%`-terminated commands to a FakeDut; hands back its answer bytes."""

    def __init__(self, dut: FakeDut):
        self.dut = dut
        self.pending = b""
        self.out = b""

    def write(self, data: bytes):
        self.pending += data
        while b"%" in self.pending:
            cmd, self.pending = self.pending.split(b"%", 1)
            self.out += "".join(l + "\r\n" for l in self.dut.handle(cmd.decode())).encode()

    def read(self, timeout: float) -> bytes:
        if not self.out:
            time.sleep(min(timeout, 0.01))
            return b""
        data, self.out = self.out[:7], self.out[7:]  # arrives in small pieces
        return data

    def close(self):
        pass
