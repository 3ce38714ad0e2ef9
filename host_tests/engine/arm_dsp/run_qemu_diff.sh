#!/bin/sh
# Builds the arm_dsp differential test for Cortex-M4 and runs it under QEMU
# (mps2-an386, semihosting): random layers through tp::kernels (arm_dsp)
# against tp::kernels::ref, byte for byte, including misaligned pointers and
# sub-tensor padding. Usage: run_qemu_diff.sh [iterations-per-kernel] [seed]
#                          run_qemu_diff.sh bench   (instruction counts)
# TP_DIFF_SCRATCH=<bytes> gives the kernels another scratch size (the test's
# buffer, TP_ARM_DSP_SCRATCH_BYTES) to exercise their smaller blockings and
# fallbacks; TP_DIFF_BUILD overrides the build directory.
set -e
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
scratch_def=""
suffix=""
if [ -n "$TP_DIFF_SCRATCH" ]; then
  scratch_def="-DTP_ARM_DSP_SCRATCH_BYTES=$TP_DIFF_SCRATCH"
  suffix="_$TP_DIFF_SCRATCH"
fi
out=${TP_DIFF_BUILD:-$root/build/arm_dsp_diff$suffix}
mkdir -p "$out"
be=$root/engine/kernels/backends/arm_dsp
flags="-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16 -O2 -g -ffunction-sections -fdata-sections --specs=picolibc.specs"
cxx="-std=c++20 -fno-exceptions -fno-rtti -fno-threadsafe-statics -Wall -Wextra -Werror"
srcs="$here/qemu_diff_test.cc $root/arch/cortex_m/startup.cc $root/arch/common/fault_output.cc $root/arch/common/reset_cause.cc $root/engine/kernels/reference/*.cc $be/*.cc"
objs=""
for s in $srcs; do
  o=$out/$(basename "$s").o
  arm-none-eabi-g++ $flags $cxx -I$root/engine/include -I$root/arch/cortex_m -I$root/arch/common -I$root/drivers/include -DTP_KERNEL_BACKEND_arm_dsp=1 -DTP_ARM_DSP_STATS=1 $scratch_def -c "$s" -o "$o"
  objs="$objs $o"
done
for s in $be/*.S; do
  o=$out/$(basename "$s").o
  arm-none-eabi-gcc $flags -c "$s" -o "$o"
  objs="$objs $o"
done
arm-none-eabi-g++ $flags -nostartfiles -L$root/linker -T$root/boards/qemu_mps2_an386/memory.ld \
  -Wl,--gc-sections -Wl,--no-warn-rwx-segments $objs -o "$out/diff.elf"
exec qemu-system-arm -M mps2-an386 -icount shift=0 -display none -monitor none -serial none \
  -semihosting-config enable=on,target=native -kernel "$out/diff.elf" -append "${1:-200} ${2:-1}"
