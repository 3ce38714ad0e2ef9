// nRF52 TIMER as a 64-bit microsecond clock, against fake registers.
// nRF52840 Product Specification, "TIMER — Timer/counter", "Registers":
// TASKS_START 0x000, TASKS_STOP 0x004, TASKS_CLEAR 0x00C, TASKS_CAPTURE[n]
// 0x040 + 4n, EVENTS_COMPARE[n] 0x140 + 4n, INTENSET 0x304 (COMPARE0 bit
// 16), INTENCLR 0x308, MODE 0x504 (0 timer), BITMODE 0x508 (3 = 32 bit),
// PRESCALER 0x510 (f_TIMER = 16 MHz / 2^PRESCALER: 4 gives 1 MHz), CC[n]
// 0x540 + 4n. COMPARE[0] with CC[0] = 0 fires when the counter wraps to 0.
#include <gtest/gtest.h>

#include <deque>

#include "fake_mmio.h"
#include "nrf52_timer_clock.h"

namespace tp::drivers {
namespace {

using test::FakeRegs;
using test::mmio;
using test::MmioWrite;
using T = Nrf52TimerClock;

class Nrf52TimerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mmio().reset();
    // TASKS_CAPTURE[1] copies the counter into CC[1]: the next of `counter`.
    mmio().on_write = [this](uintptr_t a, uint32_t v) {
      if (a == regs.addr(T::tasks_capture(1)) && v) {
        regs.at(T::cc(1)) = counter.empty() ? last : counter.front();
        if (!counter.empty()) {
          last = counter.front();
          counter.pop_front();
        }
      }
    };
  }
  void TearDown() override { mmio().reset(); }
  FakeRegs<0x558 / 4> regs;
  std::deque<uint32_t> counter;
  uint32_t last = 0;
};

TEST_F(Nrf52TimerTest, InitRunsA32BitTimerAt1MHzWithTheWrapInterrupt) {
  T clock(regs.base());
  clock.init();
  const std::vector<MmioWrite> expected = {
      {regs.addr(0x004), 1},           // STOP
      {regs.addr(0x308), 0xFFFFFFFF},  // INTENCLR: all
      {regs.addr(0x504), 0},           // MODE: timer
      {regs.addr(0x508), 3},           // BITMODE: 32 bit
      {regs.addr(0x510), 4},           // PRESCALER: 16 MHz / 16 = 1 MHz
      {regs.addr(0x540), 0},           // CC[0] = 0: compare on the wrap
      {regs.addr(0x140), 0},           // EVENTS_COMPARE[0] cleared
      {regs.addr(0x00C), 1},           // CLEAR
      {regs.addr(0x304), 1u << 16},    // INTENSET: COMPARE0
      {regs.addr(0x000), 1},           // START
  };
  EXPECT_EQ(mmio().writes, expected);
}

TEST_F(Nrf52TimerTest, MicrosecondsAreTheCapturedCountPlusWraps) {
  T clock(regs.base());
  clock.init();
  counter = {1234};
  EXPECT_EQ(clock.micros(), 1234u);
  regs.at(T::events_compare(0)) = 1;
  clock.on_interrupt();
  regs.at(T::events_compare(0)) = 1;
  clock.on_interrupt();
  // The line is shared with the kernel's alarm: no COMPARE[0], no wrap.
  clock.on_interrupt();
  counter = {77};
  EXPECT_EQ(clock.micros(), 2 * (uint64_t{1} << 32) + 77);
  // The handler clears its event.
  regs.at(0x140) = 1;
  clock.on_interrupt();
  EXPECT_EQ(regs.at(0x140), 0u);
}

TEST_F(Nrf52TimerTest, CountsAWrapWhoseInterruptIsStillPending) {
  T clock(regs.base());
  clock.init();
  regs.at(T::events_compare(0)) = 1;  // wrapped, handler not run yet
  counter = {0xFFFFFFF0u, 5};         // captured just before, then after
  EXPECT_EQ(clock.micros(), (uint64_t{1} << 32) + 5);
}

TEST_F(Nrf52TimerTest, NeverGoesBackwardsAcrossAWrap) {
  T clock(regs.base());
  clock.init();
  counter = {0xFFFFFFFEu};
  const uint64_t before = clock.micros();
  regs.at(T::events_compare(0)) = 1;
  counter = {1, 1};
  const uint64_t pending = clock.micros();
  clock.on_interrupt();
  counter = {2};
  const uint64_t after = clock.micros();
  EXPECT_LT(before, pending);
  EXPECT_LT(pending, after);
}

}  // namespace
}  // namespace tp::drivers
