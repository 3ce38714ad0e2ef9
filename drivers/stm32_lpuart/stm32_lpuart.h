// STM32 LPUART (low-power UART) as the console: 8N1, interrupt-driven RX
// into a ring buffer, polled TX. FIFO mode stays off (CR1.FIFOEN = 0).
//
// Register map and bits: STM32L4+ reference manual RM0432, chapter
// "Low-power universal asynchronous receiver transmitter (LPUART)",
// section "LPUART registers"; the same offsets and bit positions are in
// ST's device header stm32l4r5xx.h (USART_TypeDef, USART_CR1_*, USART_ISR_*,
// USART_ICR_*):
//   CR1 0x00  UE bit0, RE bit2, TE bit3, RXNEIE (RXFNEIE) bit5
//   CR2 0x04, CR3 0x08  (all zero: 1 stop bit, no flow control)
//   BRR 0x0C  20 bits, LPUARTDIV = 256 * f_ck / baud, 0x300 <= BRR < 2^20
//   ISR 0x1C  PE bit0, FE bit1, NE bit2, ORE bit3, RXNE bit5, TC bit6, TXE bit7
//   ICR 0x20  PECF bit0, FECF bit1, NECF bit2, ORECF bit3
//   RDR 0x24 (reading clears RXNE), TDR 0x28
// "LPUART baud rate generation": f_ck must lie in [3 x baud, 4096 x baud].
#pragma once

#include <cstdint>

#include "tinyperf/drivers/irq_rx_uart.h"
#include "tinyperf/drivers/mmio.h"

namespace tp::drivers {

class Stm32Lpuart final : public IrqRxUart<Stm32Lpuart> {
 public:
  static constexpr uint32_t kCr1 = 0x00, kCr2 = 0x04, kCr3 = 0x08, kBrr = 0x0C;
  static constexpr uint32_t kIsr = 0x1C, kIcr = 0x20, kRdr = 0x24, kTdr = 0x28;

  static constexpr uint32_t kCr1Ue = 1u << 0;
  static constexpr uint32_t kCr1Re = 1u << 2;
  static constexpr uint32_t kCr1Te = 1u << 3;
  static constexpr uint32_t kCr1RxneIe = 1u << 5;

  static constexpr uint32_t kIsrPe = 1u << 0;
  static constexpr uint32_t kIsrFe = 1u << 1;
  static constexpr uint32_t kIsrNe = 1u << 2;
  static constexpr uint32_t kIsrOre = 1u << 3;
  static constexpr uint32_t kIsrRxne = 1u << 5;
  static constexpr uint32_t kIsrTc = 1u << 6;
  static constexpr uint32_t kIsrTxe = 1u << 7;
  static constexpr uint32_t kIsrErrors = kIsrPe | kIsrFe | kIsrNe | kIsrOre;
  // ICR clear bits sit at the same positions as the ISR error flags.
  static constexpr uint32_t kIcrErrors = kIsrErrors;

  static constexpr uint32_t kBrrMin = 0x300;
  static constexpr uint32_t kBrrMax = (1u << 20) - 1;

  // BRR for a kernel clock and baud rate (rounded to nearest), or 0 when the
  // pair is outside what the LPUART can generate.
  static constexpr uint32_t brr_for(uint32_t kernel_clock_hz, uint32_t baud) {
    if (baud == 0) return 0;
    if (uint64_t{kernel_clock_hz} < 3ull * baud || uint64_t{kernel_clock_hz} > 4096ull * baud) return 0;
    const uint64_t brr = (256ull * kernel_clock_hz + baud / 2) / baud;
    return (brr < kBrrMin || brr > kBrrMax) ? 0 : static_cast<uint32_t>(brr);
  }

  constexpr explicit Stm32Lpuart(uintptr_t base) : regs_(base) {}

  // Programs 8N1 at `baud` from a kernel clock of kernel_clock_hz and enables
  // TX, RX and (when use_rx_interrupt) the RX-not-empty interrupt; the board
  // routes the LPUART IRQ to on_interrupt(). Returns false (and leaves the
  // LPUART disabled) when the baud rate cannot be generated.
  bool init(uint32_t kernel_clock_hz, uint32_t baud, bool use_rx_interrupt);

  // Waits for the last byte to leave the shift register (ISR.TC).
  void flush() override;

  // Interrupt service: clears error flags (an overrun would otherwise keep
  // the RXNE interrupt asserted) and moves every received byte into the ring.
  // Receive errors counted: ISR.ORE/FE/PE/NE, one per time the flags were
  // seen and cleared.
  void on_interrupt() { rx_interrupt(); }
  uint32_t errors() const { return rx_errors(); }

 private:
  friend class IrqRxUart<Stm32Lpuart>;
  // The waits on TXE end when the shift register moves on: at most one
  // character time (10 bits at the configured baud rate) per byte.
  bool tx_ready() const { return regs_.read(kIsr) & kIsrTxe; }
  void tx_byte(uint8_t byte) const { regs_.write(kTdr, byte); }
  bool rx_byte(uint8_t& byte);

  mmio::Block regs_;
};

}  // namespace tp::drivers
