#include "stm32_iwdg.h"

namespace tp::drivers {

// RM0432 "Software watchdog mode": start first (the LSI comes up with it),
// then unlock, divider, reload value, wait until both have crossed into the
// LSI domain, and reload (which also locks PR/RLR again).
void Stm32Iwdg::start() {
  regs_.write(kKr, kKeyStart);
  regs_.write(kKr, kKeyUnlock);
  regs_.write(kPr, pr_);
  regs_.write(kRlr, rl_);
  confirmed_ = false;
  for (uint32_t i = 0; i < max_polls_; ++i) {
    if ((regs_.read(kSr) & kSrBusy) == 0) {
      confirmed_ = true;
      break;
    }
  }
  regs_.write(kKr, kKeyReload);
}

const char* Stm32ResetCause::decode(uint32_t csr) {
  if (csr & kBorRstf) return nullptr;
  if (csr & (kIwdgRstf | kWwdgRstf)) return "watchdog";
  if (csr & kSftRstf) return "software";
  if (csr & kLpwrRstf) return "low-power";
  if (csr & kFwRstf) return "firewall";
  if (csr & kOblRstf) return "option-bytes";
  if (csr & kPinRstf) return "pin";
  return nullptr;
}

// RCC_CSR also holds LSION and MSISRANGE: RMVF is set by read-modify-write.
const char* Stm32ResetCause::take(const char* recorded) const {
  const uint32_t csr = regs_.read(kCsr);
  regs_.set(kCsr, kRmvf);
  if (power_on(csr)) return nullptr;
  return recorded ? recorded : decode(csr);
}

}  // namespace tp::drivers
