// Ambiq Apollo3 UART (an Arm PL011 derivative) as the console: 8N1, FIFOs
// on, interrupt-driven RX (FIFO level and receive timeout) into a ring
// buffer, polled TX.
//
// Sources: Apollo3 Blue MCU datasheet, chapter "UART Module"; register
// offsets and bits as in Ambiq's apollo3.h (UART0_Type, UART0_*_Msk) and the
// baud arithmetic of the SDK's am_hal_uart.c (16x oversampling, 6-bit
// fraction); Arm PrimeCell UART (PL011) TRM for the divisor latch rule:
//   DR 0x00 (DATA 7:0, FE 8, PE 9, BE 10, OE 11), FR 0x18 (BUSY 3, RXFE 4,
//   TXFF 5, RXFF 6, TXFE 7), IBRD 0x24, FBRD 0x28, LCRH 0x2C (FEN 4, WLEN
//   6:5 with 11 = 8 bits; writing LCRH latches IBRD/FBRD), CR 0x30 (UARTEN
//   0, CLKEN 3, CLKSEL 6:4 with 1 = 24 MHz, TXE 8, RXE 9), IFLS 0x34
//   (TXIFLSEL 2:0, RXIFLSEL 5:3, 0 = 1/8 full), IER 0x38 (RXIM 4, RTIM 6),
//   MIS 0x40, IEC 0x44 (write 1 to clear; 0x7FF: all).
// The UART's power domain must be on first (Apollo3SysCtrl::power_on_uart0).
#pragma once

#include <cstdint>

#include "tinyperf/drivers/irq_rx_uart.h"
#include "tinyperf/drivers/mmio.h"

namespace tp::drivers {

class Apollo3Uart final : public IrqRxUart<Apollo3Uart> {
 public:
  static constexpr uintptr_t kUart0Base = 0x4001C000;
  static constexpr uint32_t kDr = 0x00, kFr = 0x18, kIbrd = 0x24, kFbrd = 0x28, kLcrh = 0x2C;
  static constexpr uint32_t kCr = 0x30, kIfls = 0x34, kIer = 0x38, kMis = 0x40, kIec = 0x44;

  // DR's receive status bits beside the data byte (framing, parity, break,
  // overrun): each marks a byte lost or damaged on the way in.
  static constexpr uint32_t kDrFraming = 1u << 8, kDrParity = 1u << 9, kDrBreak = 1u << 10;
  static constexpr uint32_t kDrOverrun = 1u << 11;
  static constexpr uint32_t kDrErrors = kDrFraming | kDrParity | kDrBreak | kDrOverrun;
  static constexpr uint32_t kFrBusy = 1u << 3, kFrRxfe = 1u << 4, kFrTxff = 1u << 5;
  static constexpr uint32_t kLcrhFen = 1u << 4, kLcrhWlen8 = 3u << 5;
  static constexpr uint32_t kCrUarten = 1u << 0, kCrClken = 1u << 3, kCrClksel24MHz = 1u << 4;
  static constexpr uint32_t kCrTxe = 1u << 8, kCrRxe = 1u << 9;
  static constexpr uint32_t kIntRx = 1u << 4, kIntRt = 1u << 6, kIntAll = 0x7FF;

  static constexpr uint32_t kClock24MHz = 24'000'000;

  // The baud divisor in 64ths: clock / (16 x baud) x 64, truncated as the
  // SDK does; IBRD = div >> 6, FBRD = div & 63.
  static constexpr uint32_t divisor_64ths(uint32_t clock_hz, uint32_t baud) {
    return baud == 0 ? 0 : static_cast<uint32_t>(uint64_t{clock_hz} * 4 / baud);
  }

  constexpr explicit Apollo3Uart(uintptr_t base) : regs_(base) {}

  // 8N1 at `baud` from the 24 MHz UART clock, FIFOs on, RX interrupts on
  // when use_rx_interrupt (the board routes the UART IRQ to on_interrupt()).
  // Returns false, UART left disabled, when the divisor is out of range.
  bool init(uint32_t baud, bool use_rx_interrupt);

  // Waits until the transmitter is idle (FR.BUSY clear).
  void flush() override;

  // Clears the RX and timeout interrupts, then empties the RX FIFO. Receive
  // errors counted: bytes that came with an error flag in DR (framing,
  // parity, break or overrun).
  void on_interrupt();
  uint32_t overruns() const { return overruns_; }

 private:
  friend class IrqRxUart<Apollo3Uart>;
  bool tx_ready() const { return !(regs_.read(kFr) & kFrTxff); }
  void tx_byte(uint8_t byte) const { regs_.write(kDr, byte); }
  bool rx_byte(uint8_t& byte);

  mmio::Block regs_;
  volatile uint32_t overruns_ = 0;
};

}  // namespace tp::drivers
