#!/bin/sh
# Builds and runs host_tests/engine/ad01_m55/quantize_test.cc under QEMU
# mps3-an547 (Cortex-M55): ad01's Helium input conversion against the scalar
# one. TP_AD01_M55_DIR is the build directory (default /tmp/tp_ad01_m55).
set -e
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
out=${TP_AD01_M55_DIR:-/tmp/tp_ad01_m55}
mkdir -p "$out"
arm-none-eabi-g++ -mcpu=cortex-m55 -mthumb -mfloat-abi=hard --specs=picolibc.specs \
  -O2 -std=c++20 -fno-exceptions -fno-rtti -ffunction-sections -fdata-sections -ffp-contract=off \
  -Wall -Wextra -Werror "$@" "$here/quantize_test.cc" \
  "$root/arch/cortex_m/startup.cc" "$root/arch/common/fault_output.cc" "$root/arch/common/reset_cause.cc" \
  -I"$root/arch/common" -I"$root/drivers/include" \
  -nostartfiles -L"$root/linker" -T"$root/boards/qemu_mps3_an547/memory.ld" \
  -Wl,--gc-sections -Wl,--no-warn-rwx-segments -o "$out/test.elf"
timeout 120 qemu-system-arm -M mps3-an547 -display none -monitor none -serial null \
  -icount shift=0 -semihosting-config enable=on,target=native -kernel "$out/test.elf"
