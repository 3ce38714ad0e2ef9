#include "stm32l4_rcc.h"

namespace tp::drivers {

bool Stm32l4Rcc::wait(const mmio::Block& b, uint32_t off, uint32_t mask, uint32_t value) const {
  for (uint32_t i = 0; i < max_polls_; ++i) {
    if ((b.read(off) & mask) == value) return true;
  }
  return false;
}

void Stm32l4Rcc::enable_pwr_clock() const {
  rcc_.set(kApb1Enr1, kApb1Enr1PwrEn);
  (void)rcc_.read(kApb1Enr1);
}

Stm32l4Rcc::Status Stm32l4Rcc::start_pll_sysclk(const Stm32l4PllConfig& pll) {
  if (!pll.valid()) return Status::kBadConfig;
  const uint32_t hz = pll.sysclk_hz();
  const bool boost = hz > kBoostAboveHz;

  // 1. PWR registers need their bus clock; HSI16 feeds the PLL.
  enable_pwr_clock();
  rcc_.set(kCr, kCrHsiOn);
  if (!wait(rcc_, kCr, kCrHsiRdy, kCrHsiRdy)) return Status::kHsiTimeout;

  // 2. Voltage range 1 (the reset value; set again in case a previous stage
  //    chose range 2) and wait for the regulator to settle.
  if ((pwr_.read(kPwrCr1) & kVosMask) != kVosRange1) {
    pwr_.write(kPwrCr1, (pwr_.read(kPwrCr1) & ~kVosMask) | kVosRange1);
  }
  if (!wait(pwr_, kPwrSr2, kSr2Vosf, 0)) return Status::kVoltageTimeout;

  // 3. Above 80 MHz: HCLK = SYSCLK / 2 before the switch, then range 1 boost.
  if (boost) {
    rcc_.write(kCfgr, (rcc_.read(kCfgr) & ~kCfgrHpreMask) | kCfgrHpreDiv2);
    pwr_.clear(kPwrCr5, kCr5R1Mode);
  }

  // 4. Wait states for the target HCLK, read back before the clock goes up.
  const uint32_t latency = flash_latency_range1(hz);
  flash_.write(kAcr, (flash_.read(kAcr) & ~kAcrLatencyMask) | latency | kAcrPrften | kAcrIcen |
                         kAcrDcen);
  if (!wait(flash_, kAcr, kAcrLatencyMask, latency)) return Status::kLatencyRejected;

  // 5. The PLL may only be reconfigured while it is off (and not SYSCLK).
  if ((rcc_.read(kCfgr) & kCfgrSwsMask) == kCfgrSwsPll) {
    rcc_.write(kCfgr, (rcc_.read(kCfgr) & ~kCfgrSwMask) | kCfgrSwHsi16);
    if (!wait(rcc_, kCfgr, kCfgrSwsMask, kCfgrSwsHsi16)) return Status::kSwitchTimeout;
  }
  rcc_.clear(kCr, kCrPllOn);
  if (!wait(rcc_, kCr, kCrPllRdy, 0)) return Status::kPllStopTimeout;
  rcc_.write(kPllCfgr, pllcfgr_for(pll));
  rcc_.set(kCr, kCrPllOn);
  if (!wait(rcc_, kCr, kCrPllRdy, kCrPllRdy)) return Status::kPllLockTimeout;

  // 6. Switch SYSCLK to the PLL; APB1 and APB2 undivided.
  rcc_.write(kCfgr, (rcc_.read(kCfgr) & ~(kCfgrSwMask | kCfgrPpre1Mask | kCfgrPpre2Mask)) | kCfgrSwPll);
  if (!wait(rcc_, kCfgr, kCfgrSwsMask, kCfgrSwsPll)) return Status::kSwitchTimeout;

  // 7. At least 1 us at the halved HCLK, then HCLK = SYSCLK.
  if (boost) {
    for (uint32_t i = 0; i < kOneMicrosecondReads; ++i) (void)rcc_.read(kCfgr);
    rcc_.write(kCfgr, rcc_.read(kCfgr) & ~kCfgrHpreMask);
  }
  return Status::kOk;
}

void Stm32l4Rcc::enable_gpio_ports(uint32_t ahb2_mask) const {
  rcc_.set(kAhb2Enr, ahb2_mask);
  (void)rcc_.read(kAhb2Enr);
}

void Stm32l4Rcc::enable_vddio2() const {
  enable_pwr_clock();
  pwr_.set(kPwrCr2, kCr2Iosv);
}

void Stm32l4Rcc::enable_lpuart1_on_hsi16() const {
  rcc_.write(kCcipr, (rcc_.read(kCcipr) & ~kCciprLpuart1SelMask) | kCciprLpuart1SelHsi16);
  rcc_.set(kApb1Enr2, kApb1Enr2Lpuart1En);
  (void)rcc_.read(kApb1Enr2);
}

}  // namespace tp::drivers
