// STM32L4+ IWDG and RCC_CSR reset cause against fake registers. RM0432
// "Independent watchdog (IWDG)": KR 0x00 (0xCCCC start, 0x5555 unlock,
// 0xAAAA reload), PR 0x04 (divider 4 << PR), RLR 0x08, SR 0x0C (PVU bit 0,
// RVU bit 1, WVU bit 2), timeout = (4 << PR) x (RL + 1) / f_LSI; "RCC_CSR"
// (RCC + 0x94): RMVF 23, FWRSTF 24, OBLRSTF 25, PINRSTF 26, BORRSTF 27,
// SFTRSTF 28, IWDGRSTF 29, WWDGRSTF 30, LPWRRSTF 31.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "fake_mmio.h"
#include "stm32_iwdg.h"

namespace tp::drivers {
namespace {

using test::FakeRegs;
using test::mmio;
using test::MmioWrite;
using W = Stm32Iwdg;
using R = Stm32ResetCause;

class Stm32IwdgTest : public ::testing::Test {
 protected:
  void SetUp() override { mmio().reset(); }
  void TearDown() override { mmio().reset(); }
  FakeRegs<0x14 / 4> regs;
};

TEST_F(Stm32IwdgTest, EightSecondsIsDivider64Reload3999) {
  W wd(regs.base(), 8000);
  EXPECT_EQ(wd.prescaler_code(), 4u);  // /64: 500 Hz from the 32 kHz LSI
  EXPECT_EQ(wd.reload_value(), 3999u);
  EXPECT_EQ(wd.timeout_ms(), 8000u);
}

TEST_F(Stm32IwdgTest, StartIsStartUnlockPrescalerReloadWaitThenRefresh) {
  W wd(regs.base(), 8000);
  regs.at(W::kSr) = 0x3;  // PVU | RVU still busy for the first two reads
  int busy_reads = 2;
  mmio().on_read = [&](uintptr_t a, uint32_t stored) -> uint32_t {
    if (a == regs.addr(W::kSr)) return busy_reads-- > 0 ? stored : 0;
    return stored;
  };
  wd.start();
  const std::vector<MmioWrite> want = {
      {regs.addr(0x00), 0xCCCCu},  // start (forces the LSI on)
      {regs.addr(0x00), 0x5555u},  // unlock PR/RLR
      {regs.addr(0x04), 4u},       // /64
      {regs.addr(0x08), 3999u},    // 4000 ticks of 2 ms
      {regs.addr(0x00), 0xAAAAu},  // reload (and relock), after SR cleared
  };
  EXPECT_EQ(mmio().writes, want);
  EXPECT_TRUE(wd.updates_confirmed());
  // SR was read until it cleared, and only then came the reload.
  size_t sr_reads = 0;
  for (auto a : mmio().reads) sr_reads += a == regs.addr(W::kSr);
  EXPECT_EQ(sr_reads, 3u);
  EXPECT_EQ(mmio().trace.back(), std::make_pair('w', regs.addr(0x00)));
}

TEST_F(Stm32IwdgTest, SrThatNeverClearsIsBoundedAndStillStarts) {
  W wd(regs.base(), 8000, W::kLsiHz, 50);
  regs.at(W::kSr) = 0x1;
  wd.start();
  EXPECT_FALSE(wd.updates_confirmed());
  EXPECT_EQ(mmio().reads.size(), 50u);
  EXPECT_EQ(mmio().writes.back(), (MmioWrite{regs.addr(0x00), 0xAAAAu}));
}

TEST_F(Stm32IwdgTest, FeedIsOneReloadKeyWrite) {
  W wd(regs.base(), 8000);
  wd.feed();
  EXPECT_EQ(mmio().writes, (std::vector<MmioWrite>{{regs.addr(0x00), 0xAAAAu}}));
  EXPECT_TRUE(mmio().reads.empty());
}

TEST_F(Stm32IwdgTest, TimeoutFollowsTheRegisterValues) {
  for (uint32_t ms : {1u, 100u, 512u, 1000u, 2000u, 8000u, 20000u, 32760u}) {
    W wd(regs.base(), ms);
    const uint32_t expect =
        static_cast<uint32_t>((4ull << wd.prescaler_code()) * (wd.reload_value() + 1) * 1000 / 32000);
    EXPECT_EQ(wd.timeout_ms(), expect) << ms;
    EXPECT_LE(wd.reload_value(), 0xFFFu) << ms;
    EXPECT_LE(wd.prescaler_code(), 6u) << ms;
    EXPECT_NEAR(wd.timeout_ms(), ms, 1.0 + (4 << wd.prescaler_code()) / 32.0) << ms;  // one tick
  }
  EXPECT_EQ(W(regs.base(), 512).prescaler_code(), 0u);  // RM0432 table: /4 reaches 512 ms
  EXPECT_EQ(W(regs.base(), 512).reload_value(), 0xFFFu);
  EXPECT_EQ(W(regs.base(), 100000).timeout_ms(), 32768u);  // beyond /256 x 4096: the longest
}

TEST_F(Stm32IwdgTest, FrozenWhileADebuggerHaltsTheCore) {
  FakeRegs<0x0C / 4> dbgmcu;
  dbgmcu.at(0x08) = 1u << 11;  // DBG_WWDG_STOP already set: kept
  W::freeze_when_halted(dbgmcu.base());
  EXPECT_EQ(mmio().writes, (std::vector<MmioWrite>{{dbgmcu.addr(0x08), (1u << 12) | (1u << 11)}}));
}

class Stm32ResetCauseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mmio().reset();
    // RMVF clears every flag and reads back as 0; other bits (LSION 0,
    // MSISRANGE 11:8) are left as written.
    mmio().on_write = [this](uintptr_t a, uint32_t v) {
      if (a == regs.addr(R::kCsr) && (v & R::kRmvf)) regs.at(R::kCsr) = v & 0x00000FFFu;
    };
  }
  void TearDown() override { mmio().reset(); }
  const char* take(uint32_t csr, const char* recorded = nullptr) {
    regs.at(R::kCsr) = csr;
    return R(regs.base()).take(recorded);
  }
  FakeRegs<0x98 / 4> regs;
};

