// STM32L4+ clock tree, voltage scaling and flash wait states (RCC, PWR and
// FLASH registers): brings SYSCLK from the reset clock (MSI 4 MHz) to the
// main PLL fed by HSI16, and turns on the peripheral clocks a board needs.
//
// Sources: RM0432 (STM32L4+ reference manual)
//   - RCC chapter, "RCC registers": RCC_CR 0x00 (MSION/MSIRDY bits 0/1,
//     HSION bit 8, HSIRDY bit 10, PLLON bit 24, PLLRDY bit 25), RCC_CFGR 0x08
//     (SW bits 1:0, SWS bits 3:2, HPRE bits 7:4 with 1000 = /2, PPRE1 bits
//     10:8, PPRE2 bits 13:11), RCC_PLLCFGR 0x0C (PLLSRC bits 1:0 with
//     10 = HSI16, PLLM bits 7:4 = M-1, PLLN bits 14:8, PLLREN bit 24, PLLR
//     bits 26:25 with 00 = /2, 01 = /4, 10 = /6, 11 = /8), RCC_AHB2ENR 0x4C,
//     RCC_APB1ENR1 0x58 (PWREN bit 28), RCC_APB1ENR2 0x5C (LPUART1EN bit 0),
//     RCC_CCIPR 0x88 (LPUART1SEL bits 11:10, 10 = HSI16);
//   - PWR chapter, "Dynamic voltage scaling management": VOS in PWR_CR1 0x00
//     (bits 10:9, 01 = range 1), VOSF in PWR_SR2 0x14 (bit 10), R1MODE in
//     PWR_CR5 0x80 (bit 8, 0 = range 1 boost, required above 80 MHz), and the
//     boost switch procedure: AHB prescaler /2 first, clear R1MODE, raise the
//     flash wait states, switch, wait at least 1 us, AHB prescaler back to /1;
//     IOSV in PWR_CR2 0x04 (bit 9) validates VDDIO2, which port G pins
//     PG[15:2] need;
//   - FLASH chapter, "Read access latency": FLASH_ACR 0x00 (LATENCY bits 3:0,
//     PRFTEN bit 8, ICEN bit 9, DCEN bit 10); in range 1 one wait state per
//     started 20 MHz of HCLK (5 WS up to 120 MHz), and the new LATENCY must
//     be read back before the clock goes up.
// The same addresses and bits are in ST's stm32l4r5xx.h.
//
// Every wait on a status bit is bounded by max_polls reads; a wait that runs
// out returns a Status naming the step, leaving the clock as it was then.
#pragma once

#include <cstdint>

#include "tinyperf/drivers/mmio.h"

namespace tp::drivers {

struct Stm32l4PllConfig {
  uint32_t input_hz;  // PLL source (HSI16: 16 MHz)
  uint32_t m;         // 1..16
  uint32_t n;         // 8..127
  uint32_t r;         // 2, 4, 6 or 8
  constexpr uint32_t vco_input_hz() const { return input_hz / m; }
  constexpr uint32_t vco_hz() const { return vco_input_hz() * n; }
  constexpr uint32_t sysclk_hz() const { return vco_hz() / r; }
  // RM0432 RCC_PLLCFGR limits: VCO input 2.66..16 MHz, VCO output
  // 64..344 MHz, PLLR output at most 120 MHz.
  constexpr bool valid() const {
    return m >= 1 && m <= 16 && n >= 8 && n <= 127 && (r == 2 || r == 4 || r == 6 || r == 8) &&
           vco_input_hz() >= 2'660'000 && vco_input_hz() <= 16'000'000 && vco_hz() >= 64'000'000 &&
           vco_hz() <= 344'000'000 && sysclk_hz() <= 120'000'000;
  }
};

class Stm32l4Rcc {
 public:
  static constexpr uintptr_t kRccBase = 0x40021000;
  static constexpr uintptr_t kPwrBase = 0x40007000;
  static constexpr uintptr_t kFlashBase = 0x40022000;

