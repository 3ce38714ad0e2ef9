// Apollo3 pads against fake registers. Apollo3 Blue datasheet "GPIO and Pad
// Configuration"; apollo3.h: PADREGx 0x00.. (8 bits per pad: PULL 0, INPEN
// 1, STRNG 2, FNCSEL 5:3), CFGx 0x40.. (4 bits per pad: INCFG 0, OUTCFG 2:1
// with 1 = push-pull, INTD 3), PADKEY 0x60 (0x73), WTSB 0x94, WTCB 0x9C,
// ENCB 0xB8, ALTPADCFGx 0xE0.. (DS1 bit 0; STRNG + DS1 = 12 mA).
// Board use: pads 48/49 on function 0 (UART0TX / UART0RX: apollo3.h
// GPIO_PADREGM_PAD48FNCSEL_UART0TX = 0, PAD49FNCSEL_UART0RX = 0), pad 47 as a
// 12 mA push-pull output (the timestamp pin, SparkFun BSP LED_YELLOW).
#include <gtest/gtest.h>

#include "apollo3_gpio.h"
#include "fake_mmio.h"

namespace tp::drivers {
namespace {

using test::FakeRegs;
using test::mmio;
using test::MmioWrite;
using G = Apollo3Gpio;

class Apollo3GpioTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mmio().reset();
    for (uint32_t off = 0x00; off <= 0x30; off += 4) regs.at(off) = 0x18181818;  // FNCSEL 3
  }
  void TearDown() override { mmio().reset(); }
  FakeRegs<0x114 / 4> regs;
};

TEST_F(Apollo3GpioTest, UartPadsOnFunctionZeroInsideThePadKey) {
  G g(regs.base());
  g.configure_function(48, 0, false, false);
  g.configure_function(49, 0, true, false);
  EXPECT_EQ(regs.at(0x30), 0x18180200u);  // PADREGM: pad 48 = 0, pad 49 = INPEN
  EXPECT_EQ(regs.at(0x58) & 0xFFu, 0u);   // CFGG: pads 48/49 not GPIO outputs
  EXPECT_EQ(regs.at(0x60), 0u);           // locked again
  // Each pad change is bracketed by unlock / lock.
  const auto& w = mmio().writes;
  ASSERT_EQ(w.size(), 10u);
  EXPECT_EQ(w.front(), (MmioWrite{regs.addr(0x60), 0x73}));
  EXPECT_EQ(w[4], (MmioWrite{regs.addr(0x60), 0}));
  EXPECT_EQ(w[5], (MmioWrite{regs.addr(0x60), 0x73}));
  EXPECT_EQ(w.back(), (MmioWrite{regs.addr(0x60), 0}));
}

TEST_F(Apollo3GpioTest, TimestampPadIsA12mAPushPullOutputStartingHigh) {
  Apollo3GpioPin pin(regs.base(), 47);
  pin.configure(true, G::Drive::k12mA);
  const auto& w = mmio().writes;
  ASSERT_GE(w.size(), 3u);
  EXPECT_EQ(w[0], (MmioWrite{regs.addr(0x94), 1u << 15}));  // WTSB: level first
  EXPECT_EQ(w[1], (MmioWrite{regs.addr(0xB8), 1u << 15}));  // ENCB: no tri-state
  EXPECT_EQ(w[2], (MmioWrite{regs.addr(0x60), 0x73}));
  EXPECT_EQ(regs.at(0x2C), 0x1C181818u);   // PADREGL byte 3: FNCSEL 3 | STRNG
  EXPECT_EQ(regs.at(0x54), 0x20000000u);   // CFGF nibble 7: OUTCFG push-pull
  EXPECT_EQ(regs.at(0x10C), 0x01000000u);  // ALTPADCFGL byte 3: DS1
  EXPECT_EQ(regs.at(0x60), 0u);
  mmio().writes.clear();
  pin.set(false);
  pin.set(true);
  const std::vector<MmioWrite> toggles = {{regs.addr(0x9C), 1u << 15}, {regs.addr(0x94), 1u << 15}};
  EXPECT_EQ(mmio().writes, toggles);
}

}  // namespace
}  // namespace tp::drivers
