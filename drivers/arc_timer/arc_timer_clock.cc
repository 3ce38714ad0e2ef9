#include "arc_timer_clock.h"

#include "arc_aux.h"

namespace tp::drivers {

using namespace tp::arc;

void ArcTimerClock::init() {
  aux_write(kAuxControl0, 0);
  aux_write(kAuxLimit0, 0xFFFFFFFFu);
  aux_write(kAuxCount0, 0);
  aux_write(kAuxControl0, kControlIe | kControlNh);
  wraps_ = 0;
}

void ArcTimerClock::on_interrupt() {
  aux_write(kAuxControl0, kControlIe | kControlNh);  // IP = 0: acknowledged
  wraps_ = wraps_ + 1;
}

uint64_t ArcTimerClock::cycles() {
  // Read wraps, count, wraps again: a wrap between the reads shows as a
  // changed high word; a wrap not yet serviced shows as IP set.
  for (;;) {
    const uint32_t hi = wraps_;
    const uint32_t lo = aux_read(kAuxCount0);
    const uint32_t ctrl = aux_read(kAuxControl0);
    if (hi != wraps_) continue;
    uint32_t h = hi;
    // IP set and the count small: this count is after the unserviced wrap.
    if ((ctrl & kControlIp) && lo < 0x80000000u) ++h;
    return (static_cast<uint64_t>(h) << 32) | lo;
  }
}

uint64_t ArcTimerClock::micros() {
  const uint64_t c = cycles();
  const uint32_t per_us = core_hz_ / 1'000'000u;
  return per_us ? c / per_us : c;
}

}  // namespace tp::drivers
