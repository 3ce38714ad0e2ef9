// The start-up's hand-over from a bootloader (arch/cortex_m/handover.h) on
// fake System Control Space registers: VTOR first, then every implemented
// NVIC word disabled, then every pending bit cleared, nothing else written.
#include <gtest/gtest.h>

#include <vector>

#include "fake_mmio.h"
#include "handover.h"

namespace tp::cortex_m {
namespace {

using test::FakeRegs;
using test::mmio;
using test::MmioWrite;

class HandoverTest : public ::testing::Test {
 protected:
  void SetUp() override { mmio().reset(); }
  void TearDown() override { mmio().reset(); }
  // SCS from 0xE000E000 up to VTOR (0xD08).
  FakeRegs<0xD10 / 4> scs;

  std::vector<MmioWrite> expected(uint32_t table, uint32_t words) {
    std::vector<MmioWrite> w{{scs.addr(kVtor), table}};
    for (uint32_t i = 0; i < words; ++i) w.push_back({scs.addr(kNvicIcer + 4 * i), 0xFFFFFFFFu});
    for (uint32_t i = 0; i < words; ++i) w.push_back({scs.addr(kNvicIcpr + 4 * i), 0xFFFFFFFFu});
    return w;
  }
};

TEST_F(HandoverTest, WritesVtorThenDisablesThenUnpendsEveryImplementedWord) {
  // A bootloader's leftovers: its own table, two enabled and pending lines.
  scs.at(kVtor) = 0x00000400;
  scs.at(kIctr) = 2;  // INTLINESNUM = 2: 96 lines, 3 words (MPS2 AN386: 96 IRQs)
  scs.at(kNvicIcer + 4) = 1u << 3;
  take_over_from_bootloader(0x00010000, scs.base());
  EXPECT_EQ(mmio().writes, expected(0x00010000, 3));
  EXPECT_EQ(scs.at(kVtor), 0x00010000u);
}

TEST_F(HandoverTest, ClearsAsManyWordsAsIctrSays) {
  for (uint32_t lines : {0u, 1u, 7u, 15u}) {  // 1, 2, 8 and 16 words (496 lines: Armv8-M's most)
    mmio().reset();
    scs = {};
    scs.at(kIctr) = 0xFFFFFFF0u | lines;  // reserved upper bits ignored
    take_over_from_bootloader(0x0000C000, scs.base());
    EXPECT_EQ(mmio().writes, expected(0x0000C000, lines + 1)) << "INTLINESNUM " << lines;
    if (lines + 1 < 16) {  // no ICER/ICPR word past the implemented ones
      EXPECT_EQ(scs.at(kNvicIcer + 4 * (lines + 1)), 0u);
      EXPECT_EQ(scs.at(kNvicIcpr + 4 * (lines + 1)), 0u);
    }
  }
}

TEST_F(HandoverTest, ReadsOnlyIctr) {
  scs.at(kIctr) = 0;
  take_over_from_bootloader(0, scs.base());
  ASSERT_EQ(mmio().reads.size(), 1u);
  EXPECT_EQ(mmio().reads[0], scs.addr(kIctr));
}

}  // namespace
}  // namespace tp::cortex_m
