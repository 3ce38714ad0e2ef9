# Arduino Nano 33 BLE: nRF52840 (Cortex-M4F, 64 MHz), 1 MB flash with the
# Arduino bootloader in its first 64 KB, 256 KB RAM. Clock, console and
# pins: board.cc.
set(TP_BOARD_CPU cortex_m4f)   # arch/cortex_m4f: toolchain, flags, arm_dsp kernels, band budget
# What has been shown for this board (./tinyperf boards prints it).
set(TP_BOARD_VERIFIED "builds and fits (picolibc/newlib, performance/energy); drivers, clock, cache, APPROTECT and erratum 87 on fake registers; not yet run on a board")
# The benchmarks the image carries: all but ic02, whose 493 KB of weights do
# not fit beside the others in the 960 KB above the bootloader.
set(TP_BOARD_MODELS kws01 vww01 ic01 ad01 sww01)
set(TP_BOARD_MODELS_NOTE "ic02's 493 KB of weights do not fit: the other five fill 885 KB of the 960 KB of flash above the Arduino bootloader")
# arm_dsp int16 1x1 weights only up to 4,096 B of int8 weights a layer (the
# CPU's 65,536 would add ~226 KB to an image with ~75 KB left).
set(TP_BOARD_CONV_INT16_MAX_WEIGHTS 4096)
set(TP_BOARD_DRIVERS nrf52_system nrf52_clock nrf52_gpio nrf52_uarte nrf52_timer nrf52_wdt)
set(TP_BOARD_MEMORY_LD memory.ld)

set(TP_BOARD_CLOCK_HZ 64000000)
set(TP_BOARD_APP_ADDRESS 0x00010000)      # above the Arduino bootloader
set(TP_BOARD_SERIAL_PORT /dev/ttyACM0)    # the bootloader's USB port (bossac)

# Flashing (the first tool is the default).
set(TP_BOARD_FLASH_TOOLS openocd bossac)
set(TP_BOARD_FLASH_openocd openocd -f interface/cmsis-dap.cfg -f target/nrf52.cfg
    -c "program @ELF@ verify reset exit")
set(TP_BOARD_FLASH_openocd_NOTE "Debian package openocd, a CMSIS-DAP probe on the SWD pads under the board (edit the interface line of boards/arduino_nano_33_ble/board.cmake for another probe); the image is linked at 0x10000, so the bootloader stays")
set(TP_BOARD_FLASH_bossac @ARDUINO_BOSSAC@ --port=@PORT@ -U -i -e -w @BIN@ -R)
set(TP_BOARD_FLASH_bossac_NOTE "Arduino's bossac (1.9.1-arduino2, from the Arduino IDE's Mbed OS Nano boards package or github.com/arduino/BOSSA branch nrf); Debian's bossa-cli 1.9.1 does not know the nRF52. Set TINYPERF_ARDUINO_BOSSAC to its path and double-tap RESET to enter the bootloader first")
