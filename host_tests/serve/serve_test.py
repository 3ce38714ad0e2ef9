"""`./tinyperf serve` on the M4 image under QEMU (CTest serve_*_qemu_mps2_an386).

    serve_test.py concurrent  <elf>   fp and EDF miss nothing, run to completion
                                      misses exactly 60 ad01 deadlines; every
                                      result equals its golden output; a second
                                      run gives the same counts
    serve_test.py analysis    <elf>   for the built-in scenarios (concurrent's in
                                      the test above, pipelined, overload): the
                                      analysis predicts schedulable exactly where
                                      the run shows no miss (fp: per task, RTA;
                                      edf: the task set, demand test)
    serve_test.py results     <elf>   (the M55) concurrent under every policy:
                                      every result equals its golden output,
                                      no miss at its 14% load
    serve_test.py ram_refused <elf>   four tasks of the image's largest arena
                                      (ic02's) do not fit the serving pool (3x it): refused with the figures, nothing run;
                                      every malformed `serve` command gets one
                                      e-[serve: ...] line and m-ready, changes
                                      nothing, and the DUT serves on
"""
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def serve(elf, *args):
    with tempfile.TemporaryDirectory() as d:
        out = Path(d) / "r.json"
        p = subprocess.run([sys.executable, "-m", "tinyperf_cli", "serve", "--image", elf, *args,
                            "--json", str(out)], capture_output=True, text=True, timeout=280)
        data = json.loads(out.read_text()) if out.exists() else None
    return p, data


def check(cond, msg):
    if not cond:
        print("FAIL:", msg)
        sys.exit(1)
    print("ok:", msg)


def all_results_ok(data):
    for r in data["runs"]:
        for t in r["tasks"]:
            check(t["wrong"] == 0, f"{r['policy']} {t['name']}: no result differs from the golden output")
        done = [j for j in r["jobs"] if j["result"] != "dropped"]
        check(all(j["result"] == "ok" for j in done) and len(done) == sum(t["completions"] for t in r["tasks"]),
              f"{r['policy']}: all {len(done)} completed jobs logged, each result byte-equal to its golden output")


def concurrent(elf):
    p, data = serve(elf, "--scenario", "concurrent", "--compare")
    check(p.returncode == 0, f"serve --compare exits 0 ({p.stderr.strip()[-300:]})")
    runs = {r["policy"]: r for r in data["runs"]}
    for pol in ("fp", "edf"):
        for t in runs[pol]["tasks"]:
            check(t["misses"] == 0 and t["completions"] == t["releases"] > 0,
                  f"{pol} {t['name']}: {t['releases']} releases, all completed, no miss")
    rtc = {t["name"]: t for t in runs["rtc"]["tasks"]}
    check(rtc["vibration"]["misses"] == 60, f"rtc: ad01 misses 60 of 200 deadlines (got {rtc['vibration']['misses']})")
    check(rtc["camera"]["misses"] == 0 and rtc["keyword"]["misses"] == 0, "rtc: vww01 and kws01 miss nothing")
    check(rtc["vibration"]["response_max_us"] > 10_000,
          "rtc: ad01's worst response is behind a whole vww01 inference (> 10 ms)")
    check(all(60 <= 100 * r["utilization"] <= 80 for r in data["runs"]), "the M4 is loaded 60-80%")
    all_results_ok(data)
    analysis(elf, ("concurrent",), data)
    p2, again = serve(elf, "--scenario", "concurrent", "--policy", "rtc")
    key = lambda r: [(t["releases"], t["completions"], t["misses"]) for t in r["tasks"]]
    check(p2.returncode == 0 and key(again["runs"][0]) == key(runs["rtc"]),
          "a second run (fresh boot) gives the same releases, completions and misses")
    d = abs(again["runs"][0]["tasks"][2]["response_max_us"] - rtc["vibration"]["response_max_us"])
    check(d <= 2, f"... and the same worst response within 2 us (differs by {d})")


def analysis(elf, names=("pipelined", "overload"), given=None):
    for name in names:
        if given is None:
            p, data = serve(elf, "--scenario", name, "--compare", "--duration", "0.5")  # CI time
            check(p.returncode == 0, f"{name}: serve exits 0 (0.5 s of DUT time per policy)")
            all_results_ok(data)
        else:
            data = given
        runs = {r["policy"]: r for r in data["runs"]}
        for t in runs["fp"]["tasks"]:
            check(t["predicted_schedulable"] == (t["misses"] == 0),
                  f"{name} fp {t['name']}: RTA says {'schedulable' if t['predicted_schedulable'] else 'misses'}, "
                  f"the run missed {t['misses']}")
        e = runs["edf"]["tasks"]
        check(e[0]["predicted_schedulable"] == all(t["misses"] == 0 for t in e),
              f"{name} edf: the demand test says {'schedulable' if e[0]['predicted_schedulable'] else 'not'}, "
              f"the run missed {sum(t['misses'] for t in e)}")


