// nRF52840 WDT and POWER.RESETREAS against fake registers. nRF52840 PS
// "WDT — Watchdog timer" (nrfx mdk nrf52840.h NRF_WDT_Type): TASKS_START
// 0x000, RUNSTATUS 0x400, CRV 0x504, RREN 0x508, CONFIG 0x50C (SLEEP bit 0,
// HALT bit 3; 1 = run), RR[0] 0x600 with the key 0x6E524635; timeout =
// (CRV + 1) / 32768 s. "POWER": RESETREAS 0x400 (RESETPIN 0, DOG 1, SREQ 2,
// LOCKUP 3, OFF 16, LPCOMP 17, DIF 18, NFC 19, VBUS 20; write 1 to clear).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fake_mmio.h"
#include "nrf52_wdt.h"

namespace tp::drivers {
namespace {

using test::FakeRegs;
using test::mmio;
using test::MmioWrite;
using W = Nrf52Wdt;
using R = Nrf52ResetCause;

class Nrf52WdtTest : public ::testing::Test {
 protected:
  void SetUp() override { mmio().reset(); }
  void TearDown() override { mmio().reset(); }
  FakeRegs<0x620 / 4> regs;
};

TEST_F(Nrf52WdtTest, StartConfiguresBeforeTheStartTask) {
  W wd(regs.base(), 8000);
  wd.start();
  const std::vector<MmioWrite> want = {
      {regs.addr(0x50C), 0u},        // CONFIG: pause while sleeping and while halted
      {regs.addr(0x504), 262'143u},  // CRV: 8 s of 32.768 kHz ticks, minus one
      {regs.addr(0x508), 1u},        // RREN: RR[0] only
      {regs.addr(0x000), 1u},        // TASKS_START, last (the rest locks then)
  };
  EXPECT_EQ(mmio().writes, want);
  EXPECT_EQ(mmio().reads, (std::vector<uintptr_t>{regs.addr(0x400)}));  // RUNSTATUS first
  EXPECT_FALSE(wd.was_running());
  EXPECT_EQ(wd.timeout_ms(), 8000u);
}

TEST_F(Nrf52WdtTest, AlreadyRunningAfterASoftResetIsOnlyFed) {
  regs.at(W::kRunstatus) = 1;
  W wd(regs.base(), 8000);
  wd.start();
  EXPECT_TRUE(wd.was_running());
  EXPECT_EQ(mmio().writes, (std::vector<MmioWrite>{{regs.addr(0x600), 0x6E524635u}}));
}

TEST_F(Nrf52WdtTest, FeedWritesTheReloadKeyToRr0) {
  W wd(regs.base(), 8000);
  wd.feed();
  EXPECT_EQ(mmio().writes, (std::vector<MmioWrite>{{regs.addr(0x600), 0x6E524635u}}));
  EXPECT_TRUE(mmio().reads.empty());
}

TEST_F(Nrf52WdtTest, TimeoutFollowsCrv) {
  for (uint32_t ms : {1u, 500u, 1000u, 8000u, 60000u}) {
    W wd(regs.base(), ms);
    EXPECT_EQ(wd.timeout_ms(), static_cast<uint32_t>((uint64_t{wd.crv()} + 1) * 1000 / 32768)) << ms;
    EXPECT_GE(wd.crv(), 0xFu) << ms;  // the PS's minimum
  }
  EXPECT_EQ(W(regs.base(), 1000).crv(), 32767u);
  EXPECT_EQ(W(regs.base(), 1).crv(), 31u);   // 32.768 ticks
  EXPECT_EQ(W(regs.base(), 0).crv(), 0xFu);  // below the minimum: the minimum
}

class Nrf52ResetCauseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mmio().reset();
    // RESETREAS: writing 1 clears that bit.
    mmio().on_write = [this](uintptr_t a, uint32_t v) {
      if (a == regs.addr(R::kResetreas)) regs.at(R::kResetreas) = reas_before & ~v;
    };
  }
  void TearDown() override { mmio().reset(); }
  std::string take(uint32_t reas, const char* recorded = nullptr) {
    regs.at(R::kResetreas) = reas_before = reas;
    const char* s = R(regs.base()).take(recorded);
    return s ? s : "(none)";
  }
  FakeRegs<0x404 / 4> regs;
  uint32_t reas_before = 0;
};

TEST_F(Nrf52ResetCauseTest, EachBitDecodes) {
  EXPECT_EQ(take(1u << 1), "watchdog");
  EXPECT_EQ(take(1u << 2), "software");
  EXPECT_EQ(take(1u << 3), "lockup");
  EXPECT_EQ(take(1u << 0), "pin");
  for (int b = 16; b <= 20; ++b) EXPECT_EQ(take(1u << b), "system-off-wake") << b;
  EXPECT_EQ(take(0), "(none)");  // power-on or brown-out
  // Accumulated (not cleared by an earlier image): the watchdog comes first.
  EXPECT_EQ(take((1u << 0) | (1u << 1) | (1u << 2)), "watchdog");
  EXPECT_EQ(take((1u << 0) | (1u << 2)), "software");
}

TEST_F(Nrf52ResetCauseTest, TheBitsReadAreClearedSoTheNextBootIsNotAWatchdog) {
  EXPECT_EQ(take((1u << 1) | (1u << 0)), "watchdog");
  EXPECT_EQ(mmio().writes, (std::vector<MmioWrite>{{regs.addr(0x400), 0x3u}}));
  EXPECT_EQ(regs.at(R::kResetreas), 0u);
  const char* again = R(regs.base()).take(nullptr);
  EXPECT_EQ(again, nullptr);
}

TEST_F(Nrf52ResetCauseTest, NothingWrittenWhenNothingIsSet) {
  EXPECT_EQ(take(0), "(none)");
  EXPECT_TRUE(mmio().writes.empty());
}

TEST_F(Nrf52ResetCauseTest, AFaultRecordWinsExceptAfterPowerOnOrSystemOff) {
  EXPECT_EQ(take(1u << 1, "fault"), "fault");
  EXPECT_EQ(take(1u << 0, "fault"), "fault");
  EXPECT_EQ(take(0, "fault"), "(none)");
  EXPECT_EQ(take(1u << 16, "fault"), "system-off-wake");
}

}  // namespace
}  // namespace tp::drivers
