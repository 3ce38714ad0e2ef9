// Apollo3 WDT and RSTGEN reset status against fake registers. apollo3.h
// (AmbiqSuite): WDT at 0x40024000: CFG 0x000 (WDTEN 0, INTEN 1, RESEN 2,
// RESVAL 15:8, INTVAL 23:16, CLKSEL 26:24 with 2 = 16 Hz), RSTRT 0x004 (key
// 0xB2), LOCK 0x008 (key 0x3A), INTEN 0x200, INTCLR 0x208 (WDTINT bit 0);
// RSTGEN at 0x40000000: CFG 0x000 (WDREN bit 1), STAT 0x0FFFF000 (EXRSTAT
// 0, PORSTAT 1, BORSTAT 2, SWRSTAT 3, POIRSTAT 4, DBGRSTAT 5, WDRSTAT 6),
// cleared by writing 0 (am_hal_reset.c STATUSCLEAR).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "apollo3_wdt.h"
#include "fake_mmio.h"

namespace tp::drivers {
namespace {

using test::FakeRegs;
using test::mmio;
using test::MmioWrite;
using W = Apollo3Wdt;
using R = Apollo3ResetCause;

class Apollo3WdtTest : public ::testing::Test {
 protected:
  void SetUp() override { mmio().reset(); }
  void TearDown() override { mmio().reset(); }
  FakeRegs<0x210 / 4> wdt;
  FakeRegs<0x4 / 4> rstgen;
};

TEST_F(Apollo3WdtTest, StartRoutesTheResetConfiguresEnablesRestartsAndLocks) {
  rstgen.at(0) = 1u;  // BODHREN already set: kept
  W wd(wdt.base(), rstgen.base(), 8000, 4000);
  wd.start();
  const uint32_t cfg = (2u << 24) | (64u << 16) | (128u << 8) | (1u << 2) | (1u << 1);
  EXPECT_EQ(cfg, 0x02408006u);
  const std::vector<MmioWrite> want = {
      {rstgen.addr(0x000), 0x3u},   // RSTGEN CFG: WDREN (bit 1) added to BODHREN
      {wdt.addr(0x208), 1u},        // INTCLR: no stale interrupt
      {wdt.addr(0x200), 1u},        // INTEN: WDTINT reaches the NVIC
      {wdt.addr(0x000), cfg},       // 16 Hz, interrupt at 64 ticks (4 s), reset at 128 (8 s)
      {wdt.addr(0x000), cfg | 1u},  // WDTEN
      {wdt.addr(0x004), 0xB2u},     // restart the count
      {wdt.addr(0x008), 0x3Au},     // lock: CFG read-only until a reset
  };
  EXPECT_EQ(mmio().writes, want);
  EXPECT_EQ(wd.timeout_ms(), 8000u);
}

TEST_F(Apollo3WdtTest, FeedIsOneRestartKeyWriteAndTheInterruptOnlyClearsItself) {
  W wd(wdt.base(), rstgen.base(), 8000, 4000);
  wd.feed();
  EXPECT_EQ(mmio().writes, (std::vector<MmioWrite>{{wdt.addr(0x004), 0xB2u}}));
  mmio().writes.clear();
  wd.on_interrupt();
  EXPECT_EQ(mmio().writes, (std::vector<MmioWrite>{{wdt.addr(0x208), 1u}}));  // no restart: not a feed
  EXPECT_TRUE(mmio().reads.empty());
}

TEST_F(Apollo3WdtTest, TimeoutFollowsResval) {
  for (uint32_t ms : {63u, 1000u, 4000u, 8000u, 15'937u, 30'000u}) {
    W wd(wdt.base(), rstgen.base(), ms, ms / 2);
    const uint32_t resval = (wd.cfg_value() >> 8) & 0xFF;
    EXPECT_EQ(wd.timeout_ms(), resval * 1000 / 16) << ms;
    EXPECT_GE(resval, 1u) << ms;
  }
  EXPECT_EQ(W(wdt.base(), rstgen.base(), 30'000, 1000).timeout_ms(), 15'937u);  // 255 ticks: the most
  EXPECT_EQ((W(wdt.base(), rstgen.base(), 8000, 4000).cfg_value() >> 16) & 0xFF, 64u);
}

class Apollo3ResetCauseTest : public ::testing::Test {
 protected:
  void SetUp() override { mmio().reset(); }
  void TearDown() override { mmio().reset(); }
  // STAT sits 0x0FFFF000 above RSTGEN's base: point the base below `stat`.
  uintptr_t base() const { return reinterpret_cast<uintptr_t>(&stat) - R::kStat; }
  std::string take(uint32_t s, const char* recorded = nullptr) {
    stat = s;
    const char* c = R(base()).take(recorded);
    return c ? c : "(none)";
  }
  uint32_t stat = 0;
};

TEST_F(Apollo3ResetCauseTest, EachBitDecodes) {
  EXPECT_EQ(take(1u << 6), "watchdog");
  EXPECT_EQ(take(1u << 3), "software");
  EXPECT_EQ(take(1u << 4), "software");
  EXPECT_EQ(take(1u << 5), "debugger");
  EXPECT_EQ(take(1u << 0), "pin");
  EXPECT_EQ(take(1u << 1), "(none)");  // power-on
  EXPECT_EQ(take(1u << 2), "(none)");  // brown-out
  EXPECT_EQ(take(0), "(none)");
  EXPECT_EQ(take((1u << 6) | (1u << 0)), "watchdog");
  EXPECT_EQ(take((1u << 31) | (1u << 6)), "watchdog");  // SBOOT alongside
}

TEST_F(Apollo3ResetCauseTest, StatIsReadThenClearedSoTheNextBootIsNotAWatchdog) {
  EXPECT_EQ(take(1u << 6), "watchdog");
  EXPECT_EQ(mmio().reads, (std::vector<uintptr_t>{reinterpret_cast<uintptr_t>(&stat)}));
  EXPECT_EQ(mmio().writes, (std::vector<MmioWrite>{{reinterpret_cast<uintptr_t>(&stat), 0u}}));
  EXPECT_EQ(stat, 0u);
  EXPECT_EQ(R(base()).take(nullptr), nullptr);
}

TEST_F(Apollo3ResetCauseTest, AFaultRecordWinsExceptAfterPowerOn) {
  EXPECT_EQ(take(1u << 6, "fault"), "fault");
  EXPECT_EQ(take(1u << 1, "fault"), "(none)");
  EXPECT_EQ(take(1u << 2, "fault"), "(none)");
}

}  // namespace
}  // namespace tp::drivers
