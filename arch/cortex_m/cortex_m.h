// Cortex-M core support shared by every Arm board: start-up, interrupt
// routing to driver instances, fault reporting, sleeping. (Armv7-M / Armv8-M ARM.)
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
// Routes the NMI to fn(ctx) (unrouted, an NMI is reported as a fault).
void attach_nmi(Handler fn, void* ctx);
// Where the fault handler writes its one-line report (polled, no interrupts).
void set_fault_output(void (*put)(char c));

inline void enable_interrupts() { __asm__ volatile("cpsie i" ::: "memory"); }
inline void wait_for_interrupt() { __asm__ volatile("wfi"); }

// A board's wait_for_event() with an interrupt-driven console: sleeps until
// an interrupt unless input is already waiting, checked with interrupts
// masked so a byte arriving in between still wakes the core (WFI wakes on a
// pending interrupt even while PRIMASK masks it).
// `before_sleep` runs with interrupts masked right before WFI (a chip's
// errata work-around, e.g. the nRF52840's erratum 87).
template <class Console, class BeforeSleep>
inline void wait_for_event(const Console& console, BeforeSleep&& before_sleep) {
  __asm__ volatile("cpsid i" ::: "memory");
  if (!console.rx_pending()) {
    before_sleep();
    wait_for_interrupt();
  }
  __asm__ volatile("cpsie i" ::: "memory");
}
template <class Console>
inline void wait_for_event(const Console& console) {
  wait_for_event(console, [] {});
}

}  // namespace tp::cortex_m
