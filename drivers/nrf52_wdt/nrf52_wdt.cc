#include "nrf52_wdt.h"

namespace tp::drivers {

// nRF52840 PS "WDT": CRV, RREN and CONFIG are written before TASKS_START
// (they are read-only once it runs).
void Nrf52Wdt::start() {
  was_running_ = (regs_.read(kRunstatus) & 1u) != 0;
  if (was_running_) {
    feed();  // kept from before a soft reset, its settings locked: RR[0] is ours
    return;
  }
  regs_.write(kConfig, 0);  // pause while the CPU sleeps and while halted
  regs_.write(kCrv, crv_);
  regs_.write(kRren, 1u);  // RR[0] only
  regs_.write(kTasksStart, 1u);
}

const char* Nrf52ResetCause::decode(uint32_t resetreas) {
  if (resetreas & kDog) return "watchdog";
  if (resetreas & kLockup) return "lockup";
  if (resetreas & kSreq) return "software";
  if (resetreas & kResetPin) return "pin";
  if (resetreas & kWakeFromOff) return "system-off-wake";
  return nullptr;
}

const char* Nrf52ResetCause::take(const char* recorded) const {
  const uint32_t reas = regs_.read(kResetreas);
  if (reas == 0) return nullptr;                         // power-on or brown-out
  regs_.write(kResetreas, reas);                         // write 1 to clear what was read
  if ((reas & ~kWakeFromOff) == 0) return decode(reas);  // RAM not kept: a record is noise
  return recorded ? recorded : decode(reas);
}

}  // namespace tp::drivers
