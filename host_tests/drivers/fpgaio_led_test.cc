// FPGA I/O LED register (offset 0, one bit per user LED) as an output pin:
// set/clear must touch only the pin's own bit.
#include <gtest/gtest.h>

#include "fake_mmio.h"
#include "fpgaio_led.h"

namespace tp::drivers {
namespace {

using test::FakeRegs;
using test::mmio;
using test::MmioWrite;

TEST(FpgaIoLed, DrivesOnlyItsOwnBit) {
  mmio().reset();
  FakeRegs<1> io;
  io.at(0) = 0b1010;
  FpgaIoLed led0(io.base(), 0);
  led0.set(true);
  EXPECT_EQ(io.at(0), 0b1011u);
  led0.set(false);
  EXPECT_EQ(io.at(0), 0b1010u);
  FpgaIoLed led3(io.base(), 3);
  led3.set(false);
  EXPECT_EQ(io.at(0), 0b0010u);
  const std::vector<MmioWrite> expected = {
      {io.addr(0), 0b1011}, {io.addr(0), 0b1010}, {io.addr(0), 0b0010}};
  EXPECT_EQ(mmio().writes, expected);
  mmio().reset();
}

}  // namespace
}  // namespace tp::drivers
