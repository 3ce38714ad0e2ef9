// Apollo3 STIMER as a 64-bit microsecond clock, against fake registers.
// Apollo3 Blue datasheet "Counter/Timer Module", "System Timer"; apollo3.h
// CTIMER_Type: STCFG 0x140 (CLKSEL 3:0 with 1 = HFRC_DIV16 = 3 MHz, CLEAR
// bit 30, FREEZE bit 31), STTMR 0x144, STMINTEN 0x300, STMINTSTAT 0x304,
// STMINTCLR 0x308 (OVERFLOW bit 8).
#include <gtest/gtest.h>

#include <deque>

#include "apollo3_stimer_clock.h"
#include "fake_mmio.h"

namespace tp::drivers {
namespace {

using test::FakeRegs;
using test::mmio;
using test::MmioWrite;
using C = Apollo3StimerClock;

class Apollo3StimerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mmio().reset();
    mmio().on_read = [this](uintptr_t a, uint32_t stored) -> uint32_t {
      if (a == regs.addr(C::kSttmr) && !counter.empty()) {
        const uint32_t v = counter.front();
        counter.pop_front();
        return v;
      }
      return stored;
    };
  }
  void TearDown() override { mmio().reset(); }
  FakeRegs<0x310 / 4> regs;
  std::deque<uint32_t> counter;
};

TEST_F(Apollo3StimerTest, InitStopsClearsArmsOverflowAndRunsAt3MHz) {
  C clk(regs.base());
  clk.init();
  const std::vector<MmioWrite> expected = {
      {regs.addr(0x140), 0xC0000000},  // FREEZE | CLEAR
      {regs.addr(0x308), 1u << 8},     // clear a stale OVERFLOW
      {regs.addr(0x300), 1u << 8},     // enable OVERFLOW
      {regs.addr(0x140), 1},           // CLKSEL = HFRC_DIV16, running
  };
  EXPECT_EQ(mmio().writes, expected);
}

TEST_F(Apollo3StimerTest, ThreeTicksPerMicrosecondAndWraps) {
  C clk(regs.base());
  clk.init();
  counter = {3000};
  EXPECT_EQ(clk.micros(), 1000u);
  clk.on_interrupt();
  EXPECT_EQ(regs.at(0x308), 1u << 8);
  counter = {3};
  EXPECT_EQ(clk.ticks(), (uint64_t{1} << 32) + 3);
  counter = {3};
  EXPECT_EQ(clk.micros(), ((uint64_t{1} << 32) + 3) / 3);
}

TEST_F(Apollo3StimerTest, CountsAnOverflowWhoseInterruptIsPending) {
  C clk(regs.base());
  clk.init();
  regs.at(0x304) = 1u << 8;
  counter = {0xFFFFFFF0u, 6};
  EXPECT_EQ(clk.ticks(), (uint64_t{1} << 32) + 6);
}

}  // namespace
}  // namespace tp::drivers
