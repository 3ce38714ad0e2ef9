# SparkFun Edge: Ambiq Apollo3 Blue (Cortex-M4F, 48 MHz, 96 MHz in TurboSPOT
# burst mode), 1 MB flash with the Ambiq secure bootloader below 0xC000,
# 384 KB SRAM. Clock, console and pins: board.cc.
set(TP_BOARD_CPU cortex_m4f)   # arch/cortex_m4f: toolchain, flags, arm_dsp kernels, band budget
# What has been shown for this board (./tinyperf boards prints it).
set(TP_BOARD_VERIFIED "builds and fits the bootloader flow (picolibc/newlib, performance/energy); drivers and clock set-up on fake registers; not yet run on a board")
# The benchmarks the image carries: all but ic02, whose 493 KB of weights do
# not fit: the other five leave about 1.4 KB below the bootloader's image limit.
set(TP_BOARD_MODELS kws01 vww01 ic01 ad01 sww01)
set(TP_BOARD_MODELS_NOTE "ic02's 493 KB of weights do not fit: the other five leave about 1.4 KB below the secure bootloader's image limit (about 908 KB)")
# arm_dsp int16 1x1 weights only up to 4,096 B of int8 weights a layer (the
# CPU's 65,536 would add ~226 KB: vww01's and sww01's larger pointwise
# layers; the image has ~7 KB left): engine/README.md, issue 17.
set(TP_BOARD_CONV_INT16_MAX_WEIGHTS 4096)
# Without the arm_dsp small-map depthwise kernel (~5 KB; its image had 404 B
# left): vww01's 6x6 and 3x3 depthwise layers run the direct variant there
# (./tinyperf perf -D TP_ARM_DSP_DW_SMALL=OFF measures that image's kernels).
set(TP_BOARD_ARM_DSP_DW_SMALL OFF)
set(TP_BOARD_DRIVERS apollo3_sysctrl apollo3_gpio apollo3_uart apollo3_stimer apollo3_wdt)
set(TP_BOARD_MEMORY_LD memory.ld)

set(TP_BOARD_CLOCK_HZ 96000000)          # burst mode (board.cc reports 48 MHz parts)
set(TP_BOARD_APP_ADDRESS 0x0000C000)     # above the Ambiq secure bootloader
set(TP_BOARD_SERIAL_PORT /dev/ttyUSB0)   # USB-serial adapter on the serial header

# Flashing (the first tool is the default).
# asb: the Ambiq secure bootloader over UART0 (hold button 14 while pressing
# RESET), with the Apollo3 scripts of Ambiq's AmbiqSuite SDK: wrap the image
# for load address 0xC000, wrap that for the wired update, send it.
set(TP_BOARD_FLASH_TOOLS asb pyocd)
set(TP_BOARD_FLASH_asb
    python3 @AMBIQ_SCRIPTS@/create_cust_image_blob.py --bin @BIN@ --load-address 0xC000
            --magic-num 0xCB -o @WORK@/tinyperf_ota --version 0x0
    && python3 @AMBIQ_SCRIPTS@/create_cust_wireupdate_blob.py --load-address 0x20000
            --bin @WORK@/tinyperf_ota.bin -i 6 -o @WORK@/tinyperf_wire --options 0x1
    && python3 @AMBIQ_SCRIPTS@/uart_wired_update.py -b 921600 @PORT@ -r 1
            -f @WORK@/tinyperf_wire.bin -i 6)
set(TP_BOARD_FLASH_asb_NOTE "Ambiq's Apollo3 bootloader scripts, tools/apollo3_scripts of the AmbiqSuite SDK (also in SparkFun's AmbiqSuiteSDK fork on GitHub): set TINYPERF_AMBIQ_SCRIPTS to that directory and copy keys_info0.py to keys_info.py in it; they need pyserial (Debian python3-serial) and PyCryptodome importable as Crypto (pip install pycryptodome: Debian's python3-pycryptodome installs it as Cryptodome). Hold button 14, press and release RESET, then flash")
set(TP_BOARD_FLASH_pyocd pyocd flash -t ama3b1kk_kbr @ELF@)
set(TP_BOARD_FLASH_pyocd_NOTE "pyOCD with its built-in Apollo3 target (pip install pyocd; Debian's python3-pyocd 0.13 predates it) and an SWD probe on the board's debug pads. Debian's openocd 0.12 cannot write Apollo3 flash: its ambiqmicro driver knows Apollo and Apollo2 only")
