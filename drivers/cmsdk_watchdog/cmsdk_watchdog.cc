#include "cmsdk_watchdog.h"

namespace tp::drivers {

// Unlocked once and left unlocked: the feed is then one store to INTCLR
// (it runs between inferences; a locked watchdog would need three).
void CmsdkWatchdog::start() {
  regs_.write(kLock, kUnlockKey);
  regs_.write(kLoad, load_value());
  regs_.write(kIntClr, 1);  // clear a stale interrupt, load the counter
  regs_.write(kControl, kControlIntEn | kControlResEn);
}

}  // namespace tp::drivers
