// Arm CMSDK APB watchdog (an SP805): on QEMU's mps2-an386 at 0x40008000
// (WDOGCLK 25 MHz) and, as the SSE-300's S32K watchdog, on mps3-an547 at
// 0x4802E000 (32 kHz). Register map: Cortex-M System Design Kit TRM
// (DDI 0479) "APB watchdog", and QEMU's hw/watchdog/cmsdk-apb-watchdog.c:
// LOAD 0x00, VALUE 0x04, CONTROL 0x08 (INTEN bit 0, RESEN bit 1), INTCLR
// 0x0C, RIS 0x10, MIS 0x14, LOCK 0xC00 (0x1ACCE551 unlocks, anything else
// locks).
//
// The counter counts down from LOAD; at zero it raises WDOGINT (the NMI on
// both MPS images) and reloads; if the interrupt is still uncleared at the
// next zero it asserts WDOGRES (resets the system). So a hang is noticed
// after one period (the NMI can record why) and reset after two.
#pragma once

#include <cstdint>

#include "tinyperf/drivers/mmio.h"

namespace tp::drivers {

class CmsdkWatchdog {
 public:
  static constexpr uint32_t kLoad = 0x00, kValue = 0x04, kControl = 0x08, kIntClr = 0x0C,
                            kRis = 0x10, kMis = 0x14, kLock = 0xC00;
  static constexpr uint32_t kControlIntEn = 1u << 0, kControlResEn = 1u << 1;
  static constexpr uint32_t kUnlockKey = 0x1ACCE551;

  explicit constexpr CmsdkWatchdog(uintptr_t base) : regs_(base) {}

  // Ticks of a clk_hz counter in period_ms, at least 1 and at most the
  // 32-bit LOAD register.
  static constexpr uint32_t load_for(uint32_t clk_hz, uint32_t period_ms) {
    const uint64_t ticks = uint64_t{clk_hz} * period_ms / 1000;
    if (ticks == 0) return 1;
    return ticks > 0xFFFFFFFFull ? 0xFFFFFFFFu : static_cast<uint32_t>(ticks);
  }

  // Starts it: the interrupt after period_ms without a feed, the reset
  // after twice that. Registers locked again afterwards.
  void start(uint32_t clk_hz, uint32_t period_ms);
  // Restarts the count from LOAD and clears a pending interrupt.
  void feed();
  // Stops both the interrupt and the reset.
  void stop();
  // True when the first period ran out (the interrupt is raised).
  bool expired() const { return (regs_.read(kRis) & 1u) != 0; }

 private:
  mmio::Block regs_;
};

}  // namespace tp::drivers
