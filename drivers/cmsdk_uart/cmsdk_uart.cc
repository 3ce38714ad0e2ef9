#include "cmsdk_uart.h"

namespace tp::drivers {

void CmsdkUart::init(uint32_t clock_hz, uint32_t baud, bool use_rx_interrupt) {
  uint32_t div = baud ? clock_hz / baud : 16;
  if (div < 16) div = 16;  // the TRM's minimum divisor
  regs_.write(kCtrl, 0);
  regs_.write(kBaudDiv, div);
  regs_.write(kIntStatus, kIntTx | kIntRx | kIntTxOverrun | kIntRxOverrun);
  regs_.write(kState, kStateTxOverrun | kStateRxOverrun);  // write 1 to clear
  irq_driven_ = use_rx_interrupt;
  uint32_t ctrl = kCtrlTxEnable | kCtrlRxEnable;
  if (use_rx_interrupt) ctrl |= kCtrlRxIrq;
  regs_.write(kCtrl, ctrl);
  // Bytes that arrived while RX was disabled wait outside the UART; a read
  // of DATA while it is empty asks for them (and is harmless otherwise).
  if (!(regs_.read(kState) & kStateRxFull)) (void)regs_.read(kData);
}

void CmsdkUart::drain_rx() {
  uint32_t state = regs_.read(kState);
  if (state & kStateRxOverrun) {  // a byte was lost before this drain
    regs_.write(kState, kStateRxOverrun);  // write 1 to clear
    rx_overruns_ = rx_overruns_ + 1;
  }
  while (state & kStateRxFull) {
    rx_.push(static_cast<uint8_t>(regs_.read(kData) & 0xFF));
    state = regs_.read(kState);
  }
}

void CmsdkUart::on_rx_interrupt() {
  // Clear first, then drain: a byte that lands after the drain raises the
  // interrupt again instead of having its status cleared unseen.
  regs_.write(kIntStatus, kIntRx);
  drain_rx();
  notify_rx();
}

bool CmsdkUart::read(uint8_t& byte) {
  if (!irq_driven_) drain_rx();
  return rx_.pop(byte);
}

void CmsdkUart::put_raw(char c) const {
  while (regs_.read(kState) & kStateTxFull) {
  }
  regs_.write(kData, static_cast<uint8_t>(c));
}

void CmsdkUart::write(const char* data, std::size_t size) {
  for (std::size_t i = 0; i < size; ++i) {
    while (regs_.read(kState) & kStateTxFull) {
      if (!irq_driven_) drain_rx();  // keep receiving while we wait
    }
    regs_.write(kData, static_cast<uint8_t>(data[i]));
  }
}

}  // namespace tp::drivers
