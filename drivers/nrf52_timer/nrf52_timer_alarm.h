// The kernel's one-shot alarm on a compare channel of the TIMER that gives
// the board's Clock (Nrf52TimerClock, 32 bits at 1 MHz): the alarm and the
// Clock count the same ticks, so `at` (low 32 bits) is the compare value.
// Channels: CC[0] is the Clock's wrap and CC[1] its capture; the alarm
// compares on CC[2] and captures the counter into CC[3] to check it did not
// arm too late (TIMER0-2 of the nRF52840 have four CC registers). The TIMER
// has one interrupt line: the board's handler calls the Clock's and the
// alarm's on_interrupt(), each looks at its own event.
//
// nRF52840 Product Specification, "TIMER — Timer/counter": COMPARE[n] is
// generated when the counter is incremented to CC[n]; EVENTS_COMPARE[n]
// 0x140 + 4n, INTENSET 0x304 / INTENCLR 0x308 (COMPARE[n] bit 16 + n),
// TASKS_CAPTURE[n] 0x040 + 4n, CC[n] 0x540 + 4n.
#pragma once

#include <cstdint>

#include "nrf52_timer_clock.h"
#include "tinyperf/drivers/interfaces.h"
#include "tinyperf/drivers/mmio.h"

namespace tp::drivers {

class Nrf52TimerAlarm final : public Alarm {
 public:
  static constexpr uint32_t kCompare = 2, kCapture = 3;
  static constexpr uint32_t kIntCompare = 1u << (16 + kCompare);
  // Nearest compare armed in hardware: the counter must still be short of
  // CC after the write (checked by a capture), and one more tick of margin.
  static constexpr uint64_t kMinDelta = 2;
  // Farthest: half the counter's range (71 minutes / 2), then re-armed.
  static constexpr uint64_t kMaxDelta = uint64_t{1} << 31;

  constexpr Nrf52TimerAlarm(uintptr_t timer_base, int irq) : regs_(timer_base), irq_(irq) {}

  // After the Clock's init (the TIMER runs).
  void init();
  bool arm(uint64_t at, uint64_t now) override;
  void stop() override;
  int irq() const override { return irq_; }
  // The TIMER's interrupt: fires when the compare event is set and armed,
  // or when arm() said it was too late (the caller pended the line).
  void on_interrupt();

 private:
  mmio::Block regs_;
  int irq_;
  volatile bool armed_ = false;
  volatile bool due_ = false;
};

}  // namespace tp::drivers
