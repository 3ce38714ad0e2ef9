"""sww01's pins watched from outside the DUT (tools/tinyperf_cli/sww_pins.py)
on hand-made QEMU logs: the LED trace's edges, their times from the
pin_watch plugin's lines, the pulses counted and checked against the
console, and a missing edge, a count that differs, a detection edge off the
DUT's pin us and a duty cycle off its busy time each reported as an error."""

import unittest

from tinyperf_cli import sww_pins as P


def led(pin, a, b):
    return f"led_change_intensity LED desc:'{pin}' color:green intensity {a}% -> {b}%"


def store(n, vt_ns, icount=None):
    return f"pin-store {n} vt_ns={vt_ns} icount={icount if icount is not None else vt_ns}"


class Log:
    """A stream's log as QEMU writes it: each store's LED lines, then its
    pin-store line (timed) or nothing (trace only)."""

    def __init__(self, timed=True):
        self.lines, self.n, self.timed = [], 0, timed

    def write(self, vt_ns, *changes):
        self.lines += [led(*c) for c in changes]
        if self.timed:
            self.lines.append(store(self.n, vt_ns))
        self.n += 1

    def hop(self, rise_ns, on_ns, detect_ns=None):
        self.write(rise_ns, (P.PROCESSING, 0, 100))
        self.write(rise_ns + on_ns, (P.PROCESSING, 100, 0))
        if detect_ns is not None:
            self.write(detect_ns, (P.WW_DETECTED, 100, 0))
            self.write(detect_ns + 2000, (P.WW_DETECTED, 0, 100))


