// The kernel's one-shot alarm on STIMER compare A, on the same 3 MHz
// counter that gives the board's Clock (Apollo3StimerClock), so the alarm
// and the Clock agree. Compare A has its own interrupt line, STIMER_CMPR0
// (IRQ 23); the Clock's overflow stays on STIMER (IRQ 22).
//
// Apollo3 Blue datasheet, "System Timer"; Ambiq's apollo3.h (CTIMER_Type)
// and the SDK's am_hal_stimer.c: STCFG 0x140 (COMPARE_A_EN bit 8), STTMR
// 0x144, SCMPR0 0x150 (compare A: a write gives the number of ticks from
// now, the hardware adds the counter; a read gives the counter value that
// will match), STMINTEN 0x300 / STMINTSTAT 0x304 / STMINTCLR 0x308
// (COMPAREA bit 0, OVERFLOW bit 8). STIMER_CMPR0_IRQn = 23.
#pragma once

#include <cstdint>

#include "tinyperf/drivers/interfaces.h"
#include "tinyperf/drivers/mmio.h"

namespace tp::drivers {

class Apollo3StimerAlarm final : public Alarm {
 public:
  static constexpr uint32_t kStcfg = 0x140, kSttmr = 0x144, kScmpr0 = 0x150;
  static constexpr uint32_t kStmIntEn = 0x300, kStmIntClr = 0x308;
  static constexpr uint32_t kStcfgCompareAEn = 1u << 8;
  static constexpr uint32_t kIntCompareA = 1u << 0;
  static constexpr uint32_t kTicksPerMicrosecond = 3;
  // Nearest delta written (the SDK asks for more than 1 tick): 1 us.
  static constexpr uint32_t kMinTicks = 3;
  // Farthest: half the counter's range, then re-armed.
  static constexpr uint32_t kMaxTicks = 0x80000000u;

  constexpr Apollo3StimerAlarm(uintptr_t ctimer_base, int irq) : regs_(ctimer_base), irq_(irq) {}

  // After the Clock's init (the counter runs).
  void init() { stop(); }
  bool arm(uint64_t at, uint64_t now) override;
  void stop() override;
  int irq() const override { return irq_; }
  // STIMER_CMPR0 interrupt (its own line): one shot, then the handler.
  void on_interrupt();

 private:
  mmio::Block regs_;
  int irq_;
};

}  // namespace tp::drivers
