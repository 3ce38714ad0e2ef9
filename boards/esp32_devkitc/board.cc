// Espressif ESP32-DevKitC (ESP32-D0WD, Xtensa LX6): which driver instance
// does what. Addresses and bits: the ESP32 Technical Reference Manual (TRM)
// chapters cited in drivers/esp32.
//
// Start: the boot ROM loaded this image from flash offset 0x1000 and left
//   the CPU on the 40 MHz crystal, UART0 at 115200 baud, and the watchdogs of
//   Timer Group 0 (MWDT) and of the RTC running: both are disabled first
//   (RTC_CNTL base 0x3FF48000: WDTCONFIG0 0x8C, WDTWPROTECT 0xA4; TIMG0 base
//   0x3FF5F000: WDTCONFIG0 0x48, WDTWPROTECT 0x64).
// Console: UART0 (GPIO1 TX / GPIO3 RX, the ROM's own pins) to the DevKitC's
//   CP2102N USB bridge. The ROM's divider for 115200 baud gives the UART
//   (APB) clock; 9600 baud for energy mode is scaled from it.
// Timer: TIMG0 timer 0, 64 bits, divider APB / 1 MHz: microseconds.
// Timestamp pin: none bound yet (needs a GPIO driver; energy mode is not
//   supported on this board).
#include <cstdint>

#include "esp32_timg_clock.h"
#include "esp32_uart.h"
#include "tinyperf/board.h"

namespace tp::board {
namespace {

constexpr uint32_t kRomBaud = 115200;
constexpr uintptr_t kRtcCntlBase = 0x3FF48000;
constexpr uintptr_t kRtcWdtConfig0 = kRtcCntlBase + 0x8C;
constexpr uintptr_t kRtcWdtProtect = kRtcCntlBase + 0xA4;

drivers::Esp32Uart g_console{drivers::Esp32Uart::kUart0Base};
drivers::Esp32TimgClock g_clock{drivers::Esp32TimgClock::kTimg0Base};

drivers::NoOutputPin g_no_pin;

}  // namespace

const Board& init(int, char**, uint32_t console_baud) {
  using drivers::Esp32TimgClock;
  drivers::esp32_disable_watchdog(kRtcWdtConfig0, kRtcWdtProtect);
  drivers::esp32_disable_watchdog(Esp32TimgClock::kTimg0Base + Esp32TimgClock::kWdtConfig0,
                                  Esp32TimgClock::kTimg0Base + Esp32TimgClock::kWdtProtect);
  const uint32_t apb_hz = g_console.init_from_rom(kRomBaud, console_baud);
  const bool clock_ok = g_clock.init(apb_hz);
  static const Board board{clock_ok ? "esp32_devkitc" : "esp32_devkitc (timer fault: APB clock unknown)",
                           g_console, g_clock, g_no_pin};
  return board;
}

// Polled console: nothing to sleep on.
void wait_for_event() {}

}  // namespace tp::board
