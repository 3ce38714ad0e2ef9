// Apollo3 core clock, flash cache, burst mode and UART power, against fake
// registers. Apollo3 Blue datasheet, "Clock Generator", "MCU Control",
// "Power Control", "Cache Controller"; offsets and bits from Ambiq's
// apollo3.h, sequences as in AmbiqSuite's HAL:
//   CLKGEN CLKKEY 0x14 (key 0x47), CCTRL 0x18 (CORESEL 0 = HFRC 48 MHz),
//     FREQCTRL 0x34 (BURSTREQ 0, BURSTACK 1, BURSTSTATUS 2)
//   MCUCTRL SKU 0x14 (ALLOWBURST 0), FEATUREENABLE 0x18 (BURSTREQ 4,
//     BURSTACK 5, BURSTAVAIL 6)
//   PWRCTRL DEVPWREN 0x08 (PWRUART0 7), DEVPWRSTATUS 0x18 (HCPA 2),
//     DEVPWREVENTEN 0x28 (BURSTEVEN 31)
//   CACHECTRL CACHECFG 0x00: ENABLE 0, CONFIG 7:4 (8 = 1 way, 128-bit lines,
//     1024 entries), ICACHE_ENABLE 8, DCACHE_ENABLE 9, CACHE_CLKGATE 10,
//     DATA_CLKGATE 20 -> 0x00100780 configured, 0x00100781 enabled.
// am_hal_burst_mode_initialize/enable: BURSTEVEN, FEATUREENABLE.BURSTREQ,
// wait BURSTACK, check BURSTAVAIL, FREQCTRL.BURSTREQ, wait BURSTSTATUS.
#include <gtest/gtest.h>

#include <algorithm>

#include "apollo3_sysctrl.h"
#include "fake_mmio.h"

namespace tp::drivers {
namespace {

using test::FakeRegs;
using test::mmio;
using test::MmioWrite;
using S = Apollo3SysCtrl;

class Apollo3SysCtrlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mmio().reset();
    mcuctrl.at(0x14) = 1;  // SKU: burst allowed
    mmio().on_write = [this](uintptr_t a, uint32_t v) {
      if (a == mcuctrl.addr(0x18) && (v & (1u << 4)) && feature_acks) {
        mcuctrl.at(0x18) = v | (1u << 5) | (burst_available ? (1u << 6) : 0);
      }
      if (a == clkgen.addr(0x34) && (v & 1u) && burst_switches) clkgen.at(0x34) = v | 0x6;
      if (a == pwrctrl.addr(0x08) && (v & (1u << 7))) power_polls = 2;
    };
    mmio().on_read = [this](uintptr_t a, uint32_t stored) -> uint32_t {
      if (a == pwrctrl.addr(0x18) && power_comes_up && power_polls >= 0 && power_polls-- == 0) {
        pwrctrl.at(0x18) |= 1u << 2;
        return pwrctrl.at(0x18);
      }
      return stored;
    };
  }
  void TearDown() override { mmio().reset(); }
  S make(uint32_t polls = 1000) {
    return S{clkgen.base(), mcuctrl.base(), pwrctrl.base(), cache.base(), polls};
  }
  int index_of(uintptr_t addr) const {
    for (std::size_t i = 0; i < mmio().writes.size(); ++i) {
      if (mmio().writes[i].addr == addr) return static_cast<int>(i);
    }
    return -1;
  }

  FakeRegs<0x40 / 4> clkgen;
  FakeRegs<0x20 / 4> mcuctrl;
  FakeRegs<0x30 / 4> pwrctrl;
  FakeRegs<1> cache;
  bool feature_acks = true, burst_available = true, burst_switches = true, power_comes_up = true;
  int power_polls = -1;
};

TEST_F(Apollo3SysCtrlTest, CoreClockOnHfrcThroughTheKey) {
  make().set_core_clock_48mhz();
  const std::vector<MmioWrite> expected = {
      {clkgen.addr(0x14), 0x47}, {clkgen.addr(0x18), 0}, {clkgen.addr(0x14), 0}};
  EXPECT_EQ(mmio().writes, expected);
}

TEST_F(Apollo3SysCtrlTest, FlashCacheConfiguredWhileOffThenEnabled) {
  cache.at(0) = 0x00000301;  // a previous stage left both caches on
  make().enable_flash_cache();
  const std::vector<MmioWrite> expected = {
      {cache.addr(0), 0x00000001},  // I/D enables off before the configuration changes
      {cache.addr(0), 0x00100780},  // clock gates, 1 way x 1024 x 128 bit, I+D
      {cache.addr(0), 0x00100781},  // ENABLE last
  };
  EXPECT_EQ(mmio().writes, expected);
}

TEST_F(Apollo3SysCtrlTest, BurstModeInTheHalsOrder) {
  EXPECT_EQ(make().enable_burst(), S::Burst::kOn);
  EXPECT_EQ(pwrctrl.at(0x28), 1u << 31);
  EXPECT_EQ(mcuctrl.at(0x18) & (1u << 4), 1u << 4);
  EXPECT_EQ(clkgen.at(0x34) & 0x7u, 0x7u);
  const int ev = index_of(pwrctrl.addr(0x28));
  const int feat = index_of(mcuctrl.addr(0x18));
  const int freq = index_of(clkgen.addr(0x34));
  ASSERT_GE(ev, 0);
  EXPECT_LT(ev, feat);
  EXPECT_LT(feat, freq);
  EXPECT_EQ(mmio().writes[freq].value, 1u);
}

TEST_F(Apollo3SysCtrlTest, PartsWithoutBurstStayAt48MHz) {
  mcuctrl.at(0x14) = 0;
  EXPECT_EQ(make().enable_burst(), S::Burst::kNotAllowed);
  EXPECT_TRUE(mmio().writes.empty());

  mcuctrl.at(0x14) = 1;
  burst_available = false;
  EXPECT_EQ(make().enable_burst(), S::Burst::kNotAvailable);
  EXPECT_EQ(index_of(clkgen.addr(0x34)), -1);  // never asked CLKGEN for burst
}

TEST_F(Apollo3SysCtrlTest, BurstWaitsAreBounded) {
  feature_acks = false;
  EXPECT_EQ(make(30).enable_burst(), S::Burst::kTimeout);
  // 30 polls, plus the read of the read-modify-write that set BURSTREQ.
  EXPECT_EQ(std::count(mmio().reads.begin(), mmio().reads.end(), mcuctrl.addr(0x18)), 30 + 1);
  mmio().reads.clear();
  feature_acks = true;
  burst_switches = false;
  EXPECT_EQ(make(30).enable_burst(), S::Burst::kTimeout);
  EXPECT_EQ(std::count(mmio().reads.begin(), mmio().reads.end(), clkgen.addr(0x34)), 30);
}

TEST_F(Apollo3SysCtrlTest, Uart0PowerDomain) {
  EXPECT_TRUE(make().power_on_uart0());
  EXPECT_EQ(pwrctrl.at(0x08), 1u << 7);
  power_comes_up = false;
  pwrctrl.at(0x18) = 0;
  mmio().reads.clear();
  EXPECT_FALSE(make(25).power_on_uart0());
  EXPECT_EQ(std::count(mmio().reads.begin(), mmio().reads.end(), pwrctrl.addr(0x18)), 25);
}

}  // namespace
}  // namespace tp::drivers
