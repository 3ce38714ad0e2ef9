// Arm SSE-300 system timer (an Armv8-M generic-timer frame on the SSE's
// 64-bit system counter) as the kernel's one-shot alarm: CNTP_TVAL loaded
// with the delay in counter ticks, interrupt while the count is at or past
// the compare value and the timer is enabled (a level: the handler disables
// it). The system counter runs on the SSE's MAINCLK (32 MHz on the MPS3
// AN547), 31 ns a tick; it is off after reset, so init() enables it.
//
// Arm SSE-123 Example Subsystem TRM (101370), "System timer" and "System
// counter", as the SSE-300 uses them; QEMU hw/timer/sse-timer.c and
// sse-counter.c, hw/arm/armsse.c (SSE-300: counter control frame at
// 0x58100000, secure only; system timers 0-3 at 0x48000000 + n * 0x1000,
// IRQs 3, 4, 5, 27):
//   timer: CNTPCT 0x00/0x04, CNTP_CVAL 0x20/0x24 (64-bit compare), CNTP_CTL
//   0x2C (ENABLE bit 0, IMASK bit 1, ISTATUS bit 2); counter control: CNTCR
//   0x00 (EN bit 0).
//
// The compare value is rounded up to a multiple of kTickAlign ticks. Why:
// QEMU 7.2 turns a compare tick into a deadline in ns rounded down (a 32 MHz
// tick is 31.25 ns) and, at that deadline, reads the count back rounded
// down: one tick short of the compare for 3 ticks in 4, so it re-arms the
// same deadline. Under -icount virtual time does not move while QEMU runs
// its timers, so it loops there for ever (QEMU hung, even SIGTERM unheard:
// the earlier attempt's "hang"). On a multiple of 4 ticks from the
// counter's start both conversions are exact. On hardware the rounding only
// makes the alarm up to 3 ticks (94 ns) later.
#pragma once

#include <cstdint>

#include "tinyperf/drivers/interfaces.h"
#include "tinyperf/drivers/mmio.h"

namespace tp::drivers {

class SseTimerAlarm final : public Alarm {
 public:
  static constexpr uintptr_t kCounterControlBase = 0x58100000;
  static constexpr uintptr_t kTimer0Base = 0x48000000;
  static constexpr uint32_t kCntcr = 0x00, kCntcrEn = 1u << 0;
  static constexpr uint32_t kCntpctLo = 0x00, kCntpctHi = 0x04;
  static constexpr uint32_t kCntpCvalLo = 0x20, kCntpCvalHi = 0x24, kCntpCtl = 0x2C;
  static constexpr uint64_t kTickAlign = 4;
  static constexpr uint32_t kCtlEnable = 1u << 0, kCtlImask = 1u << 1;
  static constexpr uint64_t kMaxTicks = 0x70000000u;  // then re-armed

  constexpr SseTimerAlarm(uintptr_t timer_base, uintptr_t counter_control_base, int irq, uint32_t counter_hz)
      : timer_(timer_base), counter_(counter_control_base), irq_(irq), hz_(counter_hz) {}

  // Starts the system counter (from 0 after reset, so the ticks stay
  // aligned with QEMU's ns) and stops the timer.
  void init();
  bool arm(uint64_t at, uint64_t now) override;
  void stop() override;
  int irq() const override { return irq_; }
  // The timer's interrupt (its own line): disabled (the level drops), then
  // the handler.
  void on_interrupt();

 private:
  uint64_t count() const;
  mmio::Block timer_;
  mmio::Block counter_;
  int irq_;
  uint32_t hz_;
};

}  // namespace tp::drivers
