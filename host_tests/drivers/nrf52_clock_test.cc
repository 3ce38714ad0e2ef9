// nRF52 HFCLK start (64 MHz crystal) against fake registers.
// nRF52840 Product Specification, "CLOCK — Clock control": base 0x40000000,
// TASKS_HFCLKSTART 0x000, EVENTS_HFCLKSTARTED 0x100, HFCLKSTAT 0x40C with
// SRC bit 0 (1 = Xtal) and STATE bit 16 (1 = running). "HFCLK controller":
// HFCLKSTART starts the HFXO; HFCLKSTARTED says it is running.
#include <gtest/gtest.h>

#include <algorithm>

#include "fake_mmio.h"
#include "nrf52_clock.h"

namespace tp::drivers {
namespace {

using test::FakeRegs;
using test::mmio;
using test::MmioWrite;

class Nrf52ClockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mmio().reset();
    // The crystal starts `startup_polls` polls after the task.
    mmio().on_read = [this](uintptr_t a, uint32_t stored) -> uint32_t {
      if (a == regs.addr(0x100) && started_task && startup_polls >= 0 && startup_polls-- == 0) {
        regs.at(0x100) = 1;
        regs.at(0x40C) = stat_after_start;
        return 1;
      }
      return stored;
    };
    mmio().on_write = [this](uintptr_t a, uint32_t v) {
      if (a == regs.addr(0x000) && v) started_task = true;
    };
    regs.at(0x40C) = 0x00000000;  // HFINT, HFXO not running
  }
  void TearDown() override { mmio().reset(); }
  FakeRegs<0x410 / 4> regs;
  bool started_task = false;
  int startup_polls = 5;
  uint32_t stat_after_start = 0x00010001;  // STATE running | SRC Xtal
};

TEST_F(Nrf52ClockTest, StartsTheCrystalAndChecksItRuns) {
  Nrf52Clock clk(regs.base());
  EXPECT_EQ(clk.start_hfxo(), Nrf52Clock::Status::kOk);
  const std::vector<MmioWrite> expected = {
      {regs.addr(0x100), 0},  // clear EVENTS_HFCLKSTARTED first
      {regs.addr(0x000), 1},  // TASKS_HFCLKSTART
      {regs.addr(0x100), 0},  // consume the event
  };
  EXPECT_EQ(mmio().writes, expected);
  EXPECT_EQ(std::count(mmio().reads.begin(), mmio().reads.end(), regs.addr(0x40C)), 1);
}

TEST_F(Nrf52ClockTest, ACrystalThatNeverStartsTimesOutAfterMaxPolls) {
  startup_polls = -1;
  Nrf52Clock clk(regs.base(), 40);
  EXPECT_EQ(clk.start_hfxo(), Nrf52Clock::Status::kStartTimeout);
  EXPECT_EQ(std::count(mmio().reads.begin(), mmio().reads.end(), regs.addr(0x100)), 40);
}

TEST_F(Nrf52ClockTest, StartedEventButStillOnTheRcIsAFault) {
  stat_after_start = 0x00010000;  // running, SRC = RC
  Nrf52Clock clk(regs.base());
  EXPECT_EQ(clk.start_hfxo(), Nrf52Clock::Status::kNotOnCrystal);
}

}  // namespace
}  // namespace tp::drivers
