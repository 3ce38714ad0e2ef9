#include "stm32_lpuart.h"

namespace tp::drivers {

bool Stm32Lpuart::init(uint32_t kernel_clock_hz, uint32_t baud, bool use_rx_interrupt) {
  // BRR may only be written while the LPUART is disabled (CR1.UE = 0).
  regs_.write(kCr1, 0);
  const uint32_t brr = brr_for(kernel_clock_hz, baud);
  if (brr == 0) return false;
  regs_.write(kBrr, brr);
  regs_.write(kCr2, 0);  // 1 stop bit
  regs_.write(kCr3, 0);  // no flow control, no DMA, error interrupts off
  regs_.write(kIcr, kIcrErrors);
  set_irq_driven(use_rx_interrupt);
  uint32_t cr1 = kCr1Te | kCr1Re | kCr1Ue;  // M1:M0 = 00 (8 data bits), no parity
  if (use_rx_interrupt) cr1 |= kCr1RxneIe;
  regs_.write(kCr1, cr1);
  return true;
}

bool Stm32Lpuart::rx_byte(uint8_t& byte) {
  const uint32_t isr = regs_.read(kIsr);
  if (isr & kIsrErrors) {
    // The byte in RDR (if any) is still valid on an overrun; the flags
    // must be cleared through ICR or RXNEIE keeps the interrupt pending.
    regs_.write(kIcr, isr & kIcrErrors);
    count_rx_error();
  }
  if (!(isr & kIsrRxne)) return false;
  byte = static_cast<uint8_t>(regs_.read(kRdr) & 0xFF);
  return true;
}

void Stm32Lpuart::flush() {
  while (!(regs_.read(kIsr) & kIsrTc)) {
  }
}

}  // namespace tp::drivers
