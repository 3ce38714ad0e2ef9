#include "dw_uart.h"

namespace tp::drivers {

bool DwUart::init(uint32_t clk_hz, uint32_t baud) {
  uint32_t spins = 0;
  while (regs_.read(kUsr) & kUsrBusy) {
    if (++spins == kSpinLimit) return false;
  }
  const uint32_t div = divisor(clk_hz, baud);
  regs_.write(kIerDlh, 0);             // interrupts off (DLAB = 0: IER)
  regs_.write(kLcr, kLcrDlab | kLcr8n1);
  regs_.write(kRbrThrDll, div & 0xFF);
  regs_.write(kIerDlh, (div >> 8) & 0xFF);
  regs_.write(kLcr, kLcr8n1);          // DLAB = 0, 8 data bits, 1 stop, no parity
  regs_.write(kIirFcr, kFcrFifoEnable | kFcrRxReset | kFcrTxReset);
  regs_.write(kMcr, 0);
  return true;
}

bool DwUart::init_from_loader(uint32_t from_baud, uint32_t to_baud) {
  uint32_t spins = 0;
  while (regs_.read(kUsr) & kUsrBusy) {
    if (++spins == kSpinLimit) return false;
  }
  regs_.write(kIerDlh, 0);
  regs_.write(kLcr, kLcrDlab | kLcr8n1);
  const uint32_t old_div = (regs_.read(kRbrThrDll) & 0xFF) | ((regs_.read(kIerDlh) & 0xFF) << 8);
  // Nearest divisor for to_baud from the same clock: old x from / to.
  const uint32_t div = static_cast<uint32_t>(
      (static_cast<uint64_t>(old_div) * from_baud + to_baud / 2) / to_baud);
  regs_.write(kRbrThrDll, div & 0xFF);
  regs_.write(kIerDlh, (div >> 8) & 0xFF);
  regs_.write(kLcr, kLcr8n1);
  regs_.write(kIirFcr, kFcrFifoEnable | kFcrRxReset | kFcrTxReset);
  regs_.write(kMcr, 0);
  return old_div != 0 && div != 0 && div <= 0xFFFF;
}

uint32_t DwUart::lsr() {
  const uint32_t v = regs_.read(kLsr);
  if (v & kLsrErrors) ++rx_errors_;
  return v;
}

bool DwUart::read(uint8_t& byte) {
  if (!(lsr() & kLsrDataReady)) return false;
  byte = static_cast<uint8_t>(regs_.read(kRbrThrDll) & 0xFF);
  return true;
}

void DwUart::put_raw(char c) {
  uint32_t spins = 0;
  while (!(lsr() & kLsrThrEmpty)) {
    if (++spins == kSpinLimit) return;  // a stuck transmitter drops the byte
  }
  regs_.write(kRbrThrDll, static_cast<uint8_t>(c));
}

void DwUart::write(const char* data, std::size_t size) {
  for (std::size_t i = 0; i < size; ++i) put_raw(data[i]);
}

void DwUart::flush() {
  uint32_t spins = 0;
  while (!(lsr() & kLsrTxEmpty)) {
    if (++spins == kSpinLimit) return;
  }
}

}  // namespace tp::drivers
