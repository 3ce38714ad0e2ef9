// The kernel's one-shot alarm on a 32-bit STM32 general-purpose timer (TIM2
// or TIM5 of the STM32L4): free-running at 1 MHz, compare channel 1 armed
// at counter + delay. The board's Clock is SysTick on the same PLL, so the
// two agree in rate; the alarm takes the delay from the Clock's `now`.
//
// RM0432 (STM32L4+), "General-purpose timers (TIM2/TIM3/TIM4/TIM5)" and
// ST's stm32l4r5xx.h: CR1 0x00 (CEN bit 0), DIER 0x0C (CC1IE bit 1), SR 0x10
// (CC1IF bit 1, rc_w0), EGR 0x14 (UG bit 0: loads PSC), CCMR1 0x18 (0:
// channel 1 output compare, frozen: a match only sets CC1IF), CNT 0x24,
// PSC 0x28, ARR 0x2C, CCR1 0x34. TIM2 at 0x40000000, TIM2_IRQn = 28, clock
// enable RCC_APB1ENR1 (RCC 0x40021000 + 0x58) bit 0 (TIM2EN).
#pragma once

#include <cstdint>

#include "tinyperf/drivers/interfaces.h"
#include "tinyperf/drivers/mmio.h"

namespace tp::drivers {

class Stm32TimAlarm final : public Alarm {
 public:
  static constexpr uintptr_t kTim2Base = 0x40000000;
  static constexpr uintptr_t kRccApb1Enr1 = 0x40021000 + 0x58;
  static constexpr uint32_t kRccTim2En = 1u << 0;
  static constexpr uint32_t kCr1 = 0x00, kDier = 0x0C, kSr = 0x10, kEgr = 0x14, kCcmr1 = 0x18;
  static constexpr uint32_t kCnt = 0x24, kPsc = 0x28, kArr = 0x2C, kCcr1 = 0x34;
  static constexpr uint32_t kCr1Cen = 1u << 0, kCc1 = 1u << 1, kEgrUg = 1u << 0;
  static constexpr uint64_t kMinDelta = 2;                 // ticks (us)
  static constexpr uint64_t kMaxDelta = uint64_t{1} << 31;  // then re-armed

  constexpr Stm32TimAlarm(uintptr_t base, int irq, uintptr_t rcc_enable_reg, uint32_t rcc_enable_bit)
      : regs_(base), irq_(irq), rcc_enr_(rcc_enable_reg), rcc_bit_(rcc_enable_bit) {}

  // timer_clock_hz: the timer's kernel clock (APB1 undivided: SYSCLK), a
  // whole number of MHz.
  void init(uint32_t timer_clock_hz);
  bool arm(uint64_t at, uint64_t now) override;
  void stop() override;
  int irq() const override { return irq_; }
  // The timer's interrupt (its own line): one shot, then the handler.
  void on_interrupt();

 private:
  mmio::Block regs_;
  int irq_;
  uintptr_t rcc_enr_;
  uint32_t rcc_bit_;
};

}  // namespace tp::drivers
