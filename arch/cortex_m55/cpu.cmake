# Cortex-M55 (Armv8.1-M with Helium, the M-profile vector extension, and the FPU).
# Boards: qemu_mps3_an547.
set(TP_CPU_KIND arm)
set(TP_CPU_TOOLCHAIN toolchain-arm.cmake)
set(TP_CPU_FLAGS -mcpu=cortex-m55 -mthumb -mfloat-abi=hard)
# The Helium kernels.
set(TP_CPU_KERNEL_BACKEND arm_mve)
# Planner row-band budget: the Helium depthwise kernel pays a fixed set-up
# per call, so wider bands (fewer calls) are worth 2 KB more kws01 arena
# (measured on qemu_mps3_an547: kws01 1,222,600 -> 863,500 instructions,
# arena 8,976 -> 11,216 B). 4480 = kws01's depthwise layers in 2 bands of
# 13 rows instead of 3 of 9 ((13 + 1) x 320 B of shift): kws01 809,750 ->
# 743,200 instructions, arena 12,736 -> 13,680 B (goal 13,692: its first
# layer's im2col scratch is capped at 1,200 B for it, arm_mve/scratch_need.h);
# the other models' plans are unchanged. Since then kws01's depthwise layers
# run as one call with their output over their input (the planar kernel's
# ScratchNeed::alias_step), and the budget sets its 1x1 layers' bands: 2 of
# 13 rows (13 x 320 B of shift), arena 13,408 B, 608,850 instructions.
set(TP_CPU_BAND_BUDGET 4480)
include(${CMAKE_CURRENT_LIST_DIR}/../cortex_m/cortex_m.cmake)
