// A 64-bit microsecond clock on the ESP32's Timer Group 0, timer 0 (TRM,
// chapter "Timer Group (TIMG)", base 0x3FF5F000): TIMG_T0CONFIG_REG 0x00
// (T0_EN bit 31, T0_INCREASE bit 30, T0_AUTORELOAD bit 29, T0_DIVIDER bits
// 28:13), T0LO 0x04, T0HI 0x08, T0UPDATE 0x0C (a write latches the counter
// into T0LO/T0HI), T0LOADLO 0x18, T0LOADHI 0x1C, T0LOAD 0x20 (a write loads).
// Clocked from APB; the divider makes it count microseconds.
// The same group's watchdog (TIMG_WDTCONFIG0_REG 0x48, TIMG_WDTWPROTECT_REG
// 0x64, write key 0x50D83AA1) is the one the boot ROM starts: see
// disable_timg_watchdog().
#pragma once

#include <cstdint>

#include "tinyperf/drivers/interfaces.h"
#include "tinyperf/drivers/mmio.h"

namespace tp::drivers {

class Esp32TimgClock final : public Clock {
 public:
  static constexpr uintptr_t kTimg0Base = 0x3FF5F000;
  static constexpr uint32_t kT0Config = 0x00, kT0Lo = 0x04, kT0Hi = 0x08, kT0Update = 0x0C,
                            kT0LoadLo = 0x18, kT0LoadHi = 0x1C, kT0Load = 0x20;
  static constexpr uint32_t kWdtConfig0 = 0x48, kWdtProtect = 0x64;
  static constexpr uint32_t kWdtKey = 0x50D83AA1;
  static constexpr uint32_t kEnable = 1u << 31, kIncrease = 1u << 30;
  static constexpr uint32_t kDividerShift = 13;

  explicit constexpr Esp32TimgClock(uintptr_t base) : regs_(base) {}

  // Divider = apb_hz / 1 MHz (2..65535; 0 means 65536 in hardware, so an
  // out-of-range divider is refused: returns false).
  bool init(uint32_t apb_hz);
  uint64_t micros() override;

 private:
  mmio::Block regs_;
};

// Unlocks, disables and relocks a watchdog: the TIMG MWDT (config0 0x48,
// protect 0x64 from the group's base) or the RTC WDT (RTC_CNTL base
// 0x3FF48000: RTC_CNTL_WDTCONFIG0_REG 0x8C, RTC_CNTL_WDTWPROTECT_REG 0xA4);
// both take the key 0x50D83AA1 (TRM "Watchdog Timers").
void esp32_disable_watchdog(uintptr_t config0, uintptr_t protect);

}  // namespace tp::drivers
