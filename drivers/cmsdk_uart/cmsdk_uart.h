// Arm CMSDK APB UART (as on the MPS2/MPS3 FPGA images).
// Register map: Arm Cortex-M System Design Kit Technical Reference Manual
// (DDI 0479), section "APB UART".
#pragma once

#include <cstdint>

#include "tinyperf/drivers/irq_rx_uart.h"
#include "tinyperf/drivers/mmio.h"

namespace tp::drivers {

class CmsdkUart final : public IrqRxUart<CmsdkUart> {
 public:
  // Register offsets and bits.
  static constexpr uint32_t kData = 0x00;
  static constexpr uint32_t kState = 0x04;
  static constexpr uint32_t kCtrl = 0x08;
  static constexpr uint32_t kIntStatus = 0x0C;  // write: INTCLEAR
  static constexpr uint32_t kBaudDiv = 0x10;

  static constexpr uint32_t kStateTxFull = 1u << 0;
  static constexpr uint32_t kStateRxFull = 1u << 1;
  static constexpr uint32_t kStateTxOverrun = 1u << 2;
  static constexpr uint32_t kStateRxOverrun = 1u << 3;

  static constexpr uint32_t kCtrlTxEnable = 1u << 0;
  static constexpr uint32_t kCtrlRxEnable = 1u << 1;
  static constexpr uint32_t kCtrlTxIrq = 1u << 2;
  static constexpr uint32_t kCtrlRxIrq = 1u << 3;

  static constexpr uint32_t kIntTx = 1u << 0;
  static constexpr uint32_t kIntRx = 1u << 1;
  static constexpr uint32_t kIntTxOverrun = 1u << 2;
  static constexpr uint32_t kIntRxOverrun = 1u << 3;

  constexpr explicit CmsdkUart(uintptr_t base) : regs_(base) {}

  // Sets the baud divisor (clock / baud, at least 16), enables TX and RX and,
  // when use_rx_interrupt, the RX interrupt (the board routes the IRQ to
  // on_rx_interrupt()).
  void init(uint32_t clock_hz, uint32_t baud, bool use_rx_interrupt);

  // RX interrupt service: clears the interrupt, then moves every received
  // byte into the ring. Receive errors counted: RX overruns
  // (STATE.RXOVERRUN: a byte arrived while the one before was unread), each
  // cleared and counted as it is seen.
  void on_rx_interrupt();

 private:
  friend class IrqRxUart<CmsdkUart>;
  bool tx_ready() const { return !(regs_.read(kState) & kStateTxFull); }
  void tx_byte(uint8_t byte) const { regs_.write(kData, byte); }
  bool rx_byte(uint8_t& byte);

  mmio::Block regs_;
};

}  // namespace tp::drivers
