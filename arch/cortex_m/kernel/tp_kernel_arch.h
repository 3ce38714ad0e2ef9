// Cortex-M port (Armv7E-M M4F, Armv8.1-M M55): the per-thread context.
// PendSV's assembly reads these words at fixed offsets: keep the layout.
#pragma once

#include <cstdint>

namespace tp::kernel {

struct ArchThread {
  uint32_t sp;      // +0: PSP with r4-r11, EXC_RETURN (and s16-s31) pushed
  uint32_t guard0;  // +4: M4: MPU_RBAR of the guard region; M55: PSPLIM
  uint32_t guard1;  // +8: M4: MPU_RASR of the guard region
};

}  // namespace tp::kernel
