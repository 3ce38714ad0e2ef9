// Cortex-M core support shared by every Arm board: start-up, interrupt
// routing to driver instances, fault reporting. (Armv7-M / Armv8-M ARM.)
#pragma once

#include <cstdint>

namespace tp::cortex_m {

using Handler = void (*)(void* ctx);

// Number of external interrupt lines the vector table provides.
inline constexpr int kMaxIrqs = 96;

// Routes external interrupt `irq` to fn(ctx) and enables it in the NVIC.
void attach_irq(int irq, Handler fn, void* ctx);
// Routes the SysTick exception to fn(ctx).
void attach_systick(Handler fn, void* ctx);
// Where the fault handler writes its one-line report (polled, no interrupts).
void set_fault_output(void (*put)(char c));

inline void enable_interrupts() { __asm__ volatile("cpsie i" ::: "memory"); }
inline void wait_for_interrupt() { __asm__ volatile("wfi"); }

}  // namespace tp::cortex_m
