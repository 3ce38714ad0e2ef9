// The kernel's one-shot alarms (drivers::Alarm) against fake registers: the
// CMSDK APB timer (QEMU boards), nRF52 TIMER compare CC[2] (Arduino Nano 33
// BLE), Apollo3 STIMER compare A (SparkFun Edge), STM32 TIM2 compare 1
// (NUCLEO-L4R5ZI), the SSE-300 system timer (QEMU MPS3 AN547). Offsets and bits as in each driver's header (vendor
// sources named there). What a register test cannot show (the real timers'
// timing, the NVIC lines) needs the boards: boards/README.md.
#include <gtest/gtest.h>

#include <deque>

#include "apollo3_stimer_alarm.h"
#include "apollo3_stimer_clock.h"
#include "cmsdk_timer_alarm.h"
#include "fake_mmio.h"
#include "nrf52_timer_alarm.h"
#include "nrf52_timer_clock.h"
#include "sse_timer_alarm.h"
#include "stm32_tim_alarm.h"

namespace tp::drivers {
namespace {

using test::FakeRegs;
using test::mmio;
using test::MmioWrite;

int g_fired = 0;
void count_fire() { ++g_fired; }

class AlarmTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mmio().reset();
    g_fired = 0;
  }
  void TearDown() override { mmio().reset(); }
};

// ---- CMSDK APB timer: CTRL 0x0, VALUE 0x4, RELOAD 0x8, INTCLEAR 0xC ----
using C = CmsdkTimerAlarm;

