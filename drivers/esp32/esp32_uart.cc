#include "esp32_uart.h"

namespace tp::drivers {

uint32_t Esp32Uart::init_from_rom(uint32_t from_baud, uint32_t to_baud) {
  const uint32_t reg = regs_.read(kClkdiv);
  // Divider in sixteenths: integer part x 16 + fractional part.
  const uint32_t div16 = ((reg & 0xFFFFF) << 4) | ((reg >> 20) & 0xF);
  if (div16 == 0) return 0;
  const uint32_t clk_hz = static_cast<uint32_t>((static_cast<uint64_t>(div16) * from_baud + 8) / 16);
  const uint32_t new16 = static_cast<uint32_t>((static_cast<uint64_t>(clk_hz) * 16 + to_baud / 2) / to_baud);
  flush();  // the ROM's last bytes leave at the old speed
  regs_.write(kClkdiv, (reg & ~0xFFFFFFu) | ((new16 >> 4) & 0xFFFFF) | ((new16 & 0xF) << 20));
  return clk_hz;
}

bool Esp32Uart::read(uint8_t& byte) {
  const uint32_t errors = regs_.read(kIntRaw) & kIntRxErrors;
  if (errors) {
    regs_.write(kIntClr, errors);
    ++rx_errors_;
  }
  if (rx_count(regs_.read(kStatus)) == 0) return false;
  byte = static_cast<uint8_t>(regs_.read(kFifo) & 0xFF);
  return true;
}

void Esp32Uart::put_raw(char c) {
  uint32_t spins = 0;
  while (tx_count(regs_.read(kStatus)) >= kFifoSize - 1) {
    if (++spins == kSpinLimit) return;
  }
  regs_.write(kFifo, static_cast<uint8_t>(c));
}

void Esp32Uart::write(const char* data, std::size_t size) {
  for (std::size_t i = 0; i < size; ++i) put_raw(data[i]);
}

void Esp32Uart::flush() {
  uint32_t spins = 0;
  for (;;) {
    const uint32_t s = regs_.read(kStatus);
    if (tx_count(s) == 0 && tx_state(s) == 0) return;
    if (++spins == kSpinLimit) return;
  }
}

}  // namespace tp::drivers
