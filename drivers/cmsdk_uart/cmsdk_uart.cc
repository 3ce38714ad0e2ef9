#include "cmsdk_uart.h"

namespace tp::drivers {

void CmsdkUart::init(uint32_t clock_hz, uint32_t baud, bool use_rx_interrupt) {
  uint32_t div = baud ? clock_hz / baud : 16;
  if (div < 16) div = 16;  // the TRM's minimum divisor
  regs_.write(kCtrl, 0);
  regs_.write(kBaudDiv, div);
  regs_.write(kIntStatus, kIntTx | kIntRx | kIntTxOverrun | kIntRxOverrun);
  regs_.write(kState, kStateTxOverrun | kStateRxOverrun);  // write 1 to clear
  set_irq_driven(use_rx_interrupt);
  uint32_t ctrl = kCtrlTxEnable | kCtrlRxEnable;
  if (use_rx_interrupt) ctrl |= kCtrlRxIrq;
  regs_.write(kCtrl, ctrl);
  // Bytes that arrived while RX was disabled wait outside the UART; a read
  // of DATA while it is empty asks for them (and is harmless otherwise).
  if (!(regs_.read(kState) & kStateRxFull)) (void)regs_.read(kData);
}

bool CmsdkUart::rx_byte(uint8_t& byte) {
  const uint32_t state = regs_.read(kState);
  if (state & kStateRxOverrun) {  // a byte was lost before this one
    regs_.write(kState, kStateRxOverrun);  // write 1 to clear
    count_rx_error();
  }
  if (!(state & kStateRxFull)) return false;
  byte = static_cast<uint8_t>(regs_.read(kData) & 0xFF);
  return true;
}

void CmsdkUart::on_rx_interrupt() {
  // Clear first, then drain: a byte that lands after the drain raises the
  // interrupt again instead of having its status cleared unseen.
  regs_.write(kIntStatus, kIntRx);
  rx_interrupt();
}

}  // namespace tp::drivers
