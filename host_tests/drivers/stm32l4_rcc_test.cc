// STM32L4+ clock set-up against fake RCC, PWR and FLASH registers.
// Expected values from RM0432 (STM32L4+ reference manual):
//   RCC chapter, "RCC registers": RCC_CR (HSION bit 8, HSIRDY 10, PLLON 24,
//     PLLRDY 25; reset value 0x63: MSI on and ready at 4 MHz), RCC_CFGR (SW
//     1:0, SWS 3:2, HPRE 7:4 with 1000 = /2), RCC_PLLCFGR (PLLSRC 1:0 with 10 =
//     HSI16, PLLM 7:4 = M-1, PLLN 14:8, PLLREN 24, PLLR 26:25 with 00 = /2;
//     reset value 0x1000), RCC_APB1ENR1.PWREN bit 28, RCC_APB1ENR2.LPUART1EN
//     bit 0, RCC_CCIPR.LPUART1SEL 11:10 (10 = HSI16), RCC_AHB2ENR GPIOxEN.
//   PWR chapter, "Dynamic voltage scaling management" (range 1 boost above
//     80 MHz: AHB /2, clear R1MODE, wait states, switch, >= 1 us, AHB /1);
//     PWR_CR1.VOS 10:9 (01 = range 1, the reset value 0x200), PWR_SR2.VOSF
//     bit 10, PWR_CR5.R1MODE bit 8 (reset value 0x100), PWR_CR2.IOSV bit 9.
//   FLASH chapter, "Read access latency": range 1, 5 wait states for
//     100 MHz < HCLK <= 120 MHz; FLASH_ACR reset value 0x600 (ICEN, DCEN),
//     PRFTEN bit 8.
// The board's PLL: HSI16 16 MHz / M 2 = 8 MHz, x N 30 = VCO 240 MHz, / R 2 =
// 120 MHz, so RCC_PLLCFGR = 0x2 | (2-1) << 4 | 30 << 8 | 1 << 24 | 0 << 25
// = 0x01001E12.
#include <gtest/gtest.h>

#include <algorithm>

#include "fake_mmio.h"
#include "stm32l4_rcc.h"

namespace tp::drivers {
namespace {

using test::FakeRegs;
using test::mmio;
using test::MmioWrite;

constexpr Stm32l4PllConfig kBoardPll{.input_hz = 16'000'000, .m = 2, .n = 30, .r = 2};

class Stm32l4RccTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mmio().reset();
    rcc.at(0x00) = 0x00000063;  // RCC_CR reset value
    rcc.at(0x0C) = 0x00001000;  // RCC_PLLCFGR reset value
    pwr.at(0x00) = 0x00000200;  // PWR_CR1: range 1
    pwr.at(0x80) = 0x00000100;  // PWR_CR5: R1MODE = 1 (boost off)
    flash.at(0x00) = 0x00000600;
    // The hardware's answers: ready flags follow their enables, SWS follows SW.
    mmio().on_write = [this](uintptr_t a, uint32_t v) {
      if (a == rcc.addr(0x00)) {
        uint32_t cr = v & ~((1u << 10) | (1u << 25));
        if ((v & (1u << 8)) && hsi_works) cr |= 1u << 10;
        if ((v & (1u << 24)) && pll_locks) cr |= 1u << 25;
        rcc.at(0x00) = cr;
      }
      if (a == rcc.addr(0x08) && switch_works) rcc.at(0x08) = (v & ~0xCu) | ((v & 0x3u) << 2);
      if (a == flash.addr(0x00) && !latency_sticks) flash.at(0x00) = v & ~0xFu;
    };
    mmio().on_read = [this](uintptr_t a, uint32_t stored) -> uint32_t {
      if (a == pwr.addr(0x14)) return vosf_stuck ? (1u << 10) : 0;
      return stored;
    };
  }
  void TearDown() override { mmio().reset(); }

