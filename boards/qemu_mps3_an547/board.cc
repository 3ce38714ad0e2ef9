// MPS3 AN547 (Cortex-M55) under QEMU: which driver instance does what.
// Addresses: docs/qemu.md, verified by booting.
#include "mps_fpga_board.h"

namespace tp::board {
namespace {
constexpr MpsConfig kConfig{
    .name = "qemu_mps3_an547",
    .system_clock_hz = 32'000'000,
    .uart_base = 0x49303000,  // UART0
    .uart_rx_irq = 33,        // UART0 RX
    .fpgaio_base = 0x49302000,
    .timestamp_led = 0,  // USERLED0
    .watchdog_base = 0x4802E000,  // CMSDK APB watchdog (QEMU 7.2, verified)
    .watchdog_clock_hz = 32'000,  // QEMU's S32KCLK: 32 kHz
    // SSE-300 system timer 0 on the system counter (MAINCLK, 32 MHz), IRQ 3
    // (QEMU hw/arm/armsse.c; verified by the kernel's QEMU tests).
    .alarm_base = drivers::SseTimerAlarm::kTimer0Base,
    .alarm_irq = 3,
    .alarm_clock_hz = 32'000'000,
    .alarm_counter_base = drivers::SseTimerAlarm::kCounterControlBase,
    // sww01 audio: UART1 (QEMU hw/arm/mps2-tz.c: 0x49304000, RX IRQ 35),
    // the second -serial. WW_DETECTED: USERLED1, PROCESSING: USERLED2.
    .audio_uart_base = 0x49304000,
    .audio_uart_rx_irq = 35,
    .ww_detected_led = 1,
    .processing_led = 2,
};
using Mps3Board = MpsFpgaBoard<kConfig, drivers::SseTimerAlarm>;
}  // namespace

const Board& init(int, char**, uint32_t console_baud) {
  return Mps3Board::init(console_baud);
}
void wait_for_event() { Mps3Board::wait_for_event(); }
drivers::Alarm& kernel_alarm() { return Mps3Board::alarm(); }

}  // namespace tp::board
