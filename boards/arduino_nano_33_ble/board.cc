// Arduino Nano 33 BLE (nRF52840, Cortex-M4F): which driver instance does what.
//
// Clock: the CPU always runs at 64 MHz from HFCLK; init starts the 64 MHz
//   crystal (HFXO) so HFCLK, the timer and the UART's baud generator are
//   crystal-accurate rather than on the internal RC oscillator (nRF52840 PS,
//   "CLOCK — Clock control"). Sequence: drivers/nrf52_clock.
// Console: UARTE0 on the header pins labelled TX (P1.03) and RX (P1.10)
//   (Arduino Nano 33 BLE schematic; the same pins in Zephyr's
//   boards/arduino/nano_33_ble pinctrl: UART_TX P1.3, UART_RX P1.10), to the
//   host through a 3.3 V USB-serial adapter. The board's USB connector is
//   the nRF52840's own USB device (the Arduino core runs a CDC stack on it);
//   tinyperf has no USB stack, so that port only serves the bootloader.
//   IRQ 2 (UARTE0_UART0_IRQn, nrfx mdk/nrf52840.h). Pins set up as the PS's
//   UARTE "Pin configuration" asks: TXD output high, RXD input.
// Timer: TIMER1 (IRQ 9) at 1 MHz, 32 bits extended to 64 in software (SysTick
//   stops while the nRF52's CPU sleeps). drivers/nrf52_timer.
// Kernel alarm: TIMER1's CC[2] compare on the Clock's own counter, same IRQ 9
//   (the handler serves both). drivers/nrf52_timer/nrf52_timer_alarm.h.
// Timestamp pin: D7 = P0.23, the header pin of the same name as the
//   MLPerf Tiny reference DUT's timestamp pin (Arduino D7 on the
//   NUCLEO-L4R5ZI; mlcommons/tiny reference_submissions/*/
//   submitter_implemented.cpp). Push-pull, idle high.
// Watchdog: the WDT on the 32.768 kHz LFCLK, CRV 262143: 8 s from a feed
//   to the reset (drivers/nrf52_wdt). The longest single inference today,
//   ic01, is 13 M instructions (>= 0.2 s at 64 MHz, README "Projected
//   latency"); ic02 is several times bigger, and even 100 M instructions at
//   2 cycles each take 3.1 s here, so 8 s covers every model with room while
//   a hung board is back within seconds. Fed between inferences and by the
//   kernel's idle hook (app/main.cc), never inside one. Paused while the CPU
//   sleeps: nothing wakes this board's idle path on a schedule (TIMER1 wraps
//   every 71.6 minutes), so it counts the CPU's busy time since the last
//   feed. Reset cause: POWER.RESETREAS, read and cleared at boot.
#include <cstdint>

#include "cortex_m.h"
#include "nrf52_clock.h"
#include "nrf52_gpio.h"
#include "nrf52_system.h"
#include "nrf52_timer_alarm.h"
#include "nrf52_timer_clock.h"
#include "nrf52_uarte.h"
#include "nrf52_wdt.h"
#include "reset_cause.h"
#include "tinyperf/board.h"
#include "tinyperf/drivers/mmio.h"


namespace tp::board {
namespace {

using drivers::Nrf52Clock;
using drivers::Nrf52Gpio;
using drivers::Nrf52Uarte;

constexpr int kUarte0Irq = 2;
constexpr int kTimer1Irq = 9;
constexpr uint32_t kTxPort = 1, kTxPin = 3;    // header pin TX
constexpr uint32_t kRxPort = 1, kRxPin = 10;   // header pin RX
constexpr uint32_t kTimestampPin = 23;         // P0.23 = D7
static_assert(TP_BOARD_CLOCK_HZ == 64'000'000, "the nRF52840's CPU runs at 64 MHz");

Nrf52Uarte g_console{Nrf52Uarte::kUarte0Base};
drivers::Nrf52TimerClock g_clock{drivers::Nrf52TimerClock::kTimer1Base};
drivers::Nrf52TimerAlarm g_alarm{drivers::Nrf52TimerClock::kTimer1Base, kTimer1Irq};
drivers::Nrf52GpioPin g_timestamp{Nrf52Gpio::kP0Base, kTimestampPin};
constexpr uint32_t kWatchdogMs = 8000;
drivers::Nrf52Wdt g_watchdog{drivers::Nrf52Wdt::kWdtBase, kWatchdogMs};

}  // namespace

const Board& init(int, char**, uint32_t console_baud) {
  const char* reset_cause = drivers::Nrf52ResetCause{drivers::Nrf52ResetCause::kPowerBase}.take(
      arch::reset_cause_name(arch::take_reset_cause()));
  // What Nordic's SystemInit would do first (drivers/nrf52_system): the
  // instruction cache on (off at reset), and the access-port lock of
  // revision-3 silicon released as far as UICR.APPROTECT allows.
  drivers::nrf52::enable_icache();
  drivers::nrf52::handle_approtect();


  const Nrf52Clock::Status hfxo = Nrf52Clock{Nrf52Clock::kBase}.start_hfxo();

  const Nrf52Gpio p1{Nrf52Gpio::kP1Base};
  p1.configure_output(kTxPin, true);
  p1.configure_input(kRxPin, true);  // pulled up: an unplugged adapter reads idle
  g_timestamp.configure(true);

  g_console.init(console_baud, Nrf52Uarte::psel(kTxPort, kTxPin), Nrf52Uarte::psel(kRxPort, kRxPin));
  cortex_m::set_fault_output([](char c) { g_console.put_raw(c); });
  cortex_m::attach_irq(kUarte0Irq, [](void*) { g_console.on_interrupt(); }, nullptr);

  g_clock.init();
  g_alarm.init();
  cortex_m::attach_irq(kTimer1Irq, [](void*) {
    g_clock.on_interrupt();
    g_alarm.on_interrupt();
  }, nullptr);

  static const Board board{
      hfxo == Nrf52Clock::Status::kOk ? "arduino_nano_33_ble"
                                      : "arduino_nano_33_ble (clock fault: HFXO did not start, on HFINT)",
      g_console, g_clock, g_timestamp, &g_watchdog, reset_cause};
  cortex_m::enable_interrupts();
  return board;
}

drivers::Alarm& kernel_alarm() { return g_alarm; }

// Erratum 87: a pending FPU interrupt would make WFI return at once.
void wait_for_event() {
  cortex_m::wait_for_event(g_console, [] {
    drivers::nrf52::CpuFpscr fpscr;
    drivers::nrf52::clear_fpu_irq_before_sleep(fpscr);
  });
}

}  // namespace tp::board
