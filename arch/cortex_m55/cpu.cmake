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
# arena 8,976 -> 11,216 B).
set(TP_CPU_BAND_BUDGET 4096)
include(${CMAKE_CURRENT_LIST_DIR}/../cortex_m/cortex_m.cmake)
