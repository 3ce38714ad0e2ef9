"""`./tinyperf serve` on the native image (CTest serve_*_native): the kernel's
host port, computing charged to its virtual clock at the layer boundaries.

    serve_native_test.py concurrent <image>   --clock macs (deterministic): fp and
                                              EDF miss nothing, run to completion
                                              misses exactly RTC_AD01_MISSES ad01
                                              deadlines; every result equals its
                                              golden output; the analysis predicts
                                              schedulable exactly where the run
                                              misses nothing; a second boot gives
                                              the same figures and the same jobs,
                                              to the microsecond; twice the
                                              picoseconds per MAC, twice each C
    serve_native_test.py scenarios  <image>   pipelined and overload (0.5 s each
                                              policy): every result correct, the
                                              analysis agrees with the run
    serve_native_test.py m4         <image>   --clock m4 (the M4's instructions per
                                              layer, a table in the image): each C
                                              alone is the table's sum for its
                                              model; fp and EDF miss nothing, run
                                              to completion misses RTC_AD01_MISSES
                                              (as on the M4 under QEMU)
    serve_native_test.py cpu        <image>   --clock cpu (the host's measured
                                              time, not deterministic): the run
                                              completes, every result correct,
                                              time charged
    serve_native_test.py commands   <image>   malformed `serve clock` commands: one
                                              e-[serve: ...] line each, nothing
                                              changed; the DUT serves on
"""
import json
import sys
from pathlib import Path

# The same runner, checks and analysis test as the QEMU tests (beside this file).
from serve_test import all_results_ok, analysis_agrees, check, serve

# Run to completion on the concurrent scenario under the MACs clock (1.25 ns
# per MAC: vww01 9.362 ms, kws01 3.321 ms, ad01 0.330 ms): ad01 (5 ms period,
# 4 ms deadline) misses whenever it waits behind a whole vww01 job.
RTC_AD01_MISSES = 83


def concurrent(image):
    p, data = serve(image, "--scenario", "concurrent", "--compare")
    check(p.returncode == 0 and data is not None, f"serve --compare exits 0 ({p.stderr.strip()[-300:]})")
    check(data["board"] == "native" and data["clock"] == {"name": "macs", "ps_per_mac": 1250},
          f"native, the MACs clock by default: {data['clock']}")
    runs = {r["policy"]: r for r in data["runs"]}
    for pol in ("fp", "edf"):
        for t in runs[pol]["tasks"]:
            check(t["misses"] == 0 and t["completions"] == t["releases"] > 0,
                  f"{pol} {t['name']}: {t['releases']} releases, all completed, no miss")
    rtc = {t["name"]: t for t in runs["rtc"]["tasks"]}
    check(rtc["vibration"]["misses"] == RTC_AD01_MISSES,
          f"rtc: ad01 misses {RTC_AD01_MISSES} of 200 deadlines (got {rtc['vibration']['misses']})")
    check(rtc["camera"]["misses"] == 0 and rtc["keyword"]["misses"] == 0, "rtc: vww01 and kws01 miss nothing")
    check(rtc["vibration"]["response_max_us"] > data["wcet_alone_us"]["vww01"],
          "rtc: ad01's worst response is behind a whole vww01 job")
    check(all(r["context_switches"] > 0 for r in data["runs"]), "the kernel switched threads")
    check(runs["fp"]["context_switches"] > runs["rtc"]["context_switches"],
          "fp preempts (more switches than run to completion)")
    check(all(t["release_late_max_us"] == 0 for r in data["runs"] for t in r["tasks"]),
          "every release at its nominal time (the virtual clock runs the alarm exactly)")
    all_results_ok(data)
    analysis_agrees("concurrent", data)
    # A second boot: the same figures and the very same jobs.
    p2, again = serve(image, "--scenario", "concurrent", "--compare")
    check(p2.returncode == 0 and again is not None, "a second run exits 0")
    strip = lambda d: [{k: v for k, v in r.items()} for r in d["runs"]]
    check(strip(again) == strip(data) and again["wcet_alone_us"] == data["wcet_alone_us"],
          "a second run (fresh boot) gives the same figures and the same jobs, to the microsecond")
    # The clock is the cost model: twice the picoseconds per MAC, twice each C.
    p3, slow = serve(image, "--scenario", "concurrent", "--policy", "fp", "--duration", "0.2",
                     "--ps-per-mac", "2500")
    check(p3.returncode == 0 and slow["clock"]["ps_per_mac"] == 2500, "--ps-per-mac 2500 runs")
    for m, c in data["wcet_alone_us"].items():
        c2 = slow["wcet_alone_us"][m]
        check(c > 0 and abs(c2 - 2 * c) <= 2, f"{m}: C {c} us at 1.25 ns per MAC, {c2} us at 2.5 ns")


