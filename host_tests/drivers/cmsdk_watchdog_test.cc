// CMSDK APB watchdog (SP805) against fake registers: LOAD 0x00, CONTROL
// 0x08 (INTEN bit 0, RESEN bit 1), INTCLR 0x0C, RIS 0x10, LOCK 0xC00
// (key 0x1ACCE551), as in DDI 0479 and QEMU's cmsdk-apb-watchdog.
#include <gtest/gtest.h>

#include "cmsdk_watchdog.h"
#include "fake_mmio.h"

namespace tp::drivers {
namespace {

using test::FakeRegs;
using test::mmio;
using test::MmioWrite;
using W = CmsdkWatchdog;

class CmsdkWatchdogTest : public ::testing::Test {
 protected:
  void SetUp() override { mmio().reset(); }
  void TearDown() override { mmio().reset(); }
  FakeRegs<0x1000 / 4> regs;
};

TEST_F(CmsdkWatchdogTest, LoadIsTicksOfThePeriodClamped) {
  EXPECT_EQ(W::load_for(25'000'000, 4000), 100'000'000u);  // mps2-an386: 4 s at 25 MHz
  EXPECT_EQ(W::load_for(32'768, 1000), 32'768u);
  EXPECT_EQ(W::load_for(25'000'000, 200'000), 0xFFFFFFFFu);  // beyond 32 bits
  EXPECT_EQ(W::load_for(32'768, 0), 1u);
}

TEST_F(CmsdkWatchdogTest, StartUnlocksLoadsEnablesInterruptAndResetThenLocks) {
  W w(regs.base());
  w.start(25'000'000, 4000);
  const std::vector<MmioWrite> expected = {
      {regs.addr(0xC00), 0x1ACCE551}, {regs.addr(0x00), 100'000'000u}, {regs.addr(0x0C), 1},
      {regs.addr(0x08), 0x3},         {regs.addr(0xC00), 0},
  };
  EXPECT_EQ(mmio().writes, expected);
}

TEST_F(CmsdkWatchdogTest, FeedClearsTheInterruptWhichReloadsTheCounter) {
  W w(regs.base());
  w.feed();
  const std::vector<MmioWrite> expected = {
      {regs.addr(0xC00), 0x1ACCE551}, {regs.addr(0x0C), 1}, {regs.addr(0xC00), 0}};
  EXPECT_EQ(mmio().writes, expected);
}

TEST_F(CmsdkWatchdogTest, StopClearsControl) {
  W w(regs.base());
  regs.at(0x08) = 3;
  w.stop();
  EXPECT_EQ(regs.at(0x08), 0u);
  EXPECT_EQ(regs.at(0xC00), 0u);  // locked again
}

TEST_F(CmsdkWatchdogTest, ExpiredReadsTheRawInterrupt) {
  W w(regs.base());
  EXPECT_FALSE(w.expired());
  regs.at(0x10) = 1;
  EXPECT_TRUE(w.expired());
}

}  // namespace
}  // namespace tp::drivers
