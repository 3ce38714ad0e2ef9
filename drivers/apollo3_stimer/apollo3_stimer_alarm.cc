#include "apollo3_stimer_alarm.h"

namespace tp::drivers {

void Apollo3StimerAlarm::stop() {
  regs_.clear(kStmIntEn, kIntCompareA);
  regs_.clear(kStcfg, kStcfgCompareAEn);
  regs_.write(kStmIntClr, kIntCompareA);
}

bool Apollo3StimerAlarm::arm(uint64_t at, uint64_t now) {
  stop();
  if (at <= now) return false;
  // The Clock is counter ticks / 3: the target tick's low 32 bits, and the
  // distance from the counter as it is now.
  uint32_t delta = kMaxTicks;  // far: fires early, the kernel re-arms
  if (at - now < kMaxTicks / kTicksPerMicrosecond) {
    const uint32_t target = static_cast<uint32_t>(at * kTicksPerMicrosecond);
    delta = target - regs_.read(kSttmr);
    if (static_cast<int32_t>(delta) < static_cast<int32_t>(kMinTicks)) return false;
  }
  regs_.write(kScmpr0, delta);
  regs_.set(kStcfg, kStcfgCompareAEn);
  regs_.set(kStmIntEn, kIntCompareA);
  return true;
}

void Apollo3StimerAlarm::on_interrupt() {
  stop();
  fire();
}

}  // namespace tp::drivers
