#include "apollo3_stimer_clock.h"

#include "tinyperf/drivers/irq_lock.h"

namespace tp::drivers {

void Apollo3StimerClock::init() {
  regs_.write(kStcfg, kStcfgFreeze | kStcfgClear);  // stop and zero the counter
  regs_.write(kStmIntClr, kIntOverflow);
  regs_.set(kStmIntEn, kIntOverflow);
  wraps_ = 0;
  regs_.write(kStcfg, kClkselHfrcDiv16);  // release: counts at 3 MHz
}

void Apollo3StimerClock::on_interrupt() {
  regs_.write(kStmIntClr, kIntOverflow);
  wraps_ = wraps_ + 1;
}

uint64_t Apollo3StimerClock::ticks() {
  IrqLock lock;
  uint64_t wraps = wraps_;
  uint32_t value = regs_.read(kSttmr);
  // An overflow whose interrupt has not run yet: count it and read again.
  if (regs_.read(kStmIntStat) & kIntOverflow) {
    wraps += 1;
    value = regs_.read(kSttmr);
  }
  return wraps * kPeriod + value;
}

}  // namespace tp::drivers
