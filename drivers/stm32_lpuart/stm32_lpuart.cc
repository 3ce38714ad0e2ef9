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
  irq_driven_ = use_rx_interrupt;
  uint32_t cr1 = kCr1Te | kCr1Re | kCr1Ue;  // M1:M0 = 00 (8 data bits), no parity
  if (use_rx_interrupt) cr1 |= kCr1RxneIe;
  regs_.write(kCr1, cr1);
  return true;
}

void Stm32Lpuart::drain_rx() {
  for (;;) {
    const uint32_t isr = regs_.read(kIsr);
    if (isr & kIsrErrors) {
      // The byte in RDR (if any) is still valid on an overrun; the flags
      // must be cleared through ICR or RXNEIE keeps the interrupt pending.
      regs_.write(kIcr, isr & kIcrErrors);
      errors_ = errors_ + 1;
    }
    if (!(isr & kIsrRxne)) return;
    rx_.push(static_cast<uint8_t>(regs_.read(kRdr) & 0xFF));
  }
}

void Stm32Lpuart::on_interrupt() {
  drain_rx();
  notify_rx();
}

bool Stm32Lpuart::read(uint8_t& byte) {
  if (!irq_driven_) drain_rx();
  return rx_.pop(byte);
}

void Stm32Lpuart::put_raw(char c) const {
  while (!(regs_.read(kIsr) & kIsrTxe)) {
  }
  regs_.write(kTdr, static_cast<uint8_t>(c));
}

// The waits below end when the shift register moves on: at most one
// character time (10 bits at the configured baud rate) per byte.
void Stm32Lpuart::write(const char* data, std::size_t size) {
  for (std::size_t i = 0; i < size; ++i) {
    while (!(regs_.read(kIsr) & kIsrTxe)) {
      if (!irq_driven_) drain_rx();  // keep receiving while we wait
    }
    regs_.write(kTdr, static_cast<uint8_t>(data[i]));
  }
}

void Stm32Lpuart::flush() {
  while (!(regs_.read(kIsr) & kIsrTc)) {
  }
}

}  // namespace tp::drivers
