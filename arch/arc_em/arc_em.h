// ARCv2 EM start-up and interrupt routing (drivers/arc_em/startup.cc).
#pragma once

#include <cstdint>

namespace tp::arc {

using Handler = void (*)(void* ctx);
constexpr int kFirstIrq = 16;   // ARCv2: exceptions 0-15, interrupts from 16
constexpr int kMaxIrqs = 32;    // interrupts 16..47 routed

// Routes interrupt irq (>= 16) to fn, priority 0, and enables it in the
// interrupt unit (IRQ_SELECT / IRQ_PRIORITY / IRQ_ENABLE).
void attach_irq(int irq, Handler fn, void* ctx);
// Where fault reports go (the console's raw output).
void set_fault_output(void (*put)(char c));
inline void enable_interrupts() { __asm__ volatile("seti 0" ::: "memory"); }
inline void disable_interrupts() { __asm__ volatile("clri" ::: "memory"); }

}  // namespace tp::arc
