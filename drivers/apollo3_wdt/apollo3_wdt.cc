#include "apollo3_wdt.h"

namespace tp::drivers {

// The order of am_hal_wdt_init() then am_hal_wdt_start() and
// am_hal_wdt_lock_and_start(): reset routing in RSTGEN, a stale interrupt
// cleared and the interrupt enabled in the WDT, the configuration written
// with WDTEN clear, then WDTEN set and the count restarted, then locked.
void Apollo3Wdt::start() {
  rstgen_.set(kRstgenCfg, kRstgenWdrEn);
  wdt_.write(kIntClr, kWdtInt);
  wdt_.write(kIntEn, kWdtInt);
  wdt_.write(kCfg, cfg_value());
  wdt_.write(kCfg, cfg_value() | kCfgWdtEn);
  wdt_.write(kRstrt, kRestartKey);
  wdt_.write(kLock, kLockKey);
}

const char* Apollo3ResetCause::decode(uint32_t stat) {
  if (stat & (kPor | kBor)) return nullptr;
  if (stat & kWatchdog) return "watchdog";
  if (stat & (kSwPor | kSwPoi)) return "software";
  if (stat & kDebugger) return "debugger";
  if (stat & kExtReset) return "pin";
  return nullptr;
}

const char* Apollo3ResetCause::take(const char* recorded) const {
  const uint32_t stat = regs_.read(kStat);
  regs_.write(kStat, 0);
  if (stat & (kPor | kBor)) return nullptr;
  return recorded ? recorded : decode(stat);
}

}  // namespace tp::drivers