  Stm32l4Rcc make(uint32_t max_polls = 1000) {
    return Stm32l4Rcc{rcc.base(), pwr.base(), flash.base(), max_polls};
  }

  // Index of the first write of `value` (masked) to a register, or -1.
  int first_write(uintptr_t addr, uint32_t mask, uint32_t value) const {
    const auto& w = mmio().writes;
    for (std::size_t i = 0; i < w.size(); ++i) {
      if (w[i].addr == addr && (w[i].value & mask) == value) return static_cast<int>(i);
    }
    return -1;
  }
  std::vector<uint32_t> writes_to(uintptr_t addr) const {
    std::vector<uint32_t> out;
    for (const auto& w : mmio().writes) {
      if (w.addr == addr) out.push_back(w.value);
    }
    return out;
  }

  FakeRegs<40> rcc;
  FakeRegs<33> pwr;
  FakeRegs<2> flash;
  bool hsi_works = true, pll_locks = true, switch_works = true, vosf_stuck = false,
       latency_sticks = true;
};

TEST(Stm32l4PllConfig, BoardSettingsAreInRangeAndGive120MHz) {
  EXPECT_TRUE(kBoardPll.valid());
  EXPECT_EQ(kBoardPll.vco_input_hz(), 8'000'000u);
  EXPECT_EQ(kBoardPll.vco_hz(), 240'000'000u);
  EXPECT_EQ(kBoardPll.sysclk_hz(), 120'000'000u);
  EXPECT_EQ(Stm32l4Rcc::pllcfgr_for(kBoardPll), 0x01001E12u);
  // Outside the RM0432 limits: VCO input 1 MHz, VCO 360 MHz, 160 MHz out.
  EXPECT_FALSE((Stm32l4PllConfig{16'000'000, 16, 30, 2}.valid()));
  EXPECT_FALSE((Stm32l4PllConfig{16'000'000, 2, 45, 2}.valid()));
  EXPECT_FALSE((Stm32l4PllConfig{16'000'000, 2, 40, 2}.valid()));
  EXPECT_FALSE((Stm32l4PllConfig{16'000'000, 2, 30, 3}.valid()));
}

TEST(Stm32l4FlashLatency, OneWaitStatePerStarted20MHzInRange1) {
  EXPECT_EQ(Stm32l4Rcc::flash_latency_range1(4'000'000), 0u);
  EXPECT_EQ(Stm32l4Rcc::flash_latency_range1(20'000'000), 0u);
  EXPECT_EQ(Stm32l4Rcc::flash_latency_range1(20'000'001), 1u);
  EXPECT_EQ(Stm32l4Rcc::flash_latency_range1(80'000'000), 3u);
  EXPECT_EQ(Stm32l4Rcc::flash_latency_range1(100'000'000), 4u);
  EXPECT_EQ(Stm32l4Rcc::flash_latency_range1(120'000'000), 5u);
}

