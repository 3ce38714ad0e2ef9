# Himax WE-I Plus EVB (HX6537-A): Synopsys ARC EM9D DSP core with FPU,
# 400 MHz, about 2 MB of on-chip SRAM, 2 MB SPI flash the bootloader loads
# the image from. Debian's ARC compiler is a Linux one (arc-linux-gnu), used
# freestanding (arch/arc_em: toolchain, flags, start-up, C library functions,
# reference kernels). Console, timer, memory: board.cc and memory.ld.
set(TP_BOARD_CPU arc_em)
# What has been shown for this board (./tinyperf boards prints it).
set(TP_BOARD_VERIFIED "builds with Debian's ARC compiler; drivers on fake registers; no emulator, console UART base unverified; not yet run on a board")
# The benchmarks the image carries: all but ic02, whose 493 KB of weights do
# not fit: the whole image (code, weights, RAM) is loaded into the SRAM of memory.ld.
set(TP_BOARD_MODELS kws01 vww01 ic01 ad01 sww01)
set(TP_BOARD_MODELS_NOTE "ic02's 493 KB of weights do not fit: code, weights and RAM share the 1,141 KB of SRAM the image is loaded into (memory.ld), and the other five use 865 KB of it")
set(TP_BOARD_DRIVERS arc_timer dw_uart)
set(TP_BOARD_MEMORY_LD memory.ld)
set(TP_BOARD_CLOCK_HZ 400000000)
set(TP_BOARD_APP_ADDRESS 0x20000000)
set(TP_BOARD_SERIAL_PORT /dev/ttyUSB0)   # the EVB's FTDI USB bridge

# Flashing: Himax's image tool (image_gen_gnu, from Himax's WE-I SDK, not in
# Debian) turns the ELF into out.img; the bootloader takes it over XMODEM at
# 115200 baud after its menu (HIMAX_WE1_EVB_user_guide: hold the boot button,
# choose "1" to upload, send with `sx`/minicom), or Edge Impulse's
# himax-flash-tool sends it. @HIMAX_IMAGE_GEN@: the tool's folder
# (TINYPERF_HIMAX_IMAGE_GEN).
set(TP_BOARD_FLASH_TOOLS himax-flash-tool xmodem)
set(TP_BOARD_FLASH_himax-flash-tool
    sh -c "cd @HIMAX_IMAGE_GEN@ && cp @ELF@ . && ./image_gen_gnu -e tinyperf.elf -o @WORK@/out.img"
    && himax-flash-tool --firmware-path @WORK@/out.img)
set(TP_BOARD_FLASH_himax-flash-tool_NOTE
    "Himax image_gen_gnu (WE-I SDK) + Edge Impulse CLI himax-flash-tool (npm edge-impulse-cli)")
set(TP_BOARD_FLASH_xmodem
    sh -c "cd @HIMAX_IMAGE_GEN@ && cp @ELF@ . && ./image_gen_gnu -e tinyperf.elf -o @WORK@/out.img"
    && sh -c "sx @WORK@/out.img < @PORT@ > @PORT@")
set(TP_BOARD_FLASH_xmodem_NOTE
    "Himax image_gen_gnu (WE-I SDK); sx from Debian package lrzsz, after choosing upload in the bootloader menu")


# No timestamp pin is bound on this board yet: no energy-mode image.
if(ENERGY_MODE)
  message(FATAL_ERROR "himax_we1_plus: energy mode needs a timestamp pin, which this board does not bind yet")
endif()
