// SysTick clock against fake registers. Armv7-M ARM B3.3 "The system timer,
// SysTick": CSR 0x0 (bit0 ENABLE, bit1 TICKINT, bit2 CLKSOURCE), RVR 0x4,
// CVR 0x8 (24-bit down counter); ICSR bit 26 PENDSTSET.
#include <gtest/gtest.h>

#include "fake_mmio.h"
#include "systick_clock.h"

namespace tp::drivers {
namespace {

using test::FakeRegs;
using test::mmio;
using test::MmioWrite;

class SysTickTest : public ::testing::Test {
 protected:
  void SetUp() override { mmio().reset(); }
  void TearDown() override { mmio().reset(); }
  FakeRegs<4> st;
  FakeRegs<1> icsr;
};

TEST_F(SysTickTest, InitRunsFullPeriodWithInterruptOnProcessorClock) {
  SysTickClock clk(st.base(), icsr.base(), 25'000'000, true);
  clk.init();
  const std::vector<MmioWrite> expected = {
      {st.addr(0x0), 0},           // stop
      {st.addr(0x4), 0x00FFFFFF},  // reload: the whole 24 bits
      {st.addr(0x8), 0},           // clear the counter
      {st.addr(0x0), 0x7},         // ENABLE | TICKINT | CLKSOURCE
  };
  EXPECT_EQ(mmio().writes, expected);
}

TEST_F(SysTickTest, ReferenceClockLeavesClkSourceClear) {
  SysTickClock clk(st.base(), icsr.base(), 1'000'000, false);
  clk.init();
  EXPECT_EQ(st.at(0x0), 0x3u);
}

TEST_F(SysTickTest, CountsDownWithinAPeriodAndAcrossWraps) {
  SysTickClock clk(st.base(), icsr.base(), 25'000'000, true);
  clk.init();
  st.at(0x8) = 0x00FFFFFF;
  EXPECT_EQ(clk.ticks(), 0u);
  st.at(0x8) = 0x00FFFFFF - 2500;
  EXPECT_EQ(clk.ticks(), 2500u);
  EXPECT_EQ(clk.micros(), 100u);  // 25 ticks per microsecond
  clk.on_interrupt();
  clk.on_interrupt();
  st.at(0x8) = 0x00FFFFFF - 25;
  EXPECT_EQ(clk.ticks(), 2 * 0x1000000ull + 25);
  EXPECT_EQ(clk.micros(), (2 * 0x1000000ull + 25) / 25);
}

TEST_F(SysTickTest, CountsAWrapWhoseInterruptIsStillPending) {
  SysTickClock clk(st.base(), icsr.base(), 25'000'000, true);
  clk.init();
  icsr.at(0) = 1u << 26;  // PENDSTSET: wrapped, handler not run yet
  st.at(0x8) = 0x00FFFFFF - 10;
  EXPECT_EQ(clk.ticks(), 0x1000000ull + 10);
}

TEST_F(SysTickTest, MicrosecondsDoNotWrapAt32Bits) {
  SysTickClock clk(st.base(), icsr.base(), 32'000'000, true);
  clk.init();
  for (int i = 0; i < 300000; ++i) clk.on_interrupt();  // ~157 s of wraps at 32 MHz
  st.at(0x8) = 0x00FFFFFF;
  const uint64_t expect_us = 300000ull * 0x1000000ull / 32;
  EXPECT_EQ(clk.micros(), expect_us);
  EXPECT_GT(clk.micros(), 0xFFFFFFFFull);
}

TEST_F(SysTickTest, NonIntegerMegahertzClock) {
  SysTickClock clk(st.base(), icsr.base(), 12'500'000, true);
  clk.init();
  st.at(0x8) = 0x00FFFFFF - 125;
  EXPECT_EQ(clk.micros(), 10u);
}

}  // namespace
}  // namespace tp::drivers