TEST_F(Stm32l4RccTest, BringsSysclkTo120MHzInTheManualsOrder) {
  auto r = make();
  ASSERT_EQ(r.start_pll_sysclk(kBoardPll), Stm32l4Rcc::Status::kOk);

  // End state.
  EXPECT_EQ(rcc.at(0x0C), 0x01001E12u);                    // PLLCFGR
  EXPECT_EQ(rcc.at(0x00) & 0x03000500u, 0x03000500u);      // HSI and PLL on and ready
  EXPECT_EQ(rcc.at(0x08), 0x0000000Fu);                    // SW = SWS = PLL, HPRE/PPRE1/PPRE2 = /1
  EXPECT_EQ(flash.at(0x00), 0x00000705u);                  // 5 WS, PRFTEN, ICEN, DCEN
  EXPECT_EQ(pwr.at(0x80) & (1u << 8), 0u);                 // range 1 boost
  EXPECT_EQ(pwr.at(0x00) & (3u << 9), 1u << 9);            // range 1
  EXPECT_EQ(rcc.at(0x58) & (1u << 28), 1u << 28);          // PWR clock on

  // Order (the boost procedure): PWR clock, HSI on, HCLK /2, R1MODE cleared,
  // wait states, PLL configured while off, PLL on, switch, HCLK /1.
  const int pwren = first_write(rcc.addr(0x58), 1u << 28, 1u << 28);
  const int hsion = first_write(rcc.addr(0x00), 1u << 8, 1u << 8);
  const int hpre2 = first_write(rcc.addr(0x08), 0xF0u, 0x80u);
  const int boost = first_write(pwr.addr(0x80), 1u << 8, 0);
  const int ws = first_write(flash.addr(0x00), 0xFu, 5u);
  const int pllcfg = first_write(rcc.addr(0x0C), ~0u, 0x01001E12u);
  const int pllon = first_write(rcc.addr(0x00), 1u << 24, 1u << 24);
  const int sw = first_write(rcc.addr(0x08), 0x3u, 0x3u);
  const int hpre1 = first_write(rcc.addr(0x08), 0xF3u, 0x03u);
  for (int i : {pwren, hsion, hpre2, boost, ws, pllcfg, pllon, sw, hpre1}) ASSERT_GE(i, 0);
  EXPECT_LT(pwren, boost);
  EXPECT_LT(hsion, pllon);
  EXPECT_LT(hpre2, boost);
  EXPECT_LT(boost, sw);
  EXPECT_LT(ws, sw);
  EXPECT_LT(pllcfg, pllon);
  EXPECT_LT(pllon, sw);
  EXPECT_LT(sw, hpre1);
  // PLLCFGR was written while PLLON was 0.
  const int plloff = first_write(rcc.addr(0x00), 1u << 24, 0);
  ASSERT_GE(plloff, 0);
  EXPECT_LT(plloff, pllcfg);
  // The switch keeps HCLK /2 and sets both APB prescalers to /1.
  EXPECT_EQ(mmio().writes[sw].value, 0x83u);
  // At least 1 us between the switch and HCLK /1: the driver's fixed count
  // of CFGR reads after it saw SWS = PLL.
  int reads_between = 0;
  bool after_switch = false;
  int writes_seen = 0;
  for (const auto& [kind, addr] : mmio().trace) {
    if (kind == 'w') {
      if (writes_seen == sw) after_switch = true;
      if (writes_seen == hpre1) break;
      ++writes_seen;
    } else if (after_switch && addr == rcc.addr(0x08)) {
      ++reads_between;
    }
  }
  EXPECT_GE(reads_between, static_cast<int>(Stm32l4Rcc::kOneMicrosecondReads));
}

TEST_F(Stm32l4RccTest, NoBoostDanceAt80MHz) {
  auto r = make();
  const Stm32l4PllConfig pll80{16'000'000, 2, 20, 2};  // VCO 160 MHz / 2
  ASSERT_EQ(r.start_pll_sysclk(pll80), Stm32l4Rcc::Status::kOk);
  EXPECT_EQ(flash.at(0x00) & 0xFu, 3u);
  EXPECT_EQ(pwr.at(0x80), 0x100u);  // R1MODE untouched: range 1 normal
  for (uint32_t v : writes_to(rcc.addr(0x08))) EXPECT_EQ(v & 0xF0u, 0u);  // HPRE never /2
}

TEST_F(Stm32l4RccTest, SelectsRange1WhenTheChipIsInRange2) {
  pwr.at(0x00) = 0x400;  // VOS = 10: range 2
  auto r = make();
  ASSERT_EQ(r.start_pll_sysclk(kBoardPll), Stm32l4Rcc::Status::kOk);
  EXPECT_EQ(writes_to(pwr.addr(0x00)), std::vector<uint32_t>{0x200u});
}

