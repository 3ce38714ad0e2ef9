// SparkFun Edge (Ambiq Apollo3 Blue, Cortex-M4F): which driver instance
// does what.
//
// Clock: core on the HFRC at 48 MHz (CLKGEN CCTRL.CORESEL = HFRC), flash
//   cache on, then TurboSPOT burst mode to 96 MHz where the part allows it
//   (SKU.ALLOWBURST, FEATUREENABLE.BURSTAVAIL); a part without it stays at
//   48 MHz and says so in its name. Sequence: drivers/apollo3_sysctrl
//   (Apollo3 Blue datasheet, "Clock Generator", "MCU Control"; AmbiqSuite
//   am_hal_clkgen.c / am_hal_burst.c). UART and STIMER clocks come from the
//   HFRC dividers and are taken not to change with burst mode (SparkFun's
//   Apollo3 variable bootloader enables burst mode and then talks on the
//   UART); to be confirmed on the board.
// Console: UART0 on pads 48 (TX) and 49 (RX), function select 0 (apollo3.h
//   GPIO_PADREGM_PAD48FNCSEL_UART0TX / PAD49FNCSEL_UART0RX; SparkFun's Edge
//   BSP bsp_pins.src COM_UART_TX/RX), on the board's 6-pin serial header.
//   The Edge has no USB-serial chip of its own: the host connects through a
//   3.3 V USB-serial adapter on that header (SparkFun's guide uses its Serial
//   Basic, a CH340C), the same path the bootloader uses. UART clock 24 MHz,
//   IRQ 15 (UART0_IRQn), power domain HCPA switched on first.
// Timer: STIMER at 3 MHz (HFRC / 16), 32 bits extended to 64 in software,
//   IRQ 22 (STIMER_IRQn). drivers/apollo3_stimer.
// Kernel alarm: STIMER compare A on the same counter, IRQ 23
//   (STIMER_CMPR0_IRQn, apollo3.h). drivers/apollo3_stimer/apollo3_stimer_alarm.h.
// Timestamp pin: pad 47, the pad labelled 47 on the board (SparkFun Edge BSP:
//   LED_YELLOW, "The YELLOW LED labelled 47", active high, 12 mA drive as the
//   BSP sets it). The Edge has no Arduino header and so no D7 like the
//   reference DUT's; pad 47 is reachable at the LED. Idle high, so the LED
//   is lit and draws current from the measured supply: for energy runs,
//   remove its resistor or move the pin here to a camera-connector pad.
// Watchdog: the WDT on the LFRC at 16 Hz, reset after 128 ticks (8 s) from
//   a feed, its interrupt (IRQ 1) after 64 (drivers/apollo3_wdt). The
//   longest single inference today, ic01, is 13 M instructions (>= 0.14 s
//   at 96 MHz, README "Projected latency"); ic02 is several times bigger,
//   and even 100 M instructions at 2 cycles each take 2.1 s here (4.2 s on a
//   part left at 48 MHz), so 8 s covers every model with room while a hung
//   board is back within seconds. Fed between inferences and by the
//   kernel's idle hook (app/main.cc), never inside one. The WDT counts while
//   the CPU sleeps and the STIMER wraps only every 23.9 minutes, so the
//   interrupt wakes the idle path, which feeds. Reset cause: RSTGEN STAT (as
//   the secure bootloader leaves it), read and cleared at boot.
#include <cstdint>

#include "apollo3_gpio.h"
#include "apollo3_stimer_alarm.h"
#include "apollo3_stimer_clock.h"
#include "apollo3_sysctrl.h"
#include "apollo3_uart.h"
#include "apollo3_wdt.h"
#include "cortex_m.h"
#include "reset_cause.h"
#include "tinyperf/board.h"
#include "tinyperf/drivers/mmio.h"


