# Cortex-M4F (Armv7E-M with the DSP extension and the single-precision FPU).
# Boards: qemu_mps2_an386, nucleo_l4r5zi, arduino_nano_33_ble, sparkfun_edge.
set(TP_CPU_KIND arm)
set(TP_CPU_TOOLCHAIN toolchain-arm.cmake)
set(TP_CPU_FLAGS -mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16)
# The DSP extension's SIMD multiply-accumulate (SMLAD & co.) kernels.
set(TP_CPU_KERNEL_BACKEND arm_dsp)
# Planner row-band budget (tinyperf-compile --band-budget): wider bands of
# kws01's in-place layers save the kernels' per-call set-up (measured on
# qemu_mps2_an386: kws01 3,879,450 -> 3,565,750 instructions, arena
# 11,264 -> 12,224 B with the kernel scratch; 2048 -> 4096, issue 17:
# kws01 3,551,450 -> 3,381,600, arena + scratch 12,224 -> 13,504 B, still
# inside its RAM goal; ic01 30,976 -> 34,560 B, inside its goal).
set(TP_CPU_BAND_BUDGET 4096)
include(${CMAKE_CURRENT_LIST_DIR}/../cortex_m/cortex_m.cmake)
