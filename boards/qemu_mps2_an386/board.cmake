# Arm MPS2 with the AN386 FPGA image (Cortex-M4F), as emulated by QEMU.
set(TP_BOARD_CPU cortex_m4f)   # arch/cortex_m4f: toolchain, flags, arm_dsp kernels, band budget
# What has been shown for this board (./tinyperf boards prints it).
set(TP_BOARD_VERIFIED "runs under QEMU: boots, the whole protocol suite, every golden byte-equal, selftest, watchdog, bootloader hand-over, kernel tests")
set(TP_BOARD_DRIVERS cmsdk_uart cmsdk_watchdog cmsdk_timer sse_timer systick mps_fpgaio)
set(TP_BOARD_MEMORY_LD memory.ld)
set(TP_BOARD_SWW_STREAM ON)   # sww01 audio on UART1 (the second -serial): app/sww_stream
# How to run an image (@ELF@ is replaced by its path).
set(TP_BOARD_QEMU qemu-system-arm -M mps2-an386 -display none -monitor none -serial stdio -kernel @ELF@)