namespace tp::board {
namespace {

using drivers::Apollo3Gpio;
using drivers::Apollo3SysCtrl;

constexpr int kUart0Irq = 15;
constexpr int kStimerIrq = 22;
constexpr int kStimerCompareAIrq = 23;
constexpr uint32_t kTxPad = 48, kRxPad = 49, kUart0Fncsel = 0;
constexpr uint32_t kTimestampPad = 47;
static_assert(TP_BOARD_CLOCK_HZ == Apollo3SysCtrl::kBurstHz, "board.cmake's clock is the burst-mode clock");

drivers::Apollo3Uart g_console{drivers::Apollo3Uart::kUart0Base};
drivers::Apollo3StimerClock g_clock{drivers::Apollo3StimerClock::kCtimerBase};
drivers::Apollo3StimerAlarm g_alarm{drivers::Apollo3StimerClock::kCtimerBase, kStimerCompareAIrq};
drivers::Apollo3GpioPin g_timestamp{Apollo3Gpio::kBase, kTimestampPad};
constexpr uint32_t kWatchdogMs = 8000, kWatchdogWakeMs = 4000;
drivers::Apollo3Wdt g_watchdog{drivers::Apollo3Wdt::kWdtBase, drivers::Apollo3Wdt::kRstgenBase, kWatchdogMs,
                               kWatchdogWakeMs};

const char* name_for(Apollo3SysCtrl::Burst burst, bool uart_powered) {
  if (!uart_powered) return "sparkfun_edge (fault: UART0 power domain did not come up)";
  switch (burst) {
    case Apollo3SysCtrl::Burst::kOn: return "sparkfun_edge";
    case Apollo3SysCtrl::Burst::kNotAllowed: return "sparkfun_edge (48 MHz: this part has no burst mode)";
    case Apollo3SysCtrl::Burst::kNotAvailable: return "sparkfun_edge (48 MHz: burst mode not available)";
    case Apollo3SysCtrl::Burst::kTimeout: return "sparkfun_edge (48 MHz: burst mode request timed out)";
  }
  return "sparkfun_edge";
}

}  // namespace

const Board& init(int, char**, uint32_t console_baud) {
  const char* reset_cause = drivers::Apollo3ResetCause{drivers::Apollo3ResetCause::kRstgenBase}.take(
      arch::reset_cause_name(arch::take_reset_cause()));

  const Apollo3SysCtrl sys{Apollo3SysCtrl::kClkgenBase, Apollo3SysCtrl::kMcuctrlBase,
                           Apollo3SysCtrl::kPwrctrlBase, Apollo3SysCtrl::kCachectrlBase};
  sys.set_core_clock_48mhz();
  sys.enable_flash_cache();
  const Apollo3SysCtrl::Burst burst = sys.enable_burst();
  const bool uart_powered = sys.power_on_uart0();

  const Apollo3Gpio gpio{Apollo3Gpio::kBase};
  gpio.configure_function(kTxPad, kUart0Fncsel, false, false);
  gpio.configure_function(kRxPad, kUart0Fncsel, true, false);
  g_timestamp.configure(true, Apollo3Gpio::Drive::k12mA);

  g_console.init(console_baud, true);
  cortex_m::set_fault_output([](char c) { g_console.put_raw(c); });
  cortex_m::attach_irq(kUart0Irq, [](void*) { g_console.on_interrupt(); }, nullptr);

  g_clock.init();
  cortex_m::attach_irq(kStimerIrq, [](void*) { g_clock.on_interrupt(); }, nullptr);
  cortex_m::attach_irq(drivers::Apollo3Wdt::kIrq, [](void*) { g_watchdog.on_interrupt(); }, nullptr);
  g_alarm.init();
  cortex_m::attach_irq(kStimerCompareAIrq, [](void*) { g_alarm.on_interrupt(); }, nullptr);

  static const Board board{name_for(burst, uart_powered), g_console, g_clock, g_timestamp, &g_watchdog,
                           reset_cause};
  cortex_m::enable_interrupts();
  return board;
}

void wait_for_event() { cortex_m::wait_for_event(g_console); }
drivers::Alarm& kernel_alarm() { return g_alarm; }

}  // namespace tp::board
