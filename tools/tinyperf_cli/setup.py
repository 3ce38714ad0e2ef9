"""Debian packages each part of tinyperf needs, and installing them."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

# Flash tools that Debian packages (the others are outside installs).
FLASH_TOOL_PACKAGES = {"st-flash": "stlink-tools", "openocd": "openocd"}

PACKAGES = {
    "host": ["cmake", "ninja-build", "g++", "python3-serial", "python3-yaml",
             "flatbuffers-compiler", "libflatbuffers-dev"],
    "arm": ["gcc-arm-none-eabi", "binutils-arm-none-eabi", "picolibc-arm-none-eabi",
            "libnewlib-arm-none-eabi", "libstdc++-arm-none-eabi-newlib", "qemu-system-arm"],
    # sklearn: the ROC AUC test only; clang: the libFuzzer targets of
    # host_tests/fuzz (libFuzzer and the sanitizer runtimes: libclang-rt-dev).
    "test": ["googletest", "libgtest-dev", "python3-sklearn", "clang", "libclang-rt-dev"],
    # The non-Arm boards (himax_we1_plus: ARC EM9D; esp32_devkitc: Xtensa).
    "nonarm": ["g++-12-arc-linux-gnu", "binutils-arc-linux-gnu",
               "gcc-xtensa-lx106", "binutils-xtensa-lx106", "picolibc-xtensa-lx106-elf"],
    "plot": ["python3-matplotlib"],
}


# Programs the CLI runs, and the Debian package that brings each.
PROGRAM_PACKAGES = {
    "qemu-system-arm": "qemu-system-arm", "cmake": "cmake", "ctest": "cmake", "ninja": "ninja-build",
    "arm-none-eabi-gcc": "gcc-arm-none-eabi", "arm-none-eabi-g++": "gcc-arm-none-eabi",
    "arm-none-eabi-size": "binutils-arm-none-eabi", "arm-none-eabi-nm": "binutils-arm-none-eabi",
    "arm-none-eabi-objcopy": "binutils-arm-none-eabi",
    "arc-linux-gnu-g++-12": "g++-12-arc-linux-gnu", "xtensa-lx106-elf-gcc": "gcc-xtensa-lx106",
    "st-flash": "stlink-tools", "openocd": "openocd", "git": "git",
}


def missing(packages: list[str]) -> list[str]:
    if not shutil.which("dpkg-query"):
        return []  # not Debian: trust the user
    out = []
    for p in packages:
        r = subprocess.run(["dpkg-query", "-W", "-f=${Status}", p],
                           capture_output=True, text=True)
        if r.returncode != 0 or "install ok installed" not in r.stdout:
            out.append(p)
    return out


def ensure(*groups: str) -> None:
    """Installs what is missing (as root) or says exactly what to run."""
    ensure_packages([p for g in groups for p in PACKAGES[g]])


def ensure_packages(wanted: list[str]) -> None:
    need = missing(wanted)
    if not need:
        return
    line = "apt-get install -y --no-install-recommends " + " ".join(need)
    if os.geteuid() != 0:
        sys.exit(f"tinyperf: missing Debian packages. Run:\n  sudo apt-get update && sudo {line}")
    print(f"tinyperf: installing {' '.join(need)}", flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update"], check=True, env=env, stdout=subprocess.DEVNULL)
    subprocess.run(line.split(), check=True, env=env)
