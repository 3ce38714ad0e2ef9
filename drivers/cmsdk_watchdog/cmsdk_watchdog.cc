#include "cmsdk_watchdog.h"

namespace tp::drivers {

void CmsdkWatchdog::start(uint32_t clk_hz, uint32_t period_ms) {
  regs_.write(kLock, kUnlockKey);
  regs_.write(kLoad, load_for(clk_hz, period_ms));  // also restarts the count
  regs_.write(kIntClr, 1);
  regs_.write(kControl, kControlIntEn | kControlResEn);
  regs_.write(kLock, 0);
}

void CmsdkWatchdog::feed() {
  regs_.write(kLock, kUnlockKey);
  regs_.write(kIntClr, 1);  // clears WDOGINT and reloads the counter from LOAD
  regs_.write(kLock, 0);
}

void CmsdkWatchdog::stop() {
  regs_.write(kLock, kUnlockKey);
  regs_.write(kControl, 0);
  regs_.write(kIntClr, 1);
  regs_.write(kLock, 0);
}

}  // namespace tp::drivers
