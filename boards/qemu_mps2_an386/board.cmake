# Arm MPS2 with the AN386 FPGA image (Cortex-M4F), as emulated by QEMU.
set(TP_BOARD_KIND arm)
set(TP_BOARD_TOOLCHAIN toolchain-arm.cmake)
set(TP_BOARD_CPU_FLAGS -mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16)
set(TP_BOARD_DRIVERS cortex_m cmsdk_uart systick mps_fpgaio)
set(TP_BOARD_MEMORY_LD memory.ld)
set(TP_BOARD_KERNEL_BACKEND arm_dsp)
# How to run an image (@ELF@ is replaced by its path).
set(TP_BOARD_QEMU qemu-system-arm -M mps2-an386 -display none -monitor none -serial stdio -kernel @ELF@)
# Planner row-band budget (tinyperf-compile --band-budget): wider bands of
# kws01's in-place layers save the kernels' per-call set-up (measured:
# kws01 3,879,450 -> 3,565,750 instructions, arena 11,264 -> 12,224 B with
# the kernel scratch).
set(TP_BOARD_BAND_BUDGET 2048)
