// MPS2 AN386 (Cortex-M4F) under QEMU: which driver instance does what.
// Addresses: docs/qemu.md, verified by booting.
#include "mps_fpga_board.h"

namespace tp::board {
namespace {
constexpr MpsConfig kConfig{
    .name = "qemu_mps2_an386",
    .system_clock_hz = 25'000'000,
    .uart_base = 0x40004000,  // UART0
    .uart_rx_irq = 0,         // UART0 RX
    .fpgaio_base = 0x40028000,
    .timestamp_led = 0,  // USERLED0
    .watchdog_base = 0x40008000,  // CMSDK APB watchdog (QEMU 7.2, verified)
    .watchdog_clock_hz = 25'000'000,
    .alarm_base = 0x40000000,  // CMSDK APB TIMER0, IRQ 8 (QEMU hw/arm/mps2.c)
    .alarm_irq = 8,
    // AN386 says 25 MHz, but QEMU 7.2's TIMER0 takes two SysTick periods
    // per tick: measured by the kernel's alarm test (ktest `l`: at 25 MHz
    // every sleep woke twice its length late, at 12.5 MHz within 1 us).
    .alarm_clock_hz = 12'500'000,
    // sww01 audio: UART1 (QEMU hw/arm/mps2.c: 0x40005000, RX IRQ 2), the
    // second -serial. WW_DETECTED: USERLED1, PROCESSING: USERLED2, as on
    // the AN547. The AN386's FPGA I/O has two LEDs (QEMU's mps2-fpgaio
    // default, num-leds=2, drops bit 2); the sww01 stream runs QEMU with
    // -global mps2-fpgaio.num-leds=3 so that the bit is a traced LED
    // (tools/tinyperf_cli/sww_pins.py).
    .audio_uart_base = 0x40005000,
    .audio_uart_rx_irq = 2,
    .ww_detected_led = 1,
    .processing_led = 2,
};
}  // namespace

const Board& init(int, char**, uint32_t console_baud) {
  return MpsFpgaBoard<kConfig>::init(console_baud);
}
void wait_for_event() { MpsFpgaBoard<kConfig>::wait_for_event(); }
drivers::Alarm& kernel_alarm() { return MpsFpgaBoard<kConfig>::alarm(); }

}  // namespace tp::board
