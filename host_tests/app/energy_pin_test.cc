// Energy mode end to end on the register level: the protocol drives the real
// FPGA I/O LED driver (the QEMU boards' timestamp pin), bound to fake
// registers, and every write to the LED register is checked: a `timestamp`
// is one falling edge then the release; an `infer N W` is exactly two such
// pulses, around the timed runs, and none during warm-up.
#include <gtest/gtest.h>

#include <string>

#include "fake_board.h"
#include "fake_mmio.h"
#include "fpgaio_led.h"

namespace tp::app {
namespace {

using test::FakeRegs;
using test::mmio;

struct EnergyBoard {
  EnergyBoard() : led(io.base(), 0), board{"fake", console, clock, led},
                  protocol(board, true, {arena, sizeof arena, staging, sizeof staging},
                           test::FakeModels::all, 2, &test::FakeModels::m8) {
    io.at(0) = 0b0110;  // other LEDs lit: they must stay untouched
    led.set(true);      // the board's idle level
    mmio().writes.clear();
  }
  std::string send(const std::string& s) {
    for (unsigned char c : s) protocol.on_byte(c);
    return console.take();
  }
  // The LED register's value after each write.
  std::vector<uint32_t> led_writes() const {
    std::vector<uint32_t> v;
    for (const auto& w : mmio().writes) {
      if (w.addr == io.addr(0)) v.push_back(w.value);
    }
    return v;
  }

  FakeRegs<1> io;
  drivers::FpgaIoLed led;
  test::FakeConsole console;
  test::FakeClock clock;
  board::Board board;
  alignas(16) uint8_t arena[32] = {};
  uint8_t staging[16] = {};
  Protocol protocol;
};

class EnergyPin : public ::testing::Test {
 protected:
  void SetUp() override { mmio().reset(); }
  void TearDown() override { mmio().reset(); }
};

TEST_F(EnergyPin, TimestampIsOneFallingEdgeThenRelease) {
  EnergyBoard b;
  EXPECT_EQ(b.send("timestamp%"), "m-ready\r\n");
  EXPECT_EQ(b.led_writes(), (std::vector<uint32_t>{0b0110, 0b0111}));
}

TEST_F(EnergyPin, InferPulsesTwiceAroundTheTimedRunsOnly) {
  EnergyBoard b;
  b.send("db load 8%db 0102030405060708%");
  test::FakeModels::runs = 0;
  // Record how many runs had happened at each pin write.
  std::vector<int> runs_at_write;
  mmio().on_write = [&](uintptr_t, uint32_t) { runs_at_write.push_back(test::FakeModels::runs); };
  const std::string out = b.send("infer 3 2%");
  EXPECT_EQ(out.find("m-lap-us"), std::string::npos);
  EXPECT_EQ(b.led_writes(), (std::vector<uint32_t>{0b0110, 0b0111, 0b0110, 0b0111}));
  // First pulse after the 2 warm-up runs, second after the 3 timed runs.
  EXPECT_EQ(runs_at_write, (std::vector<int>{2, 2, 5, 5}));
}

}  // namespace
}  // namespace tp::app
