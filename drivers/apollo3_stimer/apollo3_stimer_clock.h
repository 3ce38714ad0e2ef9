// Ambiq Apollo3 system timer (STIMER) as a 64-bit microsecond clock: the
// 32-bit counter runs at 3 MHz from HFRC / 16 (independent of the core
// clock, so burst mode does not change it, and it keeps counting while the
// core sleeps), wraps every 23.9 minutes, and its overflow interrupt
// extends it in software.
//
// Sources: Apollo3 Blue MCU datasheet, chapter "Counter/Timer Module",
// section "System Timer"; offsets and bits as in Ambiq's apollo3.h
// (CTIMER_Type: STCFG, STTMR, STMINTEN/STAT/CLR) and the SDK's
// am_hal_stimer.c:
//   CTIMER base 0x40008000; STCFG 0x140 (CLKSEL bits 3:0 with 1 =
//   HFRC_DIV16 = 3 MHz, CLEAR bit 30, FREEZE bit 31), STTMR 0x144 (counter),
//   STMINTEN 0x300, STMINTSTAT 0x304, STMINTCLR 0x308 (OVERFLOW bit 8).
//   STIMER interrupt: IRQ 22 (STIMER_IRQn).
#pragma once

#include <cstdint>

#include "tinyperf/drivers/interfaces.h"
#include "tinyperf/drivers/mmio.h"

namespace tp::drivers {

class Apollo3StimerClock final : public Clock {
 public:
  static constexpr uintptr_t kCtimerBase = 0x40008000;
  static constexpr uint32_t kStcfg = 0x140, kSttmr = 0x144;
  static constexpr uint32_t kStmIntEn = 0x300, kStmIntStat = 0x304, kStmIntClr = 0x308;
  static constexpr uint32_t kClkselHfrcDiv16 = 1;
  static constexpr uint32_t kStcfgClear = 1u << 30, kStcfgFreeze = 1u << 31;
  static constexpr uint32_t kIntOverflow = 1u << 8;
  static constexpr uint32_t kTicksPerMicrosecond = 3;  // 48 MHz / 16
  static constexpr uint64_t kPeriod = uint64_t{1} << 32;

  constexpr explicit Apollo3StimerClock(uintptr_t base) : regs_(base) {}

  void init();
  uint64_t ticks();
  uint64_t micros() override { return ticks() / kTicksPerMicrosecond; }
  void on_interrupt();

 private:
  mmio::Block regs_;
  volatile uint64_t wraps_ = 0;
};

}  // namespace tp::drivers
