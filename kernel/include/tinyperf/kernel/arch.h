// The interface a kernel port implements (arch/<cpu>/kernel). The port also
// provides "tp_kernel_arch.h" with `struct ArchThread` (the per-thread
// context; Thread::arch is Thread's first member).
#pragma once

#include <cstdint>

#include "tinyperf/kernel/kernel.h"

namespace tp::kernel::arch {

// Masks interrupts (the kernel's only lock); returns the previous state.
uint32_t irq_lock();
// Restores the state irq_lock() returned. When this unmasks interrupts and a
// switch is pending, the switch happens here.
void irq_unlock(uint32_t key);
bool in_isr();
// Prepares t's first context so that, once switched to, it calls
// kernel::detail::thread_main(t). Stack already painted; sets the guard.
void init_thread(Thread& t);
// Asks for a switch to detail::g_next: done when interrupts are unmasked
// and no interrupt handler is active (PendSV on Cortex-M).
void request_switch();
// Switches to detail::g_next for the first time; returns only on the host.
void start();
// Idle thread body: sleep until an interrupt (no busy waiting).
void idle_wait();
// One-shot alarm: call kernel::on_alarm() from an interrupt at `at`
// (microseconds on the kernel's clock) or soon after; kForever cancels.
void set_alarm(Micros at);
// Prints the kernel's failure line and halts (target), or returns (host).
void fatal(const char* what, const char* thread);

}  // namespace tp::kernel::arch

namespace tp::kernel::detail {
struct Switch {
  Thread* current;
  Thread* next;
};
// Read by the ports' switch code: {current, next}.
extern "C" Switch tp_kernel_switch;
void thread_main(Thread& t);
}  // namespace tp::kernel::detail
