// nRF52 GPIO against fake registers. nRF52840 Product Specification,
// "GPIO — General purpose input/output": OUTSET 0x508, OUTCLR 0x50C,
// PIN_CNF[n] 0x700 + 4n with DIR bit 0 (1 output), INPUT bit 1 (1 =
// disconnect), PULL bits 3:2 (11 = pull-up), DRIVE 10:8, SENSE 17:16.
// Board use: P0.23 (D7) as the timestamp pin, P1.03 TXD output high and
// P1.10 RXD input for the UARTE ("UARTE", "Pin configuration").
#include <gtest/gtest.h>

#include "fake_mmio.h"
#include "nrf52_gpio.h"

namespace tp::drivers {
namespace {

using test::FakeRegs;
using test::mmio;
using test::MmioWrite;

TEST(Nrf52Gpio, TimestampPinStartsHighThenBecomesAnOutput) {
  mmio().reset();
  FakeRegs<0x780 / 4> port;
  Nrf52GpioPin pin(port.base(), 23);
  pin.configure(true);
  const std::vector<MmioWrite> expected = {
      {port.addr(0x508), 1u << 23},  // OUTSET first: no low glitch
      {port.addr(0x700 + 4 * 23), 0x3},  // DIR output, input disconnected
  };
  EXPECT_EQ(mmio().writes, expected);
  mmio().writes.clear();
  pin.set(false);
  pin.set(true);
  const std::vector<MmioWrite> toggles = {{port.addr(0x50C), 1u << 23}, {port.addr(0x508), 1u << 23}};
  EXPECT_EQ(mmio().writes, toggles);
  mmio().reset();
}

TEST(Nrf52Gpio, UartPins) {
  mmio().reset();
  FakeRegs<0x780 / 4> p1;
  Nrf52Gpio g(p1.base());
  g.configure_output(3, true);
  g.configure_input(10, true);
  EXPECT_EQ(p1.at(0x508), 1u << 3);
  EXPECT_EQ(p1.at(0x700 + 4 * 3), 0x3u);
  EXPECT_EQ(p1.at(0x700 + 4 * 10), 0xCu);  // input connected, pull-up
  mmio().reset();
}

}  // namespace
}  // namespace tp::drivers
