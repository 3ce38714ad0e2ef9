#include "cmsdk_timer_alarm.h"

namespace tp::drivers {

void CmsdkTimerAlarm::stop() {
  regs_.write(kCtrl, 0);
  regs_.write(kIntClear, 1);
}

bool CmsdkTimerAlarm::arm(uint64_t at, uint64_t now) {
  stop();
  if (at <= now) return false;
  const uint64_t d = at - now;
  // Rounded up: never before `at`.
  uint64_t ticks = d > 60'000'000 ? kMaxTicks : (d * hz_ + 999'999) / 1'000'000;
  if (ticks > kMaxTicks) ticks = kMaxTicks;
  regs_.write(kValue, static_cast<uint32_t>(ticks));
  regs_.write(kReload, static_cast<uint32_t>(ticks));
  regs_.write(kCtrl, kCtrlEnable | kCtrlIrqEnable);
  return true;
}

void CmsdkTimerAlarm::on_interrupt() {
  stop();
  fire();
}

}  // namespace tp::drivers
