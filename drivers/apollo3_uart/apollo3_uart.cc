#include "apollo3_uart.h"

namespace tp::drivers {

bool Apollo3Uart::init(uint32_t baud, bool use_rx_interrupt) {
  regs_.write(kCr, 0);
  const uint32_t div = divisor_64ths(kClock24MHz, baud);
  if (div < 64 || (div >> 6) > 0xFFFF) return false;  // IBRD is 16 bits, at least 1
  regs_.write(kCr, kCrClken | kCrClksel24MHz);          // clock on, still disabled
  regs_.write(kIbrd, div >> 6);
  regs_.write(kFbrd, div & 63);
  regs_.write(kLcrh, kLcrhWlen8 | kLcrhFen);  // after IBRD/FBRD: this write latches them
  regs_.write(kIfls, 0);                      // interrupt at 1/8 full (and on timeout)
  regs_.write(kIec, kIntAll);
  set_irq_driven(use_rx_interrupt);
  regs_.write(kIer, use_rx_interrupt ? (kIntRx | kIntRt) : 0);
  regs_.write(kCr, kCrClken | kCrClksel24MHz | kCrUarten | kCrTxe | kCrRxe);
  return true;
}

bool Apollo3Uart::rx_byte(uint8_t& byte) {
  if (regs_.read(kFr) & kFrRxfe) return false;
  const uint32_t d = regs_.read(kDr);
  if (d & kDrOverrun) overruns_ = overruns_ + 1;
  if (d & kDrErrors) count_rx_error();
  byte = static_cast<uint8_t>(d & 0xFF);
  return true;
}

void Apollo3Uart::on_interrupt() {
  // Clear first, then drain: a byte arriving during the drain raises the
  // interrupt again instead of being cleared unseen.
  regs_.write(kIec, regs_.read(kMis));
  rx_interrupt();
}

void Apollo3Uart::flush() {
  while (regs_.read(kFr) & kFrBusy) {
  }
}

}  // namespace tp::drivers
