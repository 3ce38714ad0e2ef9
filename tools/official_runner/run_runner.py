#!/usr/bin/python3
"""Runs the official MLPerf Tiny host runner, unchanged, on a port without a USB id.

The runner (mlcommons/tiny benchmark/runner/main.py) only considers serial
ports that report a USB vendor and product id, so it never sees a
pseudo-terminal (the native board's --pty, QEMU's -serial pty) or a plain
UART. This wrapper adds the given port to pyserial's port list with the ids
that devices_tinyperf.yaml gives the DUT, then runs the runner's main.py as
the main program. Not a line of the runner is changed.

With --interface-port it also lists a second port, the sww01 interface
board's (sww_interface.py, the software stand-in), under the ids that
devices_tinyperf_sww.yaml gives an `stm32h573i-dk` interface.

usage: run_runner.py --runner DIR --port /dev/pts/N [--interface-port /dev/pts/M]
                     [--] <the runner's own arguments>
Run it with Debian's /usr/bin/python3 (python3-serial, -yaml, -numpy, -sklearn,
-matplotlib, -usb).
"""
import argparse
import os
import runpy
import sys

# pid.codes test ids, matched by devices_tinyperf.yaml (usb: {0x1209: 0x0001});
# the interface stand-in's by devices_tinyperf_sww.yaml (usb: {0x1209: 0x0002}).
VID, PID = 0x1209, 0x0001
INTERFACE_PID = 0x0002


def list_port_as_usb(port: str, interface_port: str | None = None):
    """Makes serial.tools.list_ports.comports() also return `port` (and
    `interface_port`) with a USB VID/PID."""
    from serial.tools import list_ports
    from serial.tools.list_ports_common import ListPortInfo

    real = list_ports.comports
    ours = [(port, PID, "tinyperf DUT")]
    if interface_port:
        ours.append((interface_port, INTERFACE_PID, "tinyperf sww01 interface stand-in"))

    def comports(include_links=False):
        ports = [p for p in real(include_links) if p.device not in (d for d, _, _ in ours)]
        for device, pid, what in ours:
            info = ListPortInfo(device, skip_link_detection=True)
            info.vid, info.pid = VID, pid
            info.description = info.product = what
            ports.append(info)
        return ports

    list_ports.comports = comports


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runner", required=True, help="the runner's folder (benchmark/runner)")
    ap.add_argument("--port", required=True, help="the DUT's port, e.g. /dev/pts/3")
    ap.add_argument("--interface-port", help="the sww01 interface board stand-in's port")
    args, rest = ap.parse_known_args()
    if rest[:1] == ["--"]:
        rest = rest[1:]
    main_py = os.path.join(os.path.abspath(args.runner), "main.py")
    if not os.path.isfile(main_py):
        sys.exit(f"run_runner: no main.py in {args.runner}")
    if not os.path.exists(args.port):
        sys.exit(f"run_runner: no such port: {args.port}")
    if args.interface_port and not os.path.exists(args.interface_port):
        sys.exit(f"run_runner: no such port: {args.interface_port}")
    list_port_as_usb(args.port, args.interface_port)
    sys.path.insert(0, os.path.dirname(main_py))
    sys.argv = [main_py] + rest
    runpy.run_path(main_py, run_name="__main__")


if __name__ == "__main__":
    main()
