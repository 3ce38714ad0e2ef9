# Cortex-M4F (Armv7E-M with the DSP extension and the single-precision FPU).
# Boards: qemu_mps2_an386, nucleo_l4r5zi, arduino_nano_33_ble, sparkfun_edge.
set(TP_CPU_KIND arm)
set(TP_CPU_TOOLCHAIN toolchain-arm.cmake)
set(TP_CPU_FLAGS -mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16)
# The DSP extension's SIMD multiply-accumulate (SMLAD & co.) kernels.
set(TP_CPU_KERNEL_BACKEND arm_dsp)
# Planner row-band budget (tinyperf-compile --band-budget): wider bands of
# kws01's in-place layers save the kernels' per-call set-up. Measured on
# qemu_mps2_an386 with the shape-sized kernel scratch of
# engine/kernels/backends/arm_dsp/scratch_need.h (issue 17; engine/README.md):
# 4096 -> 4608 takes kws01 from 3 bands a layer to 2, 3,381,350 ->
# 3,233,300 instructions, arena + scratch 12,096 -> 13,104 B (goal 13,692);
# ic01 12,882,900 -> 12,871,300 (35,072 B, goal 35,747). (2048, before
# issue 17: kws01 3,551,450 in 5 bands, 12,224 B.)
set(TP_CPU_BAND_BUDGET 4608)
include(${CMAKE_CURRENT_LIST_DIR}/../cortex_m/cortex_m.cmake)
# arm_dsp int16 1x1 weights (tinyperf-compile --conv-int16-max-weights):
# most bytes of int8 weights a 1x1 convolution may have to be written as
# int16 (8 weights a LDM: 21 instructions per 32 MACs instead of 25, for
# twice its flash). 65,536 takes every pointwise layer of vww01 (+188 KB)
# and sww01 (+38 KB); a board whose image would not fit declares its own
# TP_BOARD_CONV_INT16_MAX_WEIGHTS (sparkfun_edge, arduino_nano_33_ble: 4096).
set(TP_CPU_CONV_INT16_MAX_WEIGHTS 65536)
# arm_dsp small-map depthwise kernel (3x3 stride 1 SAME, maps 2-6 wide:
# vww01's 6x6 and 3x3 layers, 141,000 -> 84,700 instructions each; ~5 KB
# of code): engine/kernels/backends/arm_dsp/sources.cmake. A board whose
# image has no room declares TP_BOARD_ARM_DSP_DW_SMALL OFF (sparkfun_edge).
set(TP_CPU_ARM_DSP_DW_SMALL ON)
