# Espressif ESP32-DevKitC (ESP32-WROOM-32: ESP32-D0WD, two Xtensa LX6 cores,
# 520 KB SRAM, 4 MB SPI flash). The image is a "second-stage bootloader" for
# the boot ROM: its segments are copied to internal RAM, nothing runs from
# flash (flash-mapped DROM/IROM needs the cache MMU set up; not done here,
# see boards/README.md). That limits the weights to DRAM: kws01 and ic01 fit,
# vww01 (255 KB of constant data) and ad01 (272 KB) do not.
set(TP_BOARD_CPU xtensa_lx)   # arch/xtensa_lx: toolchain, flags, start-up, runtime helpers
# What has been shown for this board (./tinyperf boards prints it).
set(TP_BOARD_VERIFIED "builds with Debian's LX106 compiler (kws01 and ic01 only); drivers on fake registers; no emulator; not yet run on a board")
set(TP_BOARD_DRIVERS esp32)
set(TP_BOARD_MEMORY_LD memory.ld)
set(TP_BOARD_MODELS kws01 ic01)
set(TP_BOARD_MODELS_NOTE "the image runs from internal RAM (no flash-mapped constants yet): vww01 (255 KB of constant data), ad01 (272 KB) and ic02 (493 KB) do not fit there, and sww01 has not been tried")
# CPU clock as the boot ROM leaves it: the 40 MHz crystal (no PLL set-up
# here). The µs timer's divider comes from the APB clock the ROM's UART
# divider implies, not from this number.
set(TP_BOARD_CLOCK_HZ 40000000)
set(TP_BOARD_APP_ADDRESS 0x1000)        # flash offset the boot ROM loads from
set(TP_BOARD_SERIAL_PORT /dev/ttyUSB0)  # the DevKitC's CP2102N USB bridge

# tinyperf.bin is replaced after the link by the ESP32 boot image
# (tools/esp32_image.py: header, segments, checksum, SHA-256).
set(TP_BOARD_IMAGE_COMMAND python3 ${CMAKE_CURRENT_LIST_DIR}/../../tools/esp32_image.py
    @ELF@ -o @BINARY_DIR@/tinyperf.bin)

set(TP_BOARD_FLASH_TOOLS esptool)
set(TP_BOARD_FLASH_esptool esptool.py --chip esp32 --port @PORT@ --baud 460800
    --before default_reset --after hard_reset write_flash 0x1000 @BIN@)
set(TP_BOARD_FLASH_esptool_NOTE
    "esptool (not in Debian 12: pip install esptool, or Espressif's ESP-IDF which bundles it)")

# No timestamp pin is bound on this board yet: no energy-mode image.
if(ENERGY_MODE)
  message(FATAL_ERROR "esp32_devkitc: energy mode needs a timestamp pin, which this board does not bind yet")
endif()
