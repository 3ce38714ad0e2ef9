// CMSDK APB watchdog against fake registers (CMSDK TRM, DDI 0479, "APB
// watchdog": LOAD 0x000, CONTROL 0x008 with INTEN bit 0 and RESEN bit 1,
// INTCLR 0x00C, LOCK 0xC00 with key 0x1ACCE551).
#include <gtest/gtest.h>

#include <vector>

#include "cmsdk_watchdog.h"
#include "fake_mmio.h"

namespace tp::drivers {
namespace {

using test::FakeRegs;
using test::mmio;
using test::MmioWrite;

class CmsdkWatchdogTest : public ::testing::Test {
 protected:
  void SetUp() override { mmio().reset(); }
  void TearDown() override { mmio().reset(); }
  FakeRegs<0xC04 / 4> regs;
};

TEST_F(CmsdkWatchdogTest, StartUnlocksLoadsClearsThenEnablesInterruptAndReset) {
  CmsdkWatchdog wd(regs.base(), 25'000'000, 1000);  // mps2-an386: 25 MHz WDOGCLK
  wd.start();
  const std::vector<MmioWrite> want = {
      {regs.addr(0xC00), 0x1ACCE551u},  // unlock
      {regs.addr(0x000), 25'000'000u},  // 1 s to the early warning
      {regs.addr(0x00C), 1u},           // INTCLR: reload, no stale interrupt
      {regs.addr(0x008), 3u},           // INTEN | RESEN, last
  };
  EXPECT_EQ(mmio().writes, want);
  EXPECT_EQ(wd.timeout_ms(), 2000u);  // warning, then the reset one period later
}

TEST_F(CmsdkWatchdogTest, S32kClockLoadAndFeedIsOneStoreToIntclr) {
  CmsdkWatchdog wd(regs.base(), 32'000, 1000);  // mps3-an547: the 32 kHz S32K watchdog
  EXPECT_EQ(wd.load_value(), 32'000u);
  wd.start();
  mmio().writes.clear();
  mmio().reads.clear();
  wd.feed();
  EXPECT_EQ(mmio().writes, (std::vector<MmioWrite>{{regs.addr(0x00C), 1u}}));
  EXPECT_TRUE(mmio().reads.empty());
}

}  // namespace
}  // namespace tp::drivers