def results(elf):
    p, data = serve(elf, "--scenario", "concurrent", "--compare", "--duration", "0.5")
    check(p.returncode == 0, f"serve --compare exits 0 ({p.stderr.strip()[-300:]})")
    all_results_ok(data)
    for r in data["runs"]:
        check(sum(t["misses"] for t in r["tasks"]) == 0 and
              all(t["completions"] == t["releases"] > 0 for t in r["tasks"]),
              f"{r['policy']}: every release completed, no miss")
    check(data["runs"][0]["context_switches"] > 250, "fp: hundreds of context switches (preemptions mid-inference)")


def ram_refused(elf):
    with tempfile.TemporaryDirectory() as d:
        sc = Path(d) / "big.yaml"
        sc.write_text("tasks:\n" + "".join(
            f"  - {{name: cam{i}, model: ic02, period_ms: 1000}}\n" for i in range(4)))
        p, data = serve(elf, "--scenario", str(sc))
    m = re.search(r"needs (\d+) bytes of arena; the scenario would need (\d+) bytes, the pool holds (\d+)", p.stderr)
    check(p.returncode == 1 and m is not None, f"refused with the figures: {p.stderr.strip()[:300]}")
    check(int(m[2]) > int(m[3]), "the figure it needs is above the pool")
    check(data is None and "m-serve-run" not in p.stdout, "nothing ran")
    bad_commands(elf)


BAD = [
    "serve", "serve foo", "serve task", "serve task a,kws01,1000", "serve task a,nomodel,1000,0,1000,1,-,-",
    "serve task a,kws01,1000,0,0,1,-,-", "serve task a,kws01,0,0,1000,1,-,-", "serve task a,kws01,-5,0,1000,1,-,-",
    "serve task a,kws01,1000,0,1000,0,-,-", "serve task a,kws01,1000,0,1000,29,-,-",
    "serve task a,kws01,1000,0,1000,1,0,-", "serve task a,kws01,99999999999,0,1000,1,-,-",
    "serve task ,kws01,1000,0,1000,1,-,-", "serve task abcdefghijklmnopq,kws01,1000,0,1000,1,-,-",
    "serve task a,kws01,1000,0,1000,1,-,-,extra", "serve policy", "serve policy lifo", "serve run",
    "serve run 0", "serve run abc", "serve run 1000 nojobs", "serve run 700000000",
]


def bad_commands(elf):
    from tinyperf_cli import serve as S
    info = json.loads((Path(elf).resolve().parent / "board-info.json").read_text())
    t = S.boot(info)
    d = t.dut
    try:
        before = d.command("serve show", timeout=10)
        for c in BAD:
            lines = d.command(c, timeout=10, check=False)
            errs = [l for l in lines if l.startswith("e-[serve")]
            check(len(errs) == 1 and lines == errs,  # (command() has read up to m-ready)
                  f"`{c}`: {lines}")
        check(d.command("serve run 1000", timeout=10, check=False)[0] == "e-[serve: run: no tasks (serve task ...)]",
              "`serve run` without tasks is refused")
        check(d.command("serve show", timeout=10) == before, "nothing changed: `serve show` answers as before")
        d.command("serve task b,kws01,10000,0,10000,1,-,-", timeout=10)
        lines = d.command("serve task t,ad01,0,0,1000,1,0,12", timeout=10, check=False)  # kws01: 12 classes
        check(any("class must be an output index" in l for l in lines), "a trigger class beyond the model's outputs")
        check(d.command("name", timeout=10)[0].startswith("m-name-dut-"), "the DUT answers name afterwards")
        d.command("serve clear", timeout=10)
        d.command("serve task p,ad01,5000,0,4000,1,-,-", timeout=10)
        r = S.parse_run(d.command("serve run 20000", timeout=60))
        check(r["tasks"][0]["completions"] == 4 and r["tasks"][0]["wrong"] == 0, "and still serves: 4 ad01 jobs in 20 ms")
    finally:
        d.close()


if __name__ == "__main__":
    {"concurrent": concurrent, "analysis": analysis, "results": results, "ram_refused": ram_refused}[sys.argv[1]](sys.argv[2])
