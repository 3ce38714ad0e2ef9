// What the Cortex-M kernel port adds for the application.
#pragma once

#include "tinyperf/drivers/interfaces.h"

namespace tp::kernel::cortex_m {

// The kernel's one-shot alarm (every timeout, timer and round-robin slice):
// the board's (tp::board::kernel_alarm()). Its interrupt must be routed to
// its driver, which the board does. Without one, a timeout refuses.
void use_alarm(drivers::Alarm& alarm);

// Context switches the port has performed since start (PendSV, four
// instructions a switch); `serve` reports them per run.
extern "C" volatile uint32_t tp_kernel_switches;
inline uint32_t switch_count() { return tp_kernel_switches; }

}  // namespace tp::kernel::cortex_m
