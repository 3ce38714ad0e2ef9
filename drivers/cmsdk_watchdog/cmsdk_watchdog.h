// Arm CMSDK APB watchdog (Cortex-M System Design Kit TRM, DDI 0479, "APB
// watchdog"): a 32-bit down counter clocked by WDOGCLK. When it reaches zero
// it raises WDOGINT (if INTEN) and reloads from LOAD; if WDOGINT is still
// raised when it reaches zero again and RESEN is set, it asserts WDOGRES.
// Any write to INTCLR clears WDOGINT and reloads the counter: the feed.
// LOCK (0xC00): 0x1ACCE551 unlocks writes to the other registers, anything
// else locks them.
//
// On QEMU 7.2 (verified there, issue #21): mps2-an386 has it at 0x40008000
// with a 25 MHz WDOGCLK; mps3-an547 has the SSE-300's S32K watchdog at
// 0x4802E000 with a 32 kHz WDOGCLK; on both WDOGINT is the NMI and WDOGRES
// resets the machine, and RAM keeps its contents across that reset.
#pragma once

#include <cstdint>

#include "tinyperf/drivers/interfaces.h"
#include "tinyperf/drivers/mmio.h"

namespace tp::drivers {

class CmsdkWatchdog final : public Watchdog {
 public:
  static constexpr uint32_t kLoad = 0x000;
  static constexpr uint32_t kValue = 0x004;
  static constexpr uint32_t kControl = 0x008;
  static constexpr uint32_t kIntClr = 0x00C;
  static constexpr uint32_t kRis = 0x010;
  static constexpr uint32_t kLock = 0xC00;
  static constexpr uint32_t kControlIntEn = 1u << 0;
  static constexpr uint32_t kControlResEn = 1u << 1;
  static constexpr uint32_t kUnlockKey = 0x1ACCE551;

  // `warning_ms`: from a feed to the early warning (NMI); the reset follows
  // one more period later.
  constexpr CmsdkWatchdog(uintptr_t base, uint32_t wdogclk_hz, uint32_t warning_ms)
      : regs_(base), clk_hz_(wdogclk_hz), warning_ms_(warning_ms) {}

  void start() override;
  void feed() override { regs_.write(kIntClr, 1); }
  uint32_t timeout_ms() const override { return 2 * warning_ms_; }
  uint32_t load_value() const {
    return static_cast<uint32_t>(static_cast<uint64_t>(clk_hz_) * warning_ms_ / 1000);
  }

 private:
  mmio::Block regs_;
  uint32_t clk_hz_;
  uint32_t warning_ms_;
};

}  // namespace tp::drivers
