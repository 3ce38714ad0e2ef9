// What the Cortex-M kernel port adds for the application.
#pragma once

#include <cstdint>

namespace tp::kernel::cortex_m {

// The kernel's one-shot alarm on a CMSDK APB timer (MPS2/MPS3 boards):
// register block, its interrupt line and input clock.
void use_cmsdk_timer(uintptr_t base, int irq, uint32_t clock_hz);

}  // namespace tp::kernel::cortex_m
