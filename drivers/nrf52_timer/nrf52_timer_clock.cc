#include "nrf52_timer_clock.h"

#include "tinyperf/drivers/irq_lock.h"

namespace tp::drivers {

void Nrf52TimerClock::init() {
  regs_.write(kTasksStop, 1);
  regs_.write(kIntenClr, 0xFFFFFFFF);
  regs_.write(kMode, kModeTimer);
  regs_.write(kBitmode, kBitmode32);
  regs_.write(kPrescaler, kPrescaler1MHz);
  regs_.write(cc(0), 0);  // compare when the counter wraps to 0
  regs_.write(events_compare(0), 0);
  regs_.write(kTasksClear, 1);
  wraps_ = 0;
  regs_.write(kIntenSet, kIntCompare0);
  regs_.write(kTasksStart, 1);
}

void Nrf52TimerClock::on_interrupt() {
  // The line is shared with the kernel's alarm (Nrf52TimerAlarm, CC[2]).
  if (regs_.read(events_compare(0)) == 0) return;
  regs_.write(events_compare(0), 0);
  (void)regs_.read(events_compare(0));  // the clear reaches the peripheral first
  wraps_ = wraps_ + 1;
}

uint64_t Nrf52TimerClock::micros() {
  IrqLock lock;
  uint64_t wraps = wraps_;
  regs_.write(tasks_capture(1), 1);
  uint32_t value = regs_.read(cc(1));
  // A wrap whose interrupt has not run yet: count it, and capture again so
  // the value is certainly from after the wrap.
  if (regs_.read(events_compare(0)) != 0) {
    wraps += 1;
    regs_.write(tasks_capture(1), 1);
    value = regs_.read(cc(1));
  }
  return wraps * kPeriod + value;
}

}  // namespace tp::drivers
