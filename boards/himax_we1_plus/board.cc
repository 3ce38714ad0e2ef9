// Himax WE-I Plus EVB (HX6537-A, ARC EM9D at 400 MHz): which driver instance
// does what.
//
// Console: UART0, a Synopsys DW_apb_uart, wired to the EVB's FTDI USB bridge
//   (HIMAX_WE1_EVB_user_guide: the board's serial console, 115200 8N1). Its
//   register base is TP_WE1_UART0_BASE (below): Himax's
//   SDK names it HX_UART0_BASE in a binary-only library, and no public
//   document we could read gives the number; confirm it on the board. The
//   UART clock is not documented publicly either, so the console keeps the
//   bootloader's divisor for 115200 baud and scales it for 9600 (energy
//   mode) (drivers/dw_uart init_from_loader).
// Timer: ARCv2 Timer 0 on the core clock (400 MHz, the HX6537-A's maximum,
//   set by the bootloader), 64 bits through its wrap interrupt (IRQ 16).
// Timestamp pin: none bound yet (a GPIO driver for the WE-I Plus needs its
//   register map, also not public); energy mode is not supported here.
#include <cstdint>

#include "arc_aux.h"
#include "arc_em.h"
#include "arc_timer_clock.h"
#include "dw_uart.h"
#include "tinyperf/board.h"

// UNVERIFIED default: override with -DCMAKE_CXX_FLAGS=-DTP_WE1_UART0_BASE=0x...
// once the address is confirmed (the vendor's SDK prints it: HX_UART0_BASE).
#ifndef TP_WE1_UART0_BASE
#define TP_WE1_UART0_BASE 0xB0000000u
#endif

namespace tp::board {
namespace {

constexpr uint32_t kLoaderBaud = 115200;  // the bootloader's console speed
static_assert(TP_BOARD_CLOCK_HZ == 400'000'000u, "board.cmake's TP_BOARD_CLOCK_HZ: the EM9D runs at 400 MHz");

drivers::DwUart g_console{TP_WE1_UART0_BASE};

drivers::NoOutputPin g_no_pin;

}  // namespace

const Board& init(int, char**, uint32_t console_baud) {
  const bool uart_ok = g_console.init_from_loader(kLoaderBaud, console_baud);
  arc::set_fault_output([](char c) { g_console.put_raw(c); });

  static drivers::ArcTimerClock clock{TP_BOARD_CLOCK_HZ};
  clock.init();
  arc::attach_irq(arc::kTimer0Irq, [](void*) { clock.on_interrupt(); }, nullptr);

  static const Board board{uart_ok ? "himax_we1_plus" : "himax_we1_plus (console: bad loader divisor)",
                           g_console, clock, g_no_pin};
  arc::enable_interrupts();
  return board;
}

// The console is polled: nothing to sleep on.
void wait_for_event() {}

}  // namespace tp::board
