# ST NUCLEO-L4R5ZI: STM32L4R5ZI (Cortex-M4F), 2 MB flash, 640 KB SRAM.
# The MLPerf Tiny reference DUT. Clock, console and pins: board.cc.
set(TP_BOARD_CPU cortex_m4f)   # arch/cortex_m4f: toolchain, flags, arm_dsp kernels, band budget
# What has been shown for this board (./tinyperf boards prints it).
set(TP_BOARD_VERIFIED "builds and fits (picolibc/newlib, performance/energy); drivers and clock set-up on fake registers; not yet run on a board")
set(TP_BOARD_DRIVERS systick stm32l4_rcc stm32_gpio stm32_lpuart stm32_iwdg stm32_tim stm32_sai)
set(TP_BOARD_MEMORY_LD memory.ld)
set(TP_BOARD_SWW_STREAM ON)   # sww01 audio from SAI1 block A by DMA (board.cc): app/sww_stream

# Core clock of the image (board.cc checks its PLL settings give exactly this).
set(TP_BOARD_CLOCK_HZ 120000000)
set(TP_BOARD_APP_ADDRESS 0x08000000)
set(TP_BOARD_SERIAL_PORT /dev/ttyACM0)   # ST-LINK virtual COM port

# Flashing (the first tool is the default). @BIN@/@ELF@/@HEX@ are the image.
set(TP_BOARD_FLASH_TOOLS st-flash openocd)
set(TP_BOARD_FLASH_st-flash st-flash --reset write @BIN@ 0x08000000)
set(TP_BOARD_FLASH_st-flash_NOTE "Debian package stlink-tools")
set(TP_BOARD_FLASH_openocd openocd -f board/st_nucleo_l4.cfg -c "program @ELF@ verify reset exit")
set(TP_BOARD_FLASH_openocd_NOTE "Debian package openocd (board/st_nucleo_l4.cfg drives the on-board ST-LINK)")