def scenarios(image):
    for name in ("pipelined", "overload"):
        p, data = serve(image, "--scenario", name, "--compare", "--duration", "0.5")
        check(p.returncode == 0 and data is not None, f"{name}: serve exits 0 ({p.stderr.strip()[-300:]})")
        all_results_ok(data)
        analysis_agrees(name, data)
    over = {r["policy"]: r for r in data["runs"]}
    check(sum(t["misses"] for t in over["fp"]["tasks"]) > 0 and over["fp"]["tasks"][1]["misses"] == 0 and
          over["fp"]["tasks"][2]["misses"] == 0,
          "overload, fp: only the lowest-priority task (vww01) misses")


def m4(image):
    table = json.loads((Path(__file__).resolve().parents[2] / "boards/native/m4_layer_instructions.json").read_text())
    p, data = serve(image, "--scenario", "concurrent", "--compare", "--clock", "m4")
    check(p.returncode == 0 and data is not None, f"--clock m4: serve --compare exits 0 ({p.stderr.strip()[-300:]})")
    check(data["clock"] == {"name": "m4", "measured_at": table["git_revision"]},
          f"the clock and the table's revision in the JSON: {data['clock']}")
    for m, c in data["wcet_alone_us"].items():
        want = sum(table["models"][m]["instructions"]) / 1000
        check(abs(c - want) <= 1, f"{m}: C alone {c} us = the M4's instructions of its layers ({want:.3f} us)")
    runs = {r["policy"]: r for r in data["runs"]}
    for pol in ("fp", "edf"):
        check(all(t["misses"] == 0 and t["completions"] == t["releases"] > 0 for t in runs[pol]["tasks"]),
              f"{pol}: every release completed, no miss")
    rtc = {t["name"]: t for t in runs["rtc"]["tasks"]}
    check(rtc["vibration"]["misses"] == RTC_AD01_MISSES and rtc["camera"]["misses"] == rtc["keyword"]["misses"] == 0,
          f"rtc: ad01 alone misses, {RTC_AD01_MISSES} of 200 (got {rtc['vibration']['misses']})")
    all_results_ok(data)
    analysis_agrees("concurrent (m4)", data)


def cpu(image):
    p, data = serve(image, "--scenario", "concurrent", "--compare", "--duration", "0.5", "--clock", "cpu")
    check(p.returncode == 0 and data is not None, f"--clock cpu: serve --compare exits 0 ({p.stderr.strip()[-300:]})")
    check(data["clock"]["name"] == "cpu", "the clock is named in the JSON")
    check(all(c > 0 for c in data["wcet_alone_us"].values()), f"time is charged: C {data['wcet_alone_us']}")
    for r in data["runs"]:
        for t in r["tasks"]:
            check(t["releases"] > 0 and t["completions"] + t["dropped"] == t["releases"],
                  f"{r['policy']} {t['name']}: every release completed or counted dropped")
        check(0 < r["utilization"] <= 1, f"{r['policy']}: utilization {r['utilization']} above 0 (a slow host may be overloaded)")
    all_results_ok(data)


BAD = ["serve clock", "serve clock foo", "serve clock cpu 5", "serve clock m4 1", "serve clock macs 0", "serve clock macs x",
       "serve clock macs 1000001", "serve clock macs 5 6"]


def commands(image):
    from tinyperf_cli import serve as S
    info = json.loads((Path(image).resolve().parent / "board-info.json").read_text())
    d = S.boot(info).dut
    try:
        before = d.command("serve show", timeout=10)
        check(before[-1] == "m-serve-clock-[clock=macs,ps_per_mac=1250]", f"`serve show` names the clock: {before}")
        for c in BAD:
            lines = d.command(c, timeout=10, check=False)
            check(len(lines) == 1 and lines[0].startswith("e-[serve"), f"`{c}`: {lines}")
        check(d.command("serve show", timeout=10) == before, "nothing changed: `serve show` answers as before")
        check(d.command("serve clock cpu", timeout=10)[-1] == "m-serve-clock-[clock=cpu]", "serve clock cpu")
        d.command("serve clock macs 1000", timeout=10)
        d.command("serve task p,ad01,5000,0,4000,1,-,-", timeout=10)
        r = S.parse_run(d.command("serve run 20000", timeout=60))
        t = r["tasks"][0]
        # ad01: 264,192 MACs at 1 ns each.
        check(t["completions"] == 4 and t["wrong"] == 0 and t["resp_max"] == 264,
              f"and serves on: 4 ad01 jobs in 20 ms, each 264 us at 1 ns per MAC ({t})")
        check(d.command("name", timeout=10)[0].startswith("m-name-dut-"), "the DUT answers name afterwards")
    finally:
        d.close()


if __name__ == "__main__":
    {"concurrent": concurrent, "scenarios": scenarios, "m4": m4, "cpu": cpu, "commands": commands}[sys.argv[1]](sys.argv[2])