  // RCC
  static constexpr uint32_t kCr = 0x00, kCfgr = 0x08, kPllCfgr = 0x0C;
  static constexpr uint32_t kAhb2Enr = 0x4C, kApb1Enr1 = 0x58, kApb1Enr2 = 0x5C, kCcipr = 0x88;
  static constexpr uint32_t kCrHsiOn = 1u << 8, kCrHsiRdy = 1u << 10;
  static constexpr uint32_t kCrPllOn = 1u << 24, kCrPllRdy = 1u << 25;
  static constexpr uint32_t kCfgrSwMask = 0x3u, kCfgrSwHsi16 = 0x1u, kCfgrSwPll = 0x3u;
  static constexpr uint32_t kCfgrSwsMask = 0x3u << 2, kCfgrSwsHsi16 = 0x1u << 2, kCfgrSwsPll = 0x3u << 2;
  static constexpr uint32_t kCfgrHpreMask = 0xFu << 4, kCfgrHpreDiv2 = 0x8u << 4;
  static constexpr uint32_t kCfgrPpre1Mask = 0x7u << 8, kCfgrPpre2Mask = 0x7u << 11;
  static constexpr uint32_t kPllSrcHsi16 = 0x2u;
  static constexpr uint32_t kPllREn = 1u << 24;
  static constexpr uint32_t kApb1Enr1PwrEn = 1u << 28;
  static constexpr uint32_t kApb1Enr2Lpuart1En = 1u << 0;
  static constexpr uint32_t kCciprLpuart1SelMask = 0x3u << 10, kCciprLpuart1SelHsi16 = 0x2u << 10;
  static constexpr uint32_t ahb2_gpio_en(uint32_t port) { return 1u << port; }  // A=0 ... I=8

  // PWR
  static constexpr uint32_t kPwrCr1 = 0x00, kPwrCr2 = 0x04, kPwrSr2 = 0x14, kPwrCr5 = 0x80;
  static constexpr uint32_t kVosMask = 0x3u << 9, kVosRange1 = 0x1u << 9;
  static constexpr uint32_t kSr2Vosf = 1u << 10;
  static constexpr uint32_t kCr5R1Mode = 1u << 8;
  static constexpr uint32_t kCr2Iosv = 1u << 9;

  // FLASH
  static constexpr uint32_t kAcr = 0x00;
  static constexpr uint32_t kAcrLatencyMask = 0xFu;
  static constexpr uint32_t kAcrPrften = 1u << 8, kAcrIcen = 1u << 9, kAcrDcen = 1u << 10;

  static constexpr uint32_t kBoostAboveHz = 80'000'000;
  // Reads of RCC_CFGR that take at least 1 us even at HCLK = 120 MHz / 2.
  static constexpr uint32_t kOneMicrosecondReads = 64;

  enum class Status {
    kOk,
    kBadConfig,        // PLL settings outside RM0432 limits
    kHsiTimeout,       // HSIRDY never set
    kVoltageTimeout,   // VOSF never cleared after selecting range 1
    kLatencyRejected,  // FLASH_ACR.LATENCY did not read back
    kPllStopTimeout,   // PLLRDY never cleared after PLLON = 0
    kPllLockTimeout,   // PLLRDY never set
    kSwitchTimeout,    // SWS never reported the PLL
  };

  // Flash wait states for HCLK in range 1 (RM0432 "Read access latency").
  static constexpr uint32_t flash_latency_range1(uint32_t hclk_hz) {
    return hclk_hz == 0 ? 0 : (hclk_hz - 1) / 20'000'000;
  }

  // Value of RCC_PLLCFGR for a PLL fed by HSI16 with only the R output on.
  static constexpr uint32_t pllcfgr_for(const Stm32l4PllConfig& c) {
    return kPllSrcHsi16 | ((c.m - 1) << 4) | (c.n << 8) | kPllREn | ((c.r / 2 - 1) << 25);
  }

  constexpr Stm32l4Rcc(uintptr_t rcc, uintptr_t pwr, uintptr_t flash, uint32_t max_polls = 100'000)
      : rcc_(rcc), pwr_(pwr), flash_(flash), max_polls_(max_polls) {}

  // SYSCLK = HCLK = PCLK1 = PCLK2 = the PLL's R output, with the voltage
  // range, boost mode and flash wait states the frequency needs.
  Status start_pll_sysclk(const Stm32l4PllConfig& pll);

  // Peripheral clocks. Each enable is read back: RM0432 "RCC registers"
  // requires a delay between enabling a clock and using the peripheral.
  void enable_gpio_ports(uint32_t ahb2_mask) const;
  // VDDIO2 valid (PWR_CR2.IOSV): needs the PWR clock (enabled here too).
  void enable_vddio2() const;
  // LPUART1 kernel clock = HSI16, bus clock on.
  void enable_lpuart1_on_hsi16() const;

 private:
  bool wait(const mmio::Block& b, uint32_t off, uint32_t mask, uint32_t value) const;
  void enable_pwr_clock() const;

  mmio::Block rcc_;
  mmio::Block pwr_;
  mmio::Block flash_;
  uint32_t max_polls_;
};

}  // namespace tp::drivers
