#include "stm32_tim_alarm.h"

namespace tp::drivers {

void Stm32TimAlarm::init(uint32_t timer_clock_hz) {
  mmio::set_bits(rcc_enr_, rcc_bit_);
  (void)mmio::read32(rcc_enr_);  // the clock is on before the first access (RM0432 "RCC")
  regs_.write(kCr1, 0);
  regs_.write(kDier, 0);
  regs_.write(kCcmr1, 0);
  regs_.write(kPsc, timer_clock_hz / 1'000'000 - 1);  // 1 MHz
  regs_.write(kArr, 0xFFFFFFFFu);
  regs_.write(kEgr, kEgrUg);  // load PSC, counter to 0
  regs_.write(kSr, 0);
  regs_.write(kCr1, kCr1Cen);
}

void Stm32TimAlarm::stop() {
  regs_.write(kDier, 0);
  regs_.write(kSr, ~kCc1);
}

bool Stm32TimAlarm::arm(uint64_t at, uint64_t now) {
  stop();
  uint64_t d = at > now ? at - now : 0;
  if (d < kMinDelta) return false;
  if (d > kMaxDelta) d = kMaxDelta;
  const uint32_t ccr = regs_.read(kCnt) + static_cast<uint32_t>(d);
  regs_.write(kCcr1, ccr);
  regs_.write(kDier, kCc1);
  // The counter after the write: at or past the compare, the match may be
  // missed (it sets CC1IF only when CNT becomes CCR1).
  if (static_cast<int32_t>(ccr - regs_.read(kCnt)) <= 0) {
    stop();
    return false;
  }
  return true;
}

void Stm32TimAlarm::on_interrupt() {
  stop();
  fire();
}

}  // namespace tp::drivers