def stream(timed=True, hops=10, detect=(0, 4, 5), on_ns=1_131_000, t0=5_000_000, skip=None):
    """hops hops 32 ms apart from t0 + 32 ms; WW_DETECTED on the hops of
    `detect` 1 us after PROCESSING falls; console lines to match (pin us
    after t0, whole us). skip: (hop, 'rise'|'fall'|'det') an edge left out."""
    log = Log(timed)
    dets = []
    for k in range(hops):
        rise = t0 + (k + 1) * 32_000_000
        fall = rise + on_ns
        if skip != (k, "rise"):
            log.write(rise, (P.PROCESSING, 0, 100))
        if skip != (k, "fall"):
            log.write(fall, (P.PROCESSING, 100, 0))
        if k in detect:
            edge = fall + 1000
            if skip != (k, "det"):
                log.write(edge, (P.WW_DETECTED, 100, 0))
            log.write(edge + 2000, (P.WW_DETECTED, 0, 100))
            dets.append((k, (k + 1) * 32000, (edge - t0) // 1000, 120, "marker" if k == 0 else "word"))
    return log.lines, dets


class ParseTest(unittest.TestCase):
    def test_edges_take_the_time_of_the_store_after_them(self):
        lines = [led("USERLED0", 0, 100), led(P.PROCESSING, 0, 100), store(0, 1000, 900),
                 led(P.PROCESSING, 100, 0), store(1, 2500, 2400), store(2, 2600, 2500)]
        log = P.parse(lines)
        self.assertEqual(log.stores, 3)
        self.assertEqual([(e.pin, e.high, e.vt_ns, e.icount) for e in log.edges],
                         [(P.PROCESSING, True, 1000, 900), (P.PROCESSING, False, 2500, 2400)])
        self.assertEqual(log.problems, [])

    def test_trace_only_has_no_times(self):
        lines, _ = stream(timed=False, hops=3, detect=(0,))
        obs = P.observe(lines)
        self.assertFalse(obs.timed)
        self.assertEqual((len(obs.processing), len(obs.detected)), (3, 1))
        self.assertIsNone(obs.duty_cycle())

    def test_real_trace_line_prefixes_are_read(self):
        # The log backend may prefix a pid and a host time stamp.
        lines = ["12345@1700000000.000001:" + led(P.PROCESSING, 0, 100), store(0, 10),
                 "12345@1700000000.000002:" + led(P.PROCESSING, 100, 0), store(1, 20)]
        obs = P.observe(lines)
        self.assertEqual([p.width_ns for p in obs.processing], [10])

    def test_a_missing_edge_is_a_problem(self):
        for skip in ((3, "rise"), (3, "fall"), (4, "det")):
            lines, _ = stream(skip=skip)
            obs = P.observe(lines)
            self.assertTrue(obs.problems, skip)
            self.assertTrue(any("missing" in p for p in obs.problems), (skip, obs.problems))

    def test_a_pulse_open_at_the_end_is_a_problem_in_a_stream_window(self):
        lines, _ = stream(hops=2, detect=())
        lines += [led(P.PROCESSING, 0, 100), store(99, 10**9)]
        self.assertTrue(any("still active" in p for p in P.observe(lines).problems))
        # ...but not in a recording that may end during one (the stand-in).
        obs = P.observe(lines, strict=False)
        self.assertEqual((len(obs.processing), obs.problems), (2, []))

    def test_a_recording_may_begin_inside_a_pulse(self):
        lines = [led(P.PROCESSING, 100, 0), store(0, 5)]
        more, _ = stream(hops=2, detect=())
        obs = P.observe(lines + more, strict=False)
        self.assertEqual((len(obs.processing), obs.problems), (2, []))
        self.assertTrue(P.observe(lines + more).problems)


class CheckTest(unittest.TestCase):
    def check(self, lines, dets, hops, busy_us=None, elapsed_us=None, dropped=0):
        return P.check(P.observe(lines), dets, hops, dropped, busy_us, elapsed_us)

    def test_agreeing_stream(self):
        lines, dets = stream(hops=10)
        report, errors = self.check(lines, dets, 10, busy_us=10 * 1131, elapsed_us=10 * 32000)
        self.assertEqual(errors, [])
        self.assertIn("10 PROCESSING pulses for 10 hops, 3 WW_DETECTED pulses for 3 detections", report[0])
        self.assertTrue(any("within 0.000 us" in l for l in report), report)
        self.assertTrue(any("duty cycle 0.03534" in l for l in report), report)

    def test_counts_that_differ_are_errors(self):
        lines, dets = stream(hops=10)
        _, errors = self.check(lines, dets, 11)
        self.assertTrue(any("10 PROCESSING pulses, but the DUT reported 11 hops" in e for e in errors), errors)
        _, errors = self.check(lines, dets[:2], 10)
        self.assertTrue(any("3 WW_DETECTED pulses, but the DUT reported 2" in e for e in errors), errors)
        # A line the DUT dropped still pulsed its pin: counted with `dropped`.
        self.assertEqual(self.check(lines, dets[:2], 10, dropped=1)[1], [])

    def test_trace_only_counts_and_checks(self):
        lines, dets = stream(timed=False, hops=4, detect=(0, 2))
        report, errors = self.check(lines, dets, 4)
        self.assertEqual(errors, [])
        self.assertEqual(len(report), 1)
        _, errors = self.check(lines, dets, 5)
        self.assertTrue(errors)

    def test_a_detection_edge_off_the_dut_pin_us_is_an_error(self):
        lines, dets = stream(hops=10)
        h, due, pin, score, kind = dets[2]
        dets[2] = (h, due, pin + 2, score, kind)  # the DUT says 2 us later than the pin shows
        _, errors = self.check(lines, dets, 10)
        self.assertTrue(any("WW_DETECTED edge 2.000 us off" in e for e in errors), errors)

    def test_a_duty_cycle_off_the_dut_busy_time_is_an_error(self):
        lines, dets = stream(hops=10)
        # The DUT says 1133 us a hop, the pins show 1131.
        _, errors = self.check(lines, dets, 10, busy_us=10 * 1133, elapsed_us=10 * 32000)
        self.assertTrue(any("duty cycle" in e for e in errors), errors)
        _, errors = self.check(lines, dets, 10, busy_us=10 * 1131 + 5, elapsed_us=10 * 32000)
        self.assertEqual(errors, [])

    def test_after_underruns_times_are_reported_not_compared(self):
        # The DUT's timeline paused for late blocks; the pins' clock did not.
        lines, dets = stream(hops=10)
        h, due, pin, score, kind = dets[2]
        dets[2] = (h, due, pin - 40000, score, kind)  # a 40 ms pause before it
        report, errors = P.check(P.observe(lines), dets, 10, 0, 10 * 1131, 10 * 32000 - 40000, underruns=1)
        self.assertEqual(errors, [])
        self.assertTrue(any("1 underruns" in l for l in report), report)
        # The counts are still checked.
        _, errors = P.check(P.observe(lines), dets, 11, 0, 10 * 1131, 10 * 32000, underruns=1)
        self.assertTrue(any("but the DUT reported 11 hops" in e for e in errors), errors)
        # Without underruns the same times are errors.
        _, errors = P.check(P.observe(lines), dets, 10, 0, 10 * 1131, 10 * 32000 - 40000)
        self.assertTrue(any("WW_DETECTED edge" in e for e in errors), errors)
        self.assertTrue(any("duty cycle" in e for e in errors), errors)


class ArgsTest(unittest.TestCase):
    def test_qemu_args_per_machine(self):
        argv = ["qemu-system-arm", "-M", "mps2-an386", "-kernel", "x.elf"]
        self.assertEqual(P.machine_of(argv), "mps2-an386")
        args = P.qemu_args("mps2-an386", "/tmp/q.log", "/p.so")
        self.assertIn("mps2-fpgaio.num-leds=3", args)
        self.assertIn("file=/p.so,addr=0x40028000", args)
        self.assertEqual(args[-2:], ["-d", "plugin"])
        args = P.qemu_args("mps3-an547", "/tmp/q.log", None)
        self.assertEqual(args, ["-trace", "led_change_intensity", "-D", "/tmp/q.log"])
        with self.assertRaises(P.PinError):
            P.qemu_args("virt", "/tmp/q.log", None)


if __name__ == "__main__":
    unittest.main()
