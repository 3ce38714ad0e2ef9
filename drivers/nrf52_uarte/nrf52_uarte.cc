#include "nrf52_uarte.h"

#include <cstring>

namespace tp::drivers {

bool Nrf52Uarte::init(uint32_t baud, uint32_t txd_psel, uint32_t rxd_psel) {
  // PSEL may only change while the UARTE is disabled.
  regs_.write(kEnable, 0);
  const uint32_t baud_reg = baudrate_register(baud);
  if (baud_reg == 0) return false;
  regs_.write(kPselTxd, txd_psel);
  regs_.write(kPselRxd, rxd_psel);
  regs_.write(kPselRts, kPselDisconnected);
  regs_.write(kPselCts, kPselDisconnected);
  regs_.write(kBaudrate, baud_reg);
  regs_.write(kConfig, 0);
  static constexpr uint32_t kEvents[] = {kEventsEndRx, kEventsRxStarted, kEventsError, kEventsEndTx,
                                         kEventsTxStopped};
  for (uint32_t ev : kEvents) regs_.write(ev, 0);
  regs_.write(kEnable, kEnableUarte);

  filling_ = 0;
  latched_ = 0;
  regs_.write(kRxdPtr, dma_address(&rx_dma_[0]));
  regs_.write(kRxdMaxCnt, 1);
  regs_.write(kShorts, kShortEndRxStartRx);
  regs_.write(kInten, kIntEndRx | kIntRxStarted | kIntError);
  regs_.write(kTasksStartRx, 1);
  return true;
}

void Nrf52Uarte::on_interrupt() {
  if (regs_.read(kEventsError)) {
    regs_.write(kEventsError, 0);
    regs_.write(kErrorSrc, regs_.read(kErrorSrc));  // write 1 to clear
    errors_ = errors_ + 1;
  }
  // ENDRX before RXSTARTED: when both are pending, the finished byte is the
  // one that was being filled before the new reception started.
  if (regs_.read(kEventsEndRx)) {
    regs_.write(kEventsEndRx, 0);
    if (regs_.read(kRxdAmount) != 0) rx_.push(rx_dma_[filling_]);
  }
  if (regs_.read(kEventsRxStarted)) {
    regs_.write(kEventsRxStarted, 0);
    filling_ = latched_;
    latched_ = static_cast<uint8_t>(latched_ ^ 1u);
    regs_.write(kRxdPtr, dma_address(&rx_dma_[latched_]));
  }
  // Read an event back so the clears have reached the peripheral before the
  // handler returns (otherwise the interrupt can fire again at once).
  (void)regs_.read(kEventsEndRx);
  notify_rx();
}

bool Nrf52Uarte::read(uint8_t& byte) { return rx_.pop(byte); }

void Nrf52Uarte::send(const uint8_t* buf, uint32_t n) {
  regs_.write(kEventsEndTx, 0);
  regs_.write(kEventsTxStopped, 0);
  regs_.write(kTxdPtr, dma_address(buf));
  regs_.write(kTxdMaxCnt, n);
  regs_.write(kTasksStartTx, 1);
  while (regs_.read(kEventsEndTx) == 0) {
  }
  regs_.write(kEventsEndTx, 0);
  regs_.write(kTasksStopTx, 1);
  while (regs_.read(kEventsTxStopped) == 0) {
  }
  regs_.write(kEventsTxStopped, 0);
}

void Nrf52Uarte::write(const char* data, std::size_t size) {
  while (size > 0) {
    const std::size_t n = size < kTxChunk ? size : kTxChunk;
    std::memcpy(tx_dma_, data, n);
    send(tx_dma_, static_cast<uint32_t>(n));
    data += n;
    size -= n;
  }
}

void Nrf52Uarte::put_raw(char c) {
  fault_byte_ = static_cast<uint8_t>(c);
  send(&fault_byte_, 1);
}

}  // namespace tp::drivers
