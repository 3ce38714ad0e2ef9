// nRF52 TIMER as a 64-bit microsecond clock: 32-bit timer mode at 1 MHz
// (PRESCALER 4: 16 MHz / 2^4), wraps every 71.6 minutes; the CC[0] = 0
// compare event (the counter wrapping to 0) interrupts and extends it in
// software. Reads capture the counter into CC[1].
//
// Why not SysTick: on the nRF52 the CPU's clock stops while it sleeps in
// WFI (System ON idle), and SysTick with it; a TIMER keeps its HFCLK request
// and counts on.
//
// nRF52840 Product Specification, chapter "TIMER — Timer/counter",
// "Registers" (NRF_TIMER_Type in nrfx's mdk/nrf52840.h):
//   TASKS_START 0x000, TASKS_STOP 0x004, TASKS_CLEAR 0x00C,
//   TASKS_CAPTURE[n] 0x040 + 4n, EVENTS_COMPARE[n] 0x140 + 4n,
//   INTENSET 0x304 (COMPARE0 bit 16), INTENCLR 0x308, MODE 0x504 (0 = timer),
//   BITMODE 0x508 (3 = 32 bit), PRESCALER 0x510 (f = 16 MHz / 2^PRESCALER),
//   CC[n] 0x540 + 4n. COMPARE[n] is generated when the counter is
//   incremented to the value in CC[n].
#pragma once

#include <cstdint>

#include "tinyperf/drivers/interfaces.h"
#include "tinyperf/drivers/mmio.h"

namespace tp::drivers {

class Nrf52TimerClock final : public Clock {
 public:
  static constexpr uintptr_t kTimer1Base = 0x40009000;
  static constexpr uint32_t kTasksStart = 0x000, kTasksStop = 0x004, kTasksClear = 0x00C;
  static constexpr uint32_t tasks_capture(uint32_t n) { return 0x040 + 4 * n; }
  static constexpr uint32_t events_compare(uint32_t n) { return 0x140 + 4 * n; }
  static constexpr uint32_t cc(uint32_t n) { return 0x540 + 4 * n; }
  static constexpr uint32_t kIntenSet = 0x304, kIntenClr = 0x308;
  static constexpr uint32_t kMode = 0x504, kBitmode = 0x508, kPrescaler = 0x510;
  static constexpr uint32_t kIntCompare0 = 1u << 16;
  static constexpr uint32_t kModeTimer = 0, kBitmode32 = 3, kPrescaler1MHz = 4;
  static constexpr uint64_t kPeriod = uint64_t{1} << 32;

  constexpr explicit Nrf52TimerClock(uintptr_t base) : regs_(base) {}

  void init();
  uint64_t micros() override;
  // The TIMER's interrupt: one more wrap of the 32-bit counter when
  // COMPARE[0] is set (the line also serves the alarm's CC[2]).
  void on_interrupt();

 private:
  mmio::Block regs_;
  volatile uint64_t wraps_ = 0;
};

}  // namespace tp::drivers
