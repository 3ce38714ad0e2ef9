// What the host port adds for tests and the native board: a virtual clock
// that the idle thread advances to the next event (so timeouts take no real
// time), simulated interrupts, and why kernel::start() returned.
#pragma once

#include <cstdint>

#include "tinyperf/kernel/kernel.h"

namespace tp::kernel::host {

class VirtualClock final : public drivers::Clock {
 public:
  uint64_t micros() override { return now_; }
  void set(uint64_t t) { now_ = t; }
  uint64_t now_ = 0;
};
// The clock tests give kernel::init(); reset to 0 by reset().
VirtualClock& virtual_clock();

// Runs fn(arg) as an interrupt handler, now (from a kernel thread or the
// test's own thread before start()); a switch it asks for happens on return.
void raise_irq(void (*fn)(void*), void* arg);
// A simulated interrupt at virtual time `at`: when every thread waits, the
// idle thread advances the clock to it (or a thread's advance() passes it).
void schedule_irq(Micros at, void (*fn)(void*), void* arg);
// The running thread "computes" for `us`: virtual time moves on, and the
// alarm and scheduled interrupts due meanwhile run at their own times (and
// may preempt it: the computing left is then done when it runs again, so it
// returns at the earliest `us` after it was called, later by the time others
// ran meanwhile).
void advance(Micros us);

enum class Stop { kNotStarted, kAllEnded, kIdle, kTimeLimit };
// start() returns when every thread has ended (kAllEnded), when every thread
// waits with nothing scheduled that could wake one (kIdle), or when virtual
// time would pass the limit (kTimeLimit).
Stop stop_reason();
void set_time_limit(Micros at);

// Before kernel::init() in each test: clock at 0, no scheduled interrupts.
void reset();
uint64_t switches();

}  // namespace tp::kernel::host
