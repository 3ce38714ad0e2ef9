// STM32 GPIO against fake registers. RM0432 "GPIO registers": MODER 0x00
// (2 bits per pin, 01 output, 10 alternate; reset 0xFFFFFFFF = analog for
// ports other than A and B), OTYPER 0x04, OSPEEDR 0x08, PUPDR 0x0C (01
// pull-up), BSRR 0x18 (set bits 15:0, reset bits 31:16), AFRL 0x20 (pins
// 0-7) / AFRH 0x24 (pins 8-15), 4 bits per pin.
// Board use: PF13 as the timestamp pin (output, idle high) and PG7/PG8 as
// LPUART1 TX/RX on alternate function 8.
#include <gtest/gtest.h>

#include "fake_mmio.h"
#include "stm32_gpio.h"

namespace tp::drivers {
namespace {

using test::FakeRegs;
using test::mmio;
using test::MmioWrite;

class Stm32GpioTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mmio().reset();
    port.at(0x00) = 0xFFFFFFFF;  // MODER reset value (port F, G)
  }
  void TearDown() override { mmio().reset(); }
  int index_of_write(uint32_t off) const {
    for (std::size_t i = 0; i < mmio().writes.size(); ++i) {
      if (mmio().writes[i].addr == port.addr(off)) return static_cast<int>(i);
    }
    return -1;
  }
  FakeRegs<11> port;
};

TEST_F(Stm32GpioTest, TimestampPinIsAnOutputThatStartsHigh) {
  Stm32GpioPin pin(port.base(), 13);
  pin.configure(true);
  EXPECT_EQ(port.at(0x00), 0xF7FFFFFFu);  // MODER13 = 01
  EXPECT_EQ(port.at(0x04), 0u);           // push-pull
  EXPECT_EQ(port.at(0x08), 1u << 26);     // medium speed
  EXPECT_EQ(port.at(0x0C), 0u);           // no pull
  // Level first (BSRR set bit 13), then the mode: no low glitch.
  ASSERT_GE(index_of_write(0x18), 0);
  EXPECT_EQ(mmio().writes[index_of_write(0x18)].value, 1u << 13);
  EXPECT_LT(index_of_write(0x18), index_of_write(0x00));
}

TEST_F(Stm32GpioTest, SetAndResetGoThroughBsrrOnly) {
  Stm32GpioPin pin(port.base(), 13);
  mmio().writes.clear();
  pin.set(false);
  pin.set(true);
  const std::vector<MmioWrite> expected = {{port.addr(0x18), 1u << 29}, {port.addr(0x18), 1u << 13}};
  EXPECT_EQ(mmio().writes, expected);
}

TEST_F(Stm32GpioTest, ConsolePinsOnAlternateFunction8) {
  Stm32Gpio g(port.base());
  g.configure_alternate(7, 8, Stm32Gpio::Pull::kNone);
  g.configure_alternate(8, 8, Stm32Gpio::Pull::kUp);
  EXPECT_EQ(port.at(0x20), 0x80000000u);  // AFRL7 = 8
  EXPECT_EQ(port.at(0x24), 0x00000008u);  // AFRH0 (pin 8) = 8
  EXPECT_EQ(port.at(0x00), 0xFFFEBFFFu);  // MODER7 = MODER8 = 10
  EXPECT_EQ(port.at(0x0C), 1u << 16);     // PG8 pull-up
  EXPECT_LT(index_of_write(0x20), index_of_write(0x00));  // AF before the mode
}

}  // namespace
}  // namespace tp::drivers
