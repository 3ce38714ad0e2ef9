#include "esp32_timg_clock.h"

namespace tp::drivers {

bool Esp32TimgClock::init(uint32_t apb_hz) {
  const uint32_t divider = apb_hz / 1'000'000u;
  if (divider < 2 || divider > 65535) return false;
  regs_.write(kT0Config, 0);  // stop
  regs_.write(kT0LoadLo, 0);
  regs_.write(kT0LoadHi, 0);
  regs_.write(kT0Load, 1);    // counter = 0
  regs_.write(kT0Config, kEnable | kIncrease | (divider << kDividerShift));
  return true;
}

uint64_t Esp32TimgClock::micros() {
  regs_.write(kT0Update, 1);
  const uint32_t lo = regs_.read(kT0Lo);
  const uint32_t hi = regs_.read(kT0Hi);
  return (static_cast<uint64_t>(hi) << 32) | lo;
}

void esp32_disable_watchdog(uintptr_t config0, uintptr_t protect) {
  mmio::write32(protect, Esp32TimgClock::kWdtKey);
  mmio::write32(config0, 0);  // WDT_EN (bit 31) and every stage off
  mmio::write32(protect, 0);
}

}  // namespace tp::drivers
