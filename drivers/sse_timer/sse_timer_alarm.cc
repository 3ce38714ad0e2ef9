#include "sse_timer_alarm.h"

namespace tp::drivers {

void SseTimerAlarm::init() {
  stop();
  counter_.set(kCntcr, kCntcrEn);
}

void SseTimerAlarm::stop() { timer_.write(kCntpCtl, kCtlImask); }

uint64_t SseTimerAlarm::count() const {
  uint32_t hi = timer_.read(kCntpctHi);
  for (;;) {
    const uint32_t lo = timer_.read(kCntpctLo);
    const uint32_t hi2 = timer_.read(kCntpctHi);
    if (hi2 == hi) return (uint64_t{hi} << 32) | lo;
    hi = hi2;  // the low word wrapped between the reads
  }
}

bool SseTimerAlarm::arm(uint64_t at, uint64_t now) {
  stop();
  if (at <= now) return false;
  const uint64_t d = at - now;
  // Rounded up: never before `at`.
  uint64_t ticks = d > 60'000'000 ? kMaxTicks : (d * hz_ + 999'999) / 1'000'000;
  if (ticks > kMaxTicks) ticks = kMaxTicks;
  // Written while the timer is stopped: a half-written compare is not seen.
  const uint64_t cval = (count() + ticks + kTickAlign - 1) / kTickAlign * kTickAlign;
  timer_.write(kCntpCvalLo, static_cast<uint32_t>(cval));
  timer_.write(kCntpCvalHi, static_cast<uint32_t>(cval >> 32));
  timer_.write(kCntpCtl, kCtlEnable);
  return true;
}

void SseTimerAlarm::on_interrupt() {
  stop();
  fire();
}

}  // namespace tp::drivers
