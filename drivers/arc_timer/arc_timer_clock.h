// A 64-bit microsecond clock on ARCv2 Timer 0 (aux registers COUNT0,
// CONTROL0, LIMIT0; ARCv2 PRM "Timers"). Timer 0 counts core cycles up to
// LIMIT0 = 0xFFFFFFFF and raises interrupt 16 at the limit; on_interrupt()
// counts the wraps (10.7 s apart at 400 MHz) into the high word.
#pragma once

#include <cstdint>

#include "tinyperf/drivers/interfaces.h"

namespace tp::drivers {

class ArcTimerClock final : public Clock {
 public:
  static constexpr uint32_t kControlIe = 1u << 0;  // interrupt at limit
  static constexpr uint32_t kControlNh = 1u << 1;  // count only while not halted
  static constexpr uint32_t kControlIp = 1u << 3;  // interrupt pending (write 0 clears)

  explicit ArcTimerClock(uint32_t core_hz) : core_hz_(core_hz) {}

  // Stops the timer, sets the limit, clears the count, starts with the
  // limit interrupt (PRM: write CONTROL0 then LIMIT0 then COUNT0).
  void init();
  // Timer 0 interrupt: acknowledge (IP cleared by writing CONTROL0) and count.
  void on_interrupt();
  uint64_t micros() override;
  // Cycles since init, 64 bits (also handles a wrap whose interrupt is pending).
  uint64_t cycles();

 private:
  uint32_t core_hz_;
  volatile uint32_t wraps_ = 0;
};

}  // namespace tp::drivers
