// Synopsys DesignWare DW_apb_uart (16550-compatible, registers 32 bits
// apart), polled: the console of the Himax WE-I Plus. Register map and bits:
// DW_apb_uart Databook, "Register Descriptions": RBR/THR/DLL 0x00,
// IER/DLH 0x04, IIR/FCR 0x08, LCR 0x0C, MCR 0x10, LSR 0x14, USR 0x7C.
// Baud: divisor = uart_clk / (16 x baud), rounded to the nearest.
// Input is read from the receive FIFO when the application polls; the
// protocol's host waits for m-ready before sending, so the FIFO is enough.
#pragma once

#include <cstddef>
#include <cstdint>

#include "tinyperf/drivers/interfaces.h"
#include "tinyperf/drivers/mmio.h"

namespace tp::drivers {

class DwUart final : public Uart {
 public:
  static constexpr uint32_t kRbrThrDll = 0x00, kIerDlh = 0x04, kIirFcr = 0x08, kLcr = 0x0C,
                            kMcr = 0x10, kLsr = 0x14, kUsr = 0x7C;
  static constexpr uint32_t kLcrDlab = 1u << 7, kLcr8n1 = 0x03;
  static constexpr uint32_t kFcrFifoEnable = 1u << 0, kFcrRxReset = 1u << 1, kFcrTxReset = 1u << 2;
  static constexpr uint32_t kLsrDataReady = 1u << 0, kLsrThrEmpty = 1u << 5, kLsrTxEmpty = 1u << 6;
  // Receive errors (overrun, parity, framing, break): reading LSR clears
  // them, so every LSR read goes through lsr(), which counts them.
  static constexpr uint32_t kLsrOverrun = 1u << 1, kLsrParity = 1u << 2, kLsrFraming = 1u << 3,
                            kLsrBreak = 1u << 4;
  static constexpr uint32_t kLsrErrors = kLsrOverrun | kLsrParity | kLsrFraming | kLsrBreak;
  static constexpr uint32_t kUsrBusy = 1u << 0;
  // Bounded waits: loop iterations before a status bit is given up on.
  static constexpr uint32_t kSpinLimit = 1u << 20;

  explicit constexpr DwUart(uintptr_t base) : regs_(base) {}

  static constexpr uint32_t divisor(uint32_t clk_hz, uint32_t baud) {
    return (clk_hz + 8 * baud) / (16 * baud);
  }

  // 8N1 at baud, FIFOs on and reset, interrupts off. False if the UART
  // stayed busy (USR.BUSY: LCR cannot be written while it is).
  bool init(uint32_t clk_hz, uint32_t baud);
  // Keeps the UART clock setting of the loader: reads the divisor the
  // loader set for from_baud and scales it to to_baud (for a board whose
  // UART clock is not documented publicly). FIFOs on, interrupts off.
  bool init_from_loader(uint32_t from_baud, uint32_t to_baud);
  bool read(uint8_t& byte) override;
  void write(const char* data, std::size_t size) override;
  void flush() override;
  void put_raw(char c);
  // Polled, no receive buffer: nothing is dropped by the driver; the
  // hardware's error flags are counted each time LSR shows one.
  RxLosses rx_losses() const override { return {0, rx_errors_}; }

 private:
  uint32_t lsr();

  mmio::Block regs_;
  uint32_t rx_errors_ = 0;
};

}  // namespace tp::drivers
