# Arm MPS3 with the AN547 FPGA image (Cortex-M55 with Helium), as emulated by QEMU.
set(TP_BOARD_KIND arm)
set(TP_BOARD_TOOLCHAIN toolchain-arm.cmake)
set(TP_BOARD_CPU_FLAGS -mcpu=cortex-m55 -mthumb -mfloat-abi=hard)
set(TP_BOARD_DRIVERS cortex_m cmsdk_uart systick mps_fpgaio)
set(TP_BOARD_MEMORY_LD memory.ld)
set(TP_BOARD_KERNEL_BACKEND arm_mve)
# How to run an image (@ELF@ is replaced by its path).
set(TP_BOARD_QEMU qemu-system-arm -M mps3-an547 -display none -monitor none -serial stdio -kernel @ELF@)
# Planner row-band budget (tinyperf-compile --band-budget): the Helium
# depthwise kernel pays a fixed set-up per call, so wider bands (fewer calls)
# are worth 2 KB more kws01 arena here (measured: kws01 1,222,600 -> 863,500
# instructions, arena 8,976 -> 11,216 B).
set(TP_BOARD_BAND_BUDGET 4096)
