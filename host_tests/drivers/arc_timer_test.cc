// ARCv2 Timer 0 as a 64-bit microsecond clock, against fake auxiliary
// registers (ARCv2 PRM, "Timers": COUNT0 aux 0x21, CONTROL0 0x22 with IE
// bit 0, NH bit 1, IP bit 3; LIMIT0 0x23; Timer 0 is interrupt 16).
#include <gtest/gtest.h>

#include "arc_aux.h"
#include "arc_timer_clock.h"
#include "fake_mmio.h"

namespace tp::drivers {
namespace {

using test::FakeRegs;
using test::mmio;
using test::MmioWrite;

class ArcTimerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mmio().reset();
    arc::host_aux_base = aux.base();
  }
  void TearDown() override { mmio().reset(); }
  FakeRegs<0x410> aux;  // aux registers 0..0x40F
};

TEST_F(ArcTimerTest, InitStopsSetsTheFullLimitClearsAndStartsWithTheInterrupt) {
  ArcTimerClock clock(400'000'000);
  clock.init();
  const std::vector<MmioWrite> expected = {
      {aux.addr(4 * 0x22), 0}, {aux.addr(4 * 0x23), 0xFFFFFFFF}, {aux.addr(4 * 0x21), 0},
      {aux.addr(4 * 0x22), 3}};
  EXPECT_EQ(mmio().writes, expected);
}

TEST_F(ArcTimerTest, MicrosAreCyclesOver400AndWrapsCountInTheHighWord) {
  ArcTimerClock clock(400'000'000);
  clock.init();
  aux.at(4 * 0x21) = 4000;
  EXPECT_EQ(clock.micros(), 10u);
  clock.on_interrupt();  // one wrap: 2^32 cycles
  aux.at(4 * 0x22) = 3;  // IP acknowledged
  aux.at(4 * 0x21) = 400;
  EXPECT_EQ(clock.micros(), ((uint64_t{1} << 32) + 400) / 400);
}

TEST_F(ArcTimerTest, AWrapWhoseInterruptIsStillPendingIsCounted) {
  ArcTimerClock clock(400'000'000);
  clock.init();
  aux.at(4 * 0x22) = 3 | 8;  // IP set, not yet serviced; count already small
  aux.at(4 * 0x21) = 8;
  EXPECT_EQ(clock.cycles(), (uint64_t{1} << 32) + 8);
}

}  // namespace
}  // namespace tp::drivers
