// Cortex-M SysTick as a 64-bit microsecond clock: the 24-bit down-counter
// runs at full period and its wrap interrupt extends it in software.
// Registers: Armv7-M / Armv8-M Architecture Reference Manual, "The system
// timer, SysTick" (SYST_CSR/RVR/CVR at 0xE000E010) and ICSR.PENDSTSET.
#pragma once

#include <cstdint>

#include "tinyperf/drivers/interfaces.h"
#include "tinyperf/drivers/mmio.h"

namespace tp::drivers {

class SysTickClock final : public Clock {
 public:
  static constexpr uintptr_t kSysTickBase = 0xE000E010;
  static constexpr uintptr_t kIcsr = 0xE000ED04;
  static constexpr uint32_t kCsr = 0x0, kRvr = 0x4, kCvr = 0x8;
  static constexpr uint32_t kCsrEnable = 1u << 0;
  static constexpr uint32_t kCsrTickInt = 1u << 1;
  static constexpr uint32_t kCsrClkSource = 1u << 2;  // 1: processor clock
  static constexpr uint32_t kIcsrPendStSet = 1u << 26;
  static constexpr uint32_t kIcsrPendStClr = 1u << 25;
  static constexpr uint32_t kReload = 0x00FFFFFF;
  static constexpr uint64_t kPeriod = uint64_t{kReload} + 1;

  // clock_hz: the frequency SysTick counts at with the chosen source.
  constexpr SysTickClock(uintptr_t base, uintptr_t icsr, uint32_t clock_hz,
                         bool processor_clock)
      : regs_(base), icsr_(icsr), clock_hz_(clock_hz), processor_clock_(processor_clock) {}

  void init();
  uint64_t ticks();
  uint64_t micros() override;
  void on_interrupt() { wraps_ = wraps_ + 1; }

 private:
  mmio::Block regs_;
  uintptr_t icsr_;
  uint32_t clock_hz_;
  bool processor_clock_;
  volatile uint64_t wraps_ = 0;
};

}  // namespace tp::drivers