TEST_F(Stm32l4RccTest, PllThatNeverLocksIsReportedAndSysclkStaysPut) {
  pll_locks = false;
  auto r = make(50);
  EXPECT_EQ(r.start_pll_sysclk(kBoardPll), Stm32l4Rcc::Status::kPllLockTimeout);
  EXPECT_EQ(first_write(rcc.addr(0x08), 0x3u, 0x3u), -1);  // never switched to the PLL
  // The wait is bounded: 50 polls of RCC_CR while waiting for PLLRDY.
  EXPECT_LE(std::count(mmio().reads.begin(), mmio().reads.end(), rcc.addr(0x00)), 60);
}

TEST_F(Stm32l4RccTest, OtherStuckStatusBitsAreReportedByStep) {
  {
    hsi_works = false;
    auto r = make(20);
    EXPECT_EQ(r.start_pll_sysclk(kBoardPll), Stm32l4Rcc::Status::kHsiTimeout);
    hsi_works = true;
  }
  {
    vosf_stuck = true;
    auto r = make(20);
    EXPECT_EQ(r.start_pll_sysclk(kBoardPll), Stm32l4Rcc::Status::kVoltageTimeout);
    vosf_stuck = false;
  }
  {
    latency_sticks = false;  // LATENCY does not read back as written
    mmio().writes.clear();
    auto r = make(20);
    EXPECT_EQ(r.start_pll_sysclk(kBoardPll), Stm32l4Rcc::Status::kLatencyRejected);
    EXPECT_EQ(first_write(rcc.addr(0x00), 1u << 24, 1u << 24), -1);  // PLL never started
    latency_sticks = true;
  }
  {
    switch_works = false;
    auto r = make(20);
    EXPECT_EQ(r.start_pll_sysclk(kBoardPll), Stm32l4Rcc::Status::kSwitchTimeout);
  }
  EXPECT_EQ(make().start_pll_sysclk(Stm32l4PllConfig{16'000'000, 2, 45, 2}),
            Stm32l4Rcc::Status::kBadConfig);
}

TEST_F(Stm32l4RccTest, ReconfiguresAPllThatIsAlreadySysclk) {
  rcc.at(0x08) = 0x0000000F;  // a previous stage left SYSCLK on the PLL
  rcc.at(0x00) = 0x03000563;
  auto r = make();
  ASSERT_EQ(r.start_pll_sysclk(kBoardPll), Stm32l4Rcc::Status::kOk);
  const int to_hsi = first_write(rcc.addr(0x08), 0x3u, 0x1u);
  const int pllcfg = first_write(rcc.addr(0x0C), ~0u, 0x01001E12u);
  ASSERT_GE(to_hsi, 0);
  EXPECT_LT(to_hsi, pllcfg);
}

TEST_F(Stm32l4RccTest, PeripheralClocksForTheConsoleAndPins) {
  auto r = make();
  r.enable_gpio_ports(Stm32l4Rcc::ahb2_gpio_en(5) | Stm32l4Rcc::ahb2_gpio_en(6));
  EXPECT_EQ(rcc.at(0x4C), 0x60u);  // GPIOFEN bit 5, GPIOGEN bit 6
  r.enable_vddio2();
  EXPECT_EQ(rcc.at(0x58), 1u << 28);
  EXPECT_EQ(pwr.at(0x04), 1u << 9);  // IOSV
  EXPECT_LT(first_write(rcc.addr(0x58), 1u << 28, 1u << 28), first_write(pwr.addr(0x04), 1u << 9, 1u << 9));
  rcc.at(0x88) = 0x00000C00;  // LPUART1SEL = LSE before
  r.enable_lpuart1_on_hsi16();
  EXPECT_EQ(rcc.at(0x88), 0x00000800u);  // LPUART1SEL = 10: HSI16
  EXPECT_EQ(rcc.at(0x5C), 1u);           // LPUART1EN
}

}  // namespace
}  // namespace tp::drivers
