// nRF52840 start-up steps (drivers/nrf52_system) on fake registers: the
// instruction cache, the APPROTECT release on revision-3 and older silicon,
// erratum 87's clearing before WFI.
#include <gtest/gtest.h>

#include <vector>

#include "fake_mmio.h"
#include "nrf52_system.h"

namespace tp::drivers::nrf52 {
namespace {

using test::FakeRegs;
using test::mmio;
using test::MmioWrite;

class Nrf52SystemTest : public ::testing::Test {
 protected:
  void SetUp() override { mmio().reset(); }
  void TearDown() override { mmio().reset(); }
  FakeRegs<0x544 / 4> nvmc;
  FakeRegs<0x138 / 4> ficr;
  FakeRegs<0x20C / 4> uicr;
  FakeRegs<0x560 / 4> approtect;
  FakeRegs<0x290 / 4> scs;
  Bases bases() const { return {nvmc.base(), ficr.base(), uicr.base(), approtect.base(), scs.base()}; }
};

TEST_F(Nrf52SystemTest, IcacheOn) {
  nvmc.at(kNvmcIcachecnf) = 0;  // reset value: cache off
  enable_icache(bases());
  EXPECT_EQ(nvmc.at(kNvmcIcachecnf), 1u);
  ASSERT_EQ(mmio().writes.size(), 1u);
  EXPECT_EQ(mmio().writes[0], (MmioWrite{nvmc.addr(0x540), 1u}));
}

TEST_F(Nrf52SystemTest, IcacheKeepsProfilingBit) {
  nvmc.at(kNvmcIcachecnf) = 1u << 8;  // CACHEPROFEN
  enable_icache(bases());
  EXPECT_EQ(nvmc.at(kNvmcIcachecnf), (1u << 8) | 1u);
}

TEST_F(Nrf52SystemTest, Revision3MirrorsUicrIntoApprotectDisable) {
  ficr.at(kFicrPartVariant) = 0x08;
  for (uint32_t rev : {0x05u, 0x06u, 0x10u}) {
    for (uint32_t uicr_value : {0x5Au, 0xFFFFFFFFu, 0x00u}) {
      mmio().reset();
      approtect = {};
      ficr.at(kFicrBuildRevision) = rev;
      uicr.at(kUicrApprotect) = uicr_value;
      EXPECT_TRUE(approtect_locks_at_reset(bases()));
      EXPECT_EQ(handle_approtect(bases()), Approtect::kMirroredUicr);
      ASSERT_EQ(mmio().writes.size(), 1u);
      EXPECT_EQ(mmio().writes[0], (MmioWrite{approtect.addr(0x558), uicr_value})) << rev << " " << uicr_value;
    }
  }
}

TEST_F(Nrf52SystemTest, OlderRevisionsAndOtherPartsAreLeftAlone) {
  const std::vector<std::pair<uint32_t, uint32_t>> cases = {
      {0x08, 0x00}, {0x08, 0x04}, {0x08, 0x03}, {0x0A, 0x05}, {0x06, 0x07}};  // 52840 rev 1/2; 52833; 52832
  for (auto [variant, rev] : cases) {
    mmio().reset();
    ficr.at(kFicrPartVariant) = variant;
    ficr.at(kFicrBuildRevision) = rev;
    uicr.at(kUicrApprotect) = 0x5A;
    EXPECT_EQ(handle_approtect(bases()), Approtect::kOlderRevision) << variant << " " << rev;
    EXPECT_TRUE(mmio().writes.empty());
  }
}

struct FakeFpscr {
  uint32_t value = 0;
  std::vector<char>* trace = nullptr;
  uint32_t read() {
    if (trace) trace->push_back('r');
    return value;
  }
  void write(uint32_t v) {
    if (trace) trace->push_back('w');
    value = v;
  }
};

TEST_F(Nrf52SystemTest, Erratum87ClearsFpscrFlagsThenFpuIrqPending) {
  std::vector<char> fp_trace;
  FakeFpscr fp{0x03C0009Fu | (1u << 22), &fp_trace};  // every cumulative flag + rounding mode bits
  mmio().on_write = [&](uintptr_t, uint32_t) { fp_trace.push_back('n'); };
  clear_fpu_irq_before_sleep(fp, bases());
  EXPECT_EQ(fp.value, 0x03C00000u | (1u << 22));  // flags cleared, control bits kept
  ASSERT_EQ(mmio().writes.size(), 1u);
  EXPECT_EQ(mmio().writes[0], (MmioWrite{scs.addr(0x284), 1u << 6}));  // ICPR1 bit 6 = IRQ 38
  // FPSCR written, read back, then the NVIC write.
  EXPECT_EQ(fp_trace, (std::vector<char>{'r', 'w', 'r', 'n'}));
}

}  // namespace
}  // namespace tp::drivers::nrf52
