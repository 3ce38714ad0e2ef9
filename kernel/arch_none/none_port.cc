// The port of a CPU without a context switch yet: interrupts are never
// masked by the kernel (nothing preempts), start() fails.
#include "tinyperf/kernel/arch.h"

namespace tp::kernel::arch {
namespace {
bool g_locked = false;
}
uint32_t irq_lock() {
  const uint32_t k = g_locked;
  g_locked = true;
  return k;
}
void irq_unlock(uint32_t key) { g_locked = key != 0; }
bool in_isr() { return false; }
void init_thread(Thread& t) { t.arch.sp = 0; }
void request_switch() {}
void start() { fail("no kernel port for this CPU"); }
void idle_wait() {}
void set_alarm(Micros) {}
void fatal(const char*, const char*) { __builtin_trap(); }
}  // namespace tp::kernel::arch
