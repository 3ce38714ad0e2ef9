#include "nrf52_clock.h"

namespace tp::drivers {

Nrf52Clock::Status Nrf52Clock::start_hfxo() const {
  regs_.write(kEventsHfclkStarted, 0);
  regs_.write(kTasksHfclkStart, 1);
  bool started = false;
  for (uint32_t i = 0; i < max_polls_ && !started; ++i) {
    started = regs_.read(kEventsHfclkStarted) != 0;
  }
  if (!started) return Status::kStartTimeout;
  regs_.write(kEventsHfclkStarted, 0);
  const uint32_t stat = regs_.read(kHfclkStat);
  if ((stat & (kStatSrcXtal | kStatStateRunning)) != (kStatSrcXtal | kStatStateRunning)) {
    return Status::kNotOnCrystal;
  }
  return Status::kOk;
}

}  // namespace tp::drivers
