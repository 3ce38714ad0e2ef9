// STM32L4/L4+ independent watchdog (IWDG) and the reset cause the RCC keeps
// (RCC_CSR), both through the mmio layer, host-tested on fake registers
// (host_tests/drivers/stm32_iwdg_test.cc).
//
// IWDG (RM0432, STM32L4+ reference manual, chapter "Independent watchdog
// (IWDG)"; ST's stm32l4r5xx.h IWDG_TypeDef and IWDG_BASE =
// APB1PERIPH_BASE + 0x3000): base 0x40003000; KR 0x00 (keys: 0xCCCC starts
// the watchdog and forces the LSI on, 0x5555 unlocks PR/RLR/WINR, 0xAAAA
// reloads the counter and locks them again), PR 0x04 (PR[2:0]: divider
// 4 << PR, 0 = /4 ... 6 = /256), RLR 0x08 (RL[11:0], reset 0xFFF), SR 0x0C
// (PVU bit 0, RVU bit 1, WVU bit 2: an update still crossing into the LSI
// domain), WINR 0x10 (reset 0xFFF = no window; left so). Once started it
// cannot be stopped short of a reset; it keeps counting in Sleep (WFI), so
// the idle path must be woken well within the timeout (the board's SysTick
// wraps every 0.14 s at 120 MHz). The counter runs (RL + 1) LSI ticks of
// the divided clock: timeout = 4 << PR x (RL + 1) / f_LSI (RM0432's
// "min/max IWDG timeout period" table: /4 with RL 0 is one 0.125 ms tick at
// 32 kHz). The procedure of RM0432 "Software watchdog mode" / "Register
// access protection": 0xCCCC, 0x5555, PR, RL, wait for SR = 0, 0xAAAA.
// LSI: 32 kHz typical (STM32L4R5xx datasheet, "Low-speed internal (LSI) RC
// oscillator": 29.5 to 34 kHz), so the real timeout is within -6 % / +8 %
// of the nominal one. Under a debugger the IWDG would keep counting while
// the core is halted: DBGMCU_APB1FZR1 (DBGMCU base 0xE0042000, offset 0x08;
// stm32l4r5xx.h DBGMCU_TypeDef) bit 12 DBG_IWDG_STOP freezes it then, and
// has no effect without a debugger.
//
// Reset cause: RCC_CSR at RCC base 0x40021000 + 0x94 (stm32l4r5xx.h
// RCC_TypeDef, CSR "Address offset: 0x94"; RM0432 "RCC control/status
// register (RCC_CSR)"): RMVF bit 23 (write 1: clear every flag), FWRSTF 24
// (firewall), OBLRSTF 25 (option-byte load), PINRSTF 26 (NRST pin; also set
// by every internal reset, which drives NRST low), BORRSTF 27 (brown-out,
// including power-on), SFTRSTF 28 (SYSRESETREQ), IWDGRSTF 29, WWDGRSTF 30,
// LPWRRSTF 31 (illegal Stop/Standby entry). The flags stay set until RMVF,
// so they are read once at boot and cleared at once (a later power-on
// would otherwise still say watchdog).
#pragma once

#include <cstdint>

#include "tinyperf/drivers/interfaces.h"
#include "tinyperf/drivers/mmio.h"

namespace tp::drivers {

class Stm32Iwdg final : public Watchdog {
 public:
  static constexpr uintptr_t kIwdgBase = 0x40003000;
  static constexpr uint32_t kKr = 0x00, kPr = 0x04, kRlr = 0x08, kSr = 0x0C, kWinr = 0x10;
  static constexpr uint32_t kKeyStart = 0xCCCC, kKeyUnlock = 0x5555, kKeyReload = 0xAAAA;
  static constexpr uint32_t kSrBusy = 0x7;  // PVU | RVU | WVU
  static constexpr uint32_t kMaxReload = 0xFFF;
  static constexpr uint32_t kMaxPrescalerCode = 6;  // /256
  static constexpr uint32_t kLsiHz = 32'000;
  static constexpr uintptr_t kDbgmcuBase = 0xE0042000;
  static constexpr uint32_t kDbgmcuApb1Fzr1 = 0x08, kDbgIwdgStop = 1u << 12;