std::string str(const char* s) { return s ? s : "(none)"; }

TEST_F(Stm32ResetCauseTest, EachFlagDecodes) {
  const uint32_t pin = 1u << 26;  // every internal reset drives NRST: PINRSTF comes along
  EXPECT_EQ(str(take(pin | (1u << 29))), "watchdog");
  EXPECT_EQ(str(take(pin | (1u << 30))), "watchdog");
  EXPECT_EQ(str(take(pin | (1u << 28))), "software");
  EXPECT_EQ(str(take(pin | (1u << 31))), "low-power");
  EXPECT_EQ(str(take(pin | (1u << 24))), "firewall");
  EXPECT_EQ(str(take(pin | (1u << 25))), "option-bytes");
  EXPECT_EQ(str(take(pin)), "pin");
  EXPECT_EQ(str(take(pin | (1u << 27))), "(none)");  // power-on: BORRSTF
  EXPECT_EQ(str(take(0)), "(none)");
}

TEST_F(Stm32ResetCauseTest, ReadThenClearedWithRmvfKeepingTheOtherBits) {
  regs.at(R::kCsr) = (1u << 29) | (1u << 26) | 0x601u;  // IWDG, PIN, MSISRANGE 6, LSION
  EXPECT_EQ(str(R(regs.base()).take(nullptr)), "watchdog");
  ASSERT_EQ(mmio().writes.size(), 1u);
  EXPECT_EQ(mmio().writes[0], (MmioWrite{regs.addr(0x94), (1u << 29) | (1u << 26) | 0x601u | (1u << 23)}));
  EXPECT_EQ(regs.at(R::kCsr), 0x601u);
  // The next boot (a power-on that set BORRSTF|PINRSTF) is not a watchdog.
  regs.at(R::kCsr) |= (1u << 27) | (1u << 26);
  EXPECT_EQ(str(R(regs.base()).take(nullptr)), "(none)");
  // And with the flags cleared, nothing is reported twice.
  EXPECT_EQ(str(R(regs.base()).take(nullptr)), "(none)");
}

TEST_F(Stm32ResetCauseTest, AFaultRecordWinsExceptAfterPowerOn) {
  EXPECT_EQ(str(take((1u << 29) | (1u << 26), "fault")), "fault");  // the fault then starved the watchdog
  EXPECT_EQ(str(take(1u << 26, "fault")), "fault");
  EXPECT_EQ(str(take((1u << 27) | (1u << 26), "fault")), "(none)");  // RAM after power-on is noise
}

}  // namespace
}  // namespace tp::drivers
