#!/bin/sh
# Builds and runs the arm_mve kernel tests under QEMU (mps3-an547, Cortex-M55):
# every optimized kernel against tp::kernels::ref on random data and shapes.
#   engine/kernels/backends/arm_mve/test/run.sh [main.cc] [extra g++ flags...]
# TP_MVE_TEST_ARGS="<scale> <seed>" (default "1 0": the base sweep, ~1,800
# cases) multiplies the random-shape loops and picks their seed;
# TP_MVE_TEST_DIR is the build directory (default /tmp/tp_mve_test).
set -e
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../../../.." && pwd)
out=${TP_MVE_TEST_DIR:-/tmp/tp_mve_test}
mkdir -p "$out"
main=${1:-$here/kernel_test.cc}
[ $# -gt 0 ] && shift
arm-none-eabi-g++ -mcpu=cortex-m55 -mthumb -mfloat-abi=hard --specs=picolibc.specs \
  -O2 -std=c++20 -fno-exceptions -fno-rtti -ffunction-sections -fdata-sections \
  -Wall -Wextra -Werror -DTP_KERNEL_BACKEND_arm_mve=1 -DTP_MVE_STATS=1 \
  -I"$root/engine/include" -I"$root/engine/kernels/reference" "$@" \
  "$main" "$root"/engine/kernels/reference/*.cc $(ls "$here"/../*.cc 2>/dev/null) \
  $(ls "$here"/../*.S 2>/dev/null) "$root/arch/cortex_m/startup.cc" "$root/arch/common/fault_output.cc" "$root/arch/common/reset_cause.cc" -I"$root/arch/common" -I"$root/drivers/include" \
  -nostartfiles -L"$root/linker" -T"$root/boards/qemu_mps3_an547/memory.ld" \
  -Wl,--gc-sections -Wl,--no-warn-rwx-segments -o "$out/test.elf"
timeout ${TP_MVE_TEST_TIMEOUT:-600} qemu-system-arm -M mps3-an547 -display none -monitor none -serial null \
  -icount shift=0 -semihosting-config enable=on,target=native -kernel "$out/test.elf" \
  -append "${TP_MVE_TEST_ARGS:-1 0}"