  // `timeout_ms` from a feed to the reset, at the LSI's typical frequency;
  // the smallest divider whose 12-bit reload holds it (best resolution).
  // An SR update wait gives up after max_polls reads (an LSI that never
  // runs); the watchdog is then started all the same.
  constexpr Stm32Iwdg(uintptr_t base, uint32_t timeout_ms, uint32_t lsi_hz = kLsiHz, uint32_t max_polls = 100'000)
      : regs_(base),
        lsi_hz_(lsi_hz),
        max_polls_(max_polls),
        pr_(prescaler_for(timeout_ms, lsi_hz)),
        rl_(reload_for(timeout_ms, lsi_hz, pr_)) {}

  void start() override;
  void feed() override { regs_.write(kKr, kKeyReload); }
  uint32_t timeout_ms() const override {
    return static_cast<uint32_t>(uint64_t{4} << pr_) * (rl_ + 1) * 1000ull / lsi_hz_;
  }

  // Sets DBG_IWDG_STOP (read-modify-write: the register freezes other
  // timers too).
  static void freeze_when_halted(uintptr_t dbgmcu_base) { mmio::set_bits(dbgmcu_base + kDbgmcuApb1Fzr1, kDbgIwdgStop); }

  uint32_t prescaler_code() const { return pr_; }
  uint32_t reload_value() const { return rl_; }
  // False when start() gave up waiting for SR to clear.
  bool updates_confirmed() const { return confirmed_; }

  static constexpr uint64_t ticks_for(uint32_t timeout_ms, uint32_t lsi_hz, uint32_t pr) {
    return uint64_t{timeout_ms} * lsi_hz / 1000 / (uint64_t{4} << pr);
  }
  static constexpr uint32_t prescaler_for(uint32_t timeout_ms, uint32_t lsi_hz) {
    uint32_t pr = 0;
    while (pr < kMaxPrescalerCode && ticks_for(timeout_ms, lsi_hz, pr) > kMaxReload + 1) ++pr;
    return pr;
  }
  static constexpr uint32_t reload_for(uint32_t timeout_ms, uint32_t lsi_hz, uint32_t pr) {
    const uint64_t ticks = ticks_for(timeout_ms, lsi_hz, pr);
    if (ticks == 0) return 0;
    return static_cast<uint32_t>(ticks > kMaxReload + 1 ? kMaxReload : ticks - 1);
  }

 private:
  mmio::Block regs_;
  uint32_t lsi_hz_;
  uint32_t max_polls_;
  uint32_t pr_;
  uint32_t rl_;
  bool confirmed_ = false;
};

// The reset cause RCC_CSR holds, read and cleared once at boot.
class Stm32ResetCause {
 public:
  static constexpr uintptr_t kRccBase = 0x40021000;
  static constexpr uint32_t kCsr = 0x94;
  static constexpr uint32_t kRmvf = 1u << 23;
  static constexpr uint32_t kFwRstf = 1u << 24, kOblRstf = 1u << 25, kPinRstf = 1u << 26, kBorRstf = 1u << 27;
  static constexpr uint32_t kSftRstf = 1u << 28, kIwdgRstf = 1u << 29, kWwdgRstf = 1u << 30, kLpwrRstf = 1u << 31;

  constexpr explicit Stm32ResetCause(uintptr_t rcc_base) : regs_(rcc_base) {}

  // The flags' meaning, the most telling first: "watchdog", "software",
  // "low-power", "firewall", "option-bytes", "pin"; nullptr for a power-on
  // or brown-out (BORRSTF) and when no flag is set.
  static const char* decode(uint32_t csr);
  static bool power_on(uint32_t csr) { return (csr & kBorRstf) != 0; }
  // Reads RCC_CSR, clears its flags (RMVF), and names the cause. A cause
  // the firmware recorded itself before the reset (`recorded`: "fault",
  // from arch/common/reset_cause.h) wins over the chip's (a fault that
  // then starves the watchdog stays a fault), except after a power-on.
  const char* take(const char* recorded) const;

 private:
  mmio::Block regs_;
};

}  // namespace tp::drivers