TEST_F(AlarmTest, CmsdkLoadsTheDelayInTicksRoundedUp) {
  FakeRegs<4> r;
  C alarm(r.base(), 8, 25'000'000);
  ASSERT_TRUE(alarm.arm(1'000'100, 1'000'000));  // 100 us at 25 MHz
  const std::vector<MmioWrite> expected = {
      {r.addr(0x0), 0}, {r.addr(0xC), 1},  // stopped, interrupt cleared
      {r.addr(0x4), 2500}, {r.addr(0x8), 2500},
      {r.addr(0x0), 1u | (1u << 3)},  // ENABLE | INTEN
  };
  EXPECT_EQ(mmio().writes, expected);
  EXPECT_EQ(alarm.irq(), 8);
  C slow(r.base(), 2, 32'000);  // S32K: 100 us = 3.2 ticks -> 4, never early
  ASSERT_TRUE(slow.arm(100, 0));
  EXPECT_EQ(r.at(0x4), 4u);
  ASSERT_TRUE(slow.arm(1, 0));
  EXPECT_EQ(r.at(0x4), 1u);
}

TEST_F(AlarmTest, CmsdkCapsFarDelaysAndRefusesPastTimes) {
  FakeRegs<4> r;
  C alarm(r.base(), 8, 25'000'000);
  ASSERT_TRUE(alarm.arm(uint64_t{1} << 40, 0));
  EXPECT_EQ(r.at(0x4), C::kMaxTicks);
  EXPECT_FALSE(alarm.arm(500, 500));  // due: the caller pends the line
  EXPECT_EQ(r.at(0x0), 0u);           // and the timer is stopped
  EXPECT_FALSE(alarm.arm(400, 500));
}

TEST_F(AlarmTest, CmsdkInterruptStopsAndFiresOnce) {
  FakeRegs<4> r;
  C alarm(r.base(), 8, 25'000'000);
  alarm.set_handler(&count_fire);
  ASSERT_TRUE(alarm.arm(2000, 1000));
  mmio().writes.clear();
  alarm.on_interrupt();
  EXPECT_EQ(g_fired, 1);
  const std::vector<MmioWrite> expected = {{r.addr(0x0), 0}, {r.addr(0xC), 1}};
  EXPECT_EQ(mmio().writes, expected);
}

// ---- nRF52 TIMER: CC[2] compare, CC[3] capture, shared with the Clock ----
using NT = Nrf52TimerClock;
using NA = Nrf52TimerAlarm;

class Nrf52AlarmTest : public AlarmTest {
 protected:
  void SetUp() override {
    AlarmTest::SetUp();
    // TASKS_CAPTURE[n] copies the counter (the next of `counter`) into CC[n].
    mmio().on_write = [this](uintptr_t a, uint32_t v) {
      for (uint32_t n : {1u, 3u}) {
        if (a == r.addr(NT::tasks_capture(n)) && v) {
          if (!counter.empty()) {
            last = counter.front();
            counter.pop_front();
          }
          r.at(NT::cc(n)) = last;
        }
      }
    };
  }
  FakeRegs<0x558 / 4> r;
  std::deque<uint32_t> counter;
  uint32_t last = 0;
};

TEST_F(Nrf52AlarmTest, ComparesOnTheClocksOwnCounter) {
  NA alarm(r.base(), 9);
  alarm.init();
  const uint64_t now = (uint64_t{5} << 32) + 100;  // 5 wraps + counter 100
  counter = {150};                                  // after the write: still short
  mmio().writes.clear();
  ASSERT_TRUE(alarm.arm(now + 1000, now));
  const std::vector<MmioWrite> expected = {
      {r.addr(0x308), 1u << 18},  // INTENCLR COMPARE2
      {r.addr(0x148), 0},         // EVENTS_COMPARE[2] cleared
      {r.addr(0x548), 1100},      // CC[2] = low 32 bits of `at`
      {r.addr(0x304), 1u << 18},  // INTENSET COMPARE2
      {r.addr(0x04C), 1},         // TASKS_CAPTURE[3]
  };
  EXPECT_EQ(mmio().writes, expected);
  EXPECT_EQ(alarm.irq(), 9);
}

TEST_F(Nrf52AlarmTest, ACompareTheCounterReachedBeforeTheWriteIsDue) {
  NA alarm(r.base(), 9);
  alarm.set_handler(&count_fire);
  counter = {1100};  // the counter was already at CC when captured
  EXPECT_FALSE(alarm.arm(1100, 1000));
  // The caller pends the line: the handler runs without a compare event.
  alarm.on_interrupt();
  EXPECT_EQ(g_fired, 1);
  alarm.on_interrupt();  // once only
  EXPECT_EQ(g_fired, 1);
  // Closer than two ticks: due at once, nothing written to CC.
  mmio().writes.clear();
  EXPECT_FALSE(alarm.arm(1001, 1000));
  for (const auto& w : mmio().writes) EXPECT_NE(w.addr, r.addr(0x548));
  // A wrap of the counter: CC past 2^32 is the low bits, checked modulo 2^32.
  counter = {0xFFFFFFF0u};
  EXPECT_TRUE(alarm.arm((uint64_t{1} << 32) + 20, 0xFFFFFFE0u));
  EXPECT_EQ(r.at(0x548), 20u);
}

TEST_F(Nrf52AlarmTest, FarAlarmsAreCappedAtHalfTheRange) {
  NA alarm(r.base(), 9);
  counter = {10};
  EXPECT_TRUE(alarm.arm(uint64_t{1} << 40, 0));
  EXPECT_EQ(r.at(0x548), 0x80000000u);
}

TEST_F(Nrf52AlarmTest, TheSharedLineServesClockAndAlarmByTheirOwnEvents) {
  NT clock(r.base());
  NA alarm(r.base(), 9);
  clock.init();
  alarm.init();
  alarm.set_handler(&count_fire);
  counter = {10};
  ASSERT_TRUE(alarm.arm(1000, 0));
  // The wrap only: the Clock counts it, the alarm does not fire.
  r.at(NT::events_compare(0)) = 1;
  clock.on_interrupt();
  alarm.on_interrupt();
  EXPECT_EQ(g_fired, 0);
  counter = {7};
  EXPECT_EQ(clock.micros(), (uint64_t{1} << 32) + 7);
  // The alarm's compare only: the Clock does not count a wrap.
  r.at(NT::events_compare(2)) = 1;
  clock.on_interrupt();
  alarm.on_interrupt();
  EXPECT_EQ(g_fired, 1);
  EXPECT_EQ(r.at(NT::events_compare(2)), 0u);
  EXPECT_EQ(r.at(0x308) & (1u << 18), 1u << 18);  // INTENCLR: one shot
  counter = {8};
  EXPECT_EQ(clock.micros(), (uint64_t{1} << 32) + 8);
  // A stale compare event after stop() fires nothing.
  alarm.stop();
  r.at(NT::events_compare(2)) = 1;
  alarm.on_interrupt();
  EXPECT_EQ(g_fired, 1);
}

// ---- Apollo3 STIMER compare A ----
using AA = Apollo3StimerAlarm;

TEST_F(AlarmTest, Apollo3WritesTheDeltaToTheTargetTickAndKeepsTheClocksBits) {
  FakeRegs<0x310 / 4> r;
  r.at(0x140) = 1;         // STCFG: CLKSEL = HFRC/16 (the Clock's)
  r.at(0x300) = 1u << 8;   // STMINTEN: OVERFLOW (the Clock's)
  r.at(0x144) = 3000;      // STTMR
  AA alarm(r.base(), 23);
  // at = 2000 us = tick 6000; the counter is at 3000: delta 3000.
  ASSERT_TRUE(alarm.arm(2000, 1000));
  EXPECT_EQ(r.at(0x150), 3000u);                      // SCMPR0
  EXPECT_EQ(r.at(0x140), 1u | (1u << 8));             // COMPARE_A_EN, CLKSEL kept
  EXPECT_EQ(r.at(0x300), (1u << 8) | 1u);             // COMPAREA, OVERFLOW kept
  EXPECT_EQ(alarm.irq(), 23);
  // Ticks past 2^32: the low 32 bits, modulo the counter.
  r.at(0x144) = 0xFFFFFF00u;
  const uint64_t at = ((uint64_t{1} << 32) + 0x100) / 3 + 1;  // tick 2^32 + 0x101 (rounded)
  ASSERT_TRUE(alarm.arm(at, at - 100));
  EXPECT_EQ(r.at(0x150), static_cast<uint32_t>(at * 3) - 0xFFFFFF00u);
}

TEST_F(AlarmTest, Apollo3RefusesTooCloseAndCapsFar) {
  FakeRegs<0x310 / 4> r;
  r.at(0x144) = 3000;
  AA alarm(r.base(), 23);
  EXPECT_FALSE(alarm.arm(1000, 1000));
  EXPECT_FALSE(alarm.arm(1000, 999));  // tick 3000: the counter is there
  EXPECT_EQ(r.at(0x140) & (1u << 8), 0u);
  EXPECT_EQ(r.at(0x300) & 1u, 0u);
  r.at(0x144) = 0;
  EXPECT_TRUE(alarm.arm(uint64_t{1} << 40, 0));
  EXPECT_EQ(r.at(0x150), 0x80000000u);
}

TEST_F(AlarmTest, Apollo3InterruptClearsDisablesAndFires) {
  FakeRegs<0x310 / 4> r;
  r.at(0x300) = 1u << 8;
  AA alarm(r.base(), 23);
  alarm.set_handler(&count_fire);
  ASSERT_TRUE(alarm.arm(5000, 0));
  mmio().writes.clear();
  alarm.on_interrupt();
  EXPECT_EQ(g_fired, 1);
  EXPECT_EQ(r.at(0x300), 1u << 8);  // COMPAREA off, OVERFLOW kept
  EXPECT_EQ(r.at(0x140) & (1u << 8), 0u);
  EXPECT_EQ(r.at(0x308), 1u);       // STMINTCLR COMPAREA
}

// ---- STM32 TIM2 compare 1 ----
using SA = Stm32TimAlarm;

class Stm32AlarmTest : public AlarmTest {
 protected:
  void SetUp() override {
    AlarmTest::SetUp();
    mmio().on_read = [this](uintptr_t a, uint32_t stored) {
      if (a == r.addr(0x24) && !cnt.empty()) {
        const uint32_t v = cnt.front();
        cnt.pop_front();
        return v;
      }
      return stored;
    };
  }
  FakeRegs<0x38 / 4> r;
  FakeRegs<1> rcc;
  std::deque<uint32_t> cnt;
};

TEST_F(Stm32AlarmTest, InitRunsTheTimerFreeAt1MHz) {
  rcc.at(0) = 1u << 28;  // PWREN already on: kept
  SA alarm(r.base(), 28, rcc.base(), 1u);
  alarm.init(120'000'000);
  EXPECT_EQ(rcc.at(0), (1u << 28) | 1u);
  const std::vector<MmioWrite> expected = {
      {rcc.base(), (1u << 28) | 1u},  // RCC_APB1ENR1.TIM2EN
      {r.addr(0x00), 0},           // CR1: stopped
      {r.addr(0x0C), 0},           // DIER
      {r.addr(0x18), 0},           // CCMR1: output compare, frozen
      {r.addr(0x28), 119},         // PSC: 120 MHz / 120
      {r.addr(0x2C), 0xFFFFFFFFu}, // ARR: the whole 32 bits
      {r.addr(0x14), 1},           // EGR.UG: PSC loaded
      {r.addr(0x10), 0},           // SR cleared
      {r.addr(0x00), 1},           // CR1.CEN
  };
  EXPECT_EQ(mmio().writes, expected);
  EXPECT_EQ(alarm.irq(), 28);
}

TEST_F(Stm32AlarmTest, ArmsCompareOneAtTheCounterPlusTheDelay) {
  SA alarm(r.base(), 28, rcc.base(), 1u);
  cnt = {1000, 1001};
  mmio().writes.clear();
  ASSERT_TRUE(alarm.arm(5500, 5000));
  const std::vector<MmioWrite> expected = {
      {r.addr(0x0C), 0}, {r.addr(0x10), ~(1u << 1)},  // stopped, CC1IF cleared (rc_w0)
      {r.addr(0x34), 1500},                           // CCR1
      {r.addr(0x0C), 1u << 1},                        // DIER.CC1IE
  };
  EXPECT_EQ(mmio().writes, expected);
  // Past 2^32 the compare wraps with the counter.
  cnt = {0xFFFFFF00u, 0xFFFFFF01u};
  ASSERT_TRUE(alarm.arm(0x200, 0));
  EXPECT_EQ(r.at(0x34), 0x100u);
  cnt = {0, 1};
  ASSERT_TRUE(alarm.arm(uint64_t{1} << 40, 0));
  EXPECT_EQ(r.at(0x34), 0x80000000u);
}

TEST_F(Stm32AlarmTest, ACompareTheCounterPassedIsDue) {
  SA alarm(r.base(), 28, rcc.base(), 1u);
  cnt = {1000, 1010};  // 10 us passed between the reads
  EXPECT_FALSE(alarm.arm(5005, 5000));
  EXPECT_EQ(r.at(0x0C), 0u);  // left stopped: the caller pends the line
  EXPECT_FALSE(alarm.arm(5001, 5000));  // closer than two ticks
  EXPECT_FALSE(alarm.arm(4000, 5000));
}

TEST_F(Stm32AlarmTest, InterruptStopsAndFires) {
  SA alarm(r.base(), 28, rcc.base(), 1u);
  alarm.set_handler(&count_fire);
  cnt = {0, 0};
  ASSERT_TRUE(alarm.arm(100, 0));
  alarm.on_interrupt();
  EXPECT_EQ(g_fired, 1);
  EXPECT_EQ(r.at(0x0C), 0u);
  EXPECT_EQ(r.at(0x10), ~(1u << 1));
}

// ---- SSE-300 system timer: CNTPCT 0x0/0x4, CNTP_CVAL 0x20/0x24, CNTP_CTL 0x2C ----
using SS = SseTimerAlarm;

TEST_F(AlarmTest, SseStartsTheCounterAndComparesOnAMultipleOfFourTicks) {
  FakeRegs<0x30 / 4> t;
  FakeRegs<1> cnt;
  SS alarm(t.base(), cnt.base(), 3, 32'000'000);
  alarm.init();
  EXPECT_EQ(cnt.at(0), 1u);       // CNTCR.EN
  EXPECT_EQ(t.at(0x2C), 2u);      // stopped: IMASK, not enabled
  t.at(0x0) = 0xFFFFFFF0u;        // count = 2^32 + ... - 16
  t.at(0x4) = 1;
  mmio().writes.clear();
  ASSERT_TRUE(alarm.arm(1010, 1000));  // 10 us = 320 ticks
  const uint64_t cval = ((uint64_t{1} << 32) + 0xFFFFFFF0u + 320 + 3) / 4 * 4;
  const std::vector<MmioWrite> expected = {
      {t.addr(0x2C), 2},  // stopped while the compare is written
      {t.addr(0x20), static_cast<uint32_t>(cval)},
      {t.addr(0x24), static_cast<uint32_t>(cval >> 32)},
      {t.addr(0x2C), 1},  // ENABLE, unmasked
  };
  EXPECT_EQ(mmio().writes, expected);
  EXPECT_EQ(cval % 4, 0u);
  EXPECT_EQ(alarm.irq(), 3);
  // An unaligned count rounds up, never down.
  t.at(0x0) = 5;
  t.at(0x4) = 0;
  ASSERT_TRUE(alarm.arm(1, 0));  // 32 ticks from 5: 37 -> 40
  EXPECT_EQ(t.at(0x20), 40u);
  EXPECT_FALSE(alarm.arm(7, 7));
  EXPECT_EQ(t.at(0x2C), 2u);
  ASSERT_TRUE(alarm.arm(uint64_t{1} << 40, 0));
  EXPECT_EQ(t.at(0x20), 0x70000008u);  // 5 + kMaxTicks rounded up to 4
}

TEST_F(AlarmTest, SseInterruptDropsTheLevelAndFires) {
  FakeRegs<0x30 / 4> t;
  FakeRegs<1> cnt;
  SS alarm(t.base(), cnt.base(), 3, 32'000'000);
  alarm.set_handler(&count_fire);
  ASSERT_TRUE(alarm.arm(100, 0));
  alarm.on_interrupt();
  EXPECT_EQ(g_fired, 1);
  EXPECT_EQ(t.at(0x2C), 2u);
}

}  // namespace
}  // namespace tp::drivers
