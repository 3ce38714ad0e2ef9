#include "systick_clock.h"

#include "tinyperf/drivers/irq_lock.h"

namespace tp::drivers {

void SysTickClock::init() {
  regs_.write(kCsr, 0);
  regs_.write(kRvr, kReload);
  regs_.write(kCvr, 0);  // any write clears the counter (reloads on next tick)
  wraps_ = 0;
  regs_.write(kCsr, kCsrEnable | kCsrTickInt | (processor_clock_ ? kCsrClkSource : 0));
}

uint64_t SysTickClock::ticks() {
  IrqLock lock;
  uint64_t wraps = wraps_;
  uint32_t value = regs_.read(kCvr) & kReload;
  // A wrap whose interrupt is still pending has not been counted yet: count
  // it here and read the counter again (it has reloaded by now).
  if (mmio::read32(icsr_) & kIcsrPendStSet) {
    wraps += 1;
    value = regs_.read(kCvr) & kReload;
  }
  return wraps * kPeriod + (kReload - value);
}

uint64_t SysTickClock::micros() {
  const uint64_t t = ticks();
  const uint32_t per_us = clock_hz_ / 1000000u;
  if (per_us != 0 && clock_hz_ % 1000000u == 0) return t / per_us;
  return t * 1000000u / clock_hz_;
}

}  // namespace tp::drivers
