"""A scripted stand-in for a tinyperf DUT behind a transport (for the host tests)."""
from __future__ import annotations

import time
import zlib


class FakeDut:
    """Answers the DUT protocol the way app/protocol.cc does, in Python.

    models: id -> input bytes; score(model, data) -> list of result floats;
    us_per_inference: DUT time one inference takes; model_command: whether the
    firmware knows `model`; silent_on: a command prefix after which it stops
    answering altogether.

    Faults, for the runner's tests: db_crc: whether it answers `db crc`;
    corrupt_loads: the first N complete loads keep one flipped bit (as a noisy
    link would leave them); chatty_on: a command prefix after which it prints
    lines forever without m-ready; near_ready: lines that contain `m-ready`
    without being it, printed before each answer to `infer`; stray_on: a
    command prefix whose first answer is another command's (`name`'s), i.e.
    out of step; die_on: a command prefix at which the link dies (the
    transport raises the given exception)."""

    def __init__(self, models=None, score=None, us_per_inference=1000, model_command=True,
                 silent_on=None, db_crc=False, corrupt_loads=0, chatty_on=None, near_ready=False,
                 stray_on=None, die_on=None):
        self.models = models or {"kws01": 490, "ad01": 2560}
        self.active = next(iter(self.models))
        self.score = score or (lambda model, data: [0.5] * 12)
        self.us_per_inference = us_per_inference
        self.model_command = model_command
        self.silent_on = silent_on
        self.silent = False
        self.db_crc = db_crc
        self.corrupt_loads = corrupt_loads
        self.chatty_on = chatty_on
        self.chatty = False
        self.near_ready = near_ready
        self.stray_on = stray_on
        self.die_on = die_on
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
        if self.chatty_on and cmd.startswith(self.chatty_on):
            self.chatty = True
            return []
        if self.stray_on and cmd.startswith(self.stray_on):
            self.stray_on = None
            return ["m-name-dut-[tinyperf fake]", "m-ready"]
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
        elif tok[0] == "db" and tok[1:2] == ["crc"] and self.db_crc:
            out = ([f"m-db-crc32-[{zlib.crc32(self.data):08x}]"] if self.expected is not None
                   else ["e-[db crc: nothing loaded]"])  # as app/protocol.cc answers
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
                    if self.corrupt_loads:
                        self.corrupt_loads -= 1
                        self.data = bytes([self.data[0] ^ 0x10]) + self.data[1:]
                    out = ["m-load-done"]
        elif tok[0] == "infer":
            n, w = int(tok[1]), int(tok[2])
            if self.expected is None or len(self.data) != self.expected:
                out = ["e-[infer: no complete input]"]
            else:
                out = ["xm-ready", "m-ready-not", "  m-ready", "m-ready "] if self.near_ready else []
                out += [f"m-warmup-start-{w}", "m-warmup-done", f"m-infer-start-{n}",
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
        if self.dut.die_on and self.dut.die_on.encode() in self.pending + data:
            raise self.dut_death()
        self.pending += data
        while b"%" in self.pending:
            cmd, self.pending = self.pending.split(b"%", 1)
            self.out += "".join(l + "\r\n" for l in self.dut.handle(cmd.decode())).encode()

    def dut_death(self):
        from tinyperf_cli.dut import DutLinkError
        return DutLinkError("the DUT process closed its output (it exited)", exit_status=-11)

    def read(self, timeout: float) -> bytes:
        if self.dut.chatty and not self.out:
            self.out = b"m-still-busy\r\n"
        if not self.out:
            time.sleep(min(timeout, 0.01))
            return b""
        data, self.out = self.out[:7], self.out[7:]  # arrives in small pieces
        return data

    def close(self):
        pass
