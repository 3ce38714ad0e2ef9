// nRF52 CLOCK peripheral: starts the 64 MHz crystal oscillator (HFXO) so
// that HFCLK (the CPU's 64 MHz clock, the TIMERs' 16 MHz and the UARTE's
// baud generator) is crystal-accurate instead of the internal RC (HFINT).
//
// nRF52840 Product Specification v1.x, chapter "CLOCK — Clock control",
// "HFCLK controller" and "Registers" (addresses as in nrfx's mdk/nrf52840.h,
// NRF_CLOCK_Type, and nrf52840_bitfields.h):
//   base 0x40000000
//   TASKS_HFCLKSTART 0x000, EVENTS_HFCLKSTARTED 0x100,
//   HFCLKSTAT 0x40C: SRC bit 0 (1 = Xtal), STATE bit 16 (1 = running).
// Sequence: clear EVENTS_HFCLKSTARTED, trigger TASKS_HFCLKSTART, wait for
// EVENTS_HFCLKSTARTED (the crystal's start-up time, typically ~0.3 ms), then
// HFCLKSTAT must read Xtal | Running. The wait is bounded by max_polls reads.
#pragma once

#include <cstdint>

#include "tinyperf/drivers/mmio.h"

namespace tp::drivers {

class Nrf52Clock {
 public:
  static constexpr uintptr_t kBase = 0x40000000;
  static constexpr uint32_t kTasksHfclkStart = 0x000;
  static constexpr uint32_t kEventsHfclkStarted = 0x100;
  static constexpr uint32_t kHfclkStat = 0x40C;
  static constexpr uint32_t kStatSrcXtal = 1u << 0;
  static constexpr uint32_t kStatStateRunning = 1u << 16;

  enum class Status { kOk, kStartTimeout, kNotOnCrystal };

  constexpr explicit Nrf52Clock(uintptr_t base, uint32_t max_polls = 1'000'000)
      : regs_(base), max_polls_(max_polls) {}

  Status start_hfxo() const;

 private:
  mmio::Block regs_;
  uint32_t max_polls_;
};

}  // namespace tp::drivers
