#include "nrf52_timer_alarm.h"

namespace tp::drivers {

using T = Nrf52TimerClock;

void Nrf52TimerAlarm::init() { stop(); }

void Nrf52TimerAlarm::stop() {
  regs_.write(T::kIntenClr, kIntCompare);
  regs_.write(T::events_compare(kCompare), 0);
  armed_ = false;
  due_ = false;
}

bool Nrf52TimerAlarm::arm(uint64_t at, uint64_t now) {
  stop();
  uint64_t d = at > now ? at - now : 0;
  if (d < kMinDelta) {
    due_ = true;
    return false;
  }
  if (d > kMaxDelta) d = kMaxDelta;
  // The Clock is wraps * 2^32 + counter: the low 32 bits are the counter.
  const uint32_t cc = static_cast<uint32_t>(now + d);
  regs_.write(T::cc(kCompare), cc);
  armed_ = true;
  regs_.write(T::kIntenSet, kIntCompare);
  // The counter after the write: at or past cc, the event may be missed.
  regs_.write(T::tasks_capture(kCapture), 1);
  const uint32_t counter = regs_.read(T::cc(kCapture));
  if (static_cast<int32_t>(cc - counter) <= 0) {
    due_ = true;
    return false;
  }
  return true;
}

void Nrf52TimerAlarm::on_interrupt() {
  const bool hit = armed_ && regs_.read(T::events_compare(kCompare)) != 0;
  if (!hit && !due_) return;  // the Clock's wrap, or a stale compare
  stop();
  (void)regs_.read(T::events_compare(kCompare));  // the clear reaches the peripheral first
  fire();
}

}  // namespace tp::drivers
