// ESP32 UART (UART0 at 0x3FF40000), polled. ESP32 Technical Reference
// Manual (TRM), chapter "UART Controller", register summary: UART_FIFO_REG
// 0x00 (read: one received byte; write: one byte to send), UART_CLKDIV_REG
// 0x14 (CLKDIV integer part bits 19:0, UART_CLKDIV_FRAG bits 23:20, in
// 1/16), UART_STATUS_REG 0x1C (UART_RXFIFO_CNT bits 7:0, UART_TXFIFO_CNT
// bits 23:16, UART_ST_UTX_OUT bits 27:24, 0 = transmitter idle).
// Baud = UART clock (APB) / (CLKDIV + FRAG/16). The FIFOs are 128 bytes.
#pragma once

#include <cstddef>
#include <cstdint>

#include "tinyperf/drivers/interfaces.h"
#include "tinyperf/drivers/mmio.h"

namespace tp::drivers {

class Esp32Uart final : public Uart {
 public:
  static constexpr uintptr_t kUart0Base = 0x3FF40000;
  static constexpr uint32_t kFifo = 0x00, kIntRaw = 0x04, kIntClr = 0x10, kClkdiv = 0x14, kStatus = 0x1C;
  // INT_RAW receive errors (ESP32 TRM, UART_INT_RAW_REG): parity, framing,
  // RX FIFO overflow; raw bits are set without INT_ENA and cleared by INT_CLR.
  static constexpr uint32_t kIntParityErr = 1u << 2, kIntFrameErr = 1u << 3, kIntRxFifoOvf = 1u << 4;
  static constexpr uint32_t kIntRxErrors = kIntParityErr | kIntFrameErr | kIntRxFifoOvf;
  static constexpr uint32_t kFifoSize = 128;
  static constexpr uint32_t kSpinLimit = 1u << 20;

  explicit constexpr Esp32Uart(uintptr_t base) : regs_(base) {}

  // The boot ROM leaves UART0 at from_baud (115200) on the APB clock; this
  // scales its divider (in sixteenths) to to_baud. Returns the UART clock in
  // Hz that the ROM's divider implies (divider x from_baud), 0 if the
  // divider read back is 0.
  uint32_t init_from_rom(uint32_t from_baud, uint32_t to_baud);
  bool read(uint8_t& byte) override;
  void write(const char* data, std::size_t size) override;
  void flush() override;
  void put_raw(char c);
  // Polled, no receive buffer: losses are the hardware's flags, counted
  // (and cleared) by read().
  RxLosses rx_losses() const override { return {0, rx_errors_}; }

  static constexpr uint32_t rx_count(uint32_t status) { return status & 0xFF; }
  static constexpr uint32_t tx_count(uint32_t status) { return (status >> 16) & 0xFF; }
  static constexpr uint32_t tx_state(uint32_t status) { return (status >> 24) & 0xF; }

 private:
  mmio::Block regs_;
  uint32_t rx_errors_ = 0;
};

}  // namespace tp::drivers
