// nRF52 UARTE (UART with EasyDMA) as the console: 8N1, no flow control.
//
// nRF52840 Product Specification, chapter "UARTE — Universal asynchronous
// receiver/transmitter with EasyDMA", sections "Reception", "Transmission",
// "Pin configuration" and "Registers" (NRF_UARTE_Type in nrfx's
// mdk/nrf52840.h, values from nrf52840_bitfields.h):
//   TASKS_STARTRX 0x000, TASKS_STARTTX 0x008, TASKS_STOPTX 0x00C,
//   EVENTS_ENDRX 0x110, EVENTS_ENDTX 0x120, EVENTS_ERROR 0x124,
//   EVENTS_RXSTARTED 0x14C, EVENTS_TXSTOPPED 0x158,
//   SHORTS 0x200 (ENDRX_STARTRX bit 5), INTEN 0x300 (ENDRX bit 4, ERROR bit 9,
//   RXSTARTED bit 19), ERRORSRC 0x480 (write 1 to clear), ENABLE 0x500
//   (8 = UARTE), PSEL.RTS/TXD/CTS/RXD 0x508/0x50C/0x510/0x514 (PIN bits 4:0,
//   PORT bit 5, CONNECT bit 31: 1 = disconnected), BAUDRATE 0x524, RXD.PTR
//   0x534, RXD.MAXCNT 0x538, RXD.AMOUNT 0x53C, TXD.PTR 0x544, TXD.MAXCNT
//   0x548, CONFIG 0x56C (0: no parity, one stop bit, no HWFC).
//
// Reception is continuous and interrupt-driven, one byte per EasyDMA
// transfer into two alternating RAM bytes: the ENDRX_STARTRX shortcut
// restarts reception at once, and RXD.PTR (double-buffered: "can be updated
// after the RXSTARTED event") is pointed at the other byte on every
// RXSTARTED. The interrupt handler copies each finished byte into the ring.
// A byte is lost only if the handler is held off for more than one
// character time (87 us at 115200, 1 ms at 9600 baud).
//
// Transmission copies the data into a RAM buffer (EasyDMA cannot read
// flash), starts TX and waits for ENDTX, then stops the transmitter (so it
// draws no current between writes) and waits for TXSTOPPED. Both waits end
// in hardware time: at most one chunk's characters at the baud rate.
#pragma once

#include <cstdint>

#include "tinyperf/drivers/interfaces.h"
#include "tinyperf/drivers/mmio.h"
#include "tinyperf/drivers/ring_buffer.h"

namespace tp::drivers {

class Nrf52Uarte final : public Uart {
 public:
  static constexpr uintptr_t kUarte0Base = 0x40002000;
  static constexpr uint32_t kTasksStartRx = 0x000, kTasksStartTx = 0x008, kTasksStopTx = 0x00C;
  static constexpr uint32_t kEventsEndRx = 0x110, kEventsEndTx = 0x120, kEventsError = 0x124;
  static constexpr uint32_t kEventsRxStarted = 0x14C, kEventsTxStopped = 0x158;
  static constexpr uint32_t kShorts = 0x200, kInten = 0x300, kErrorSrc = 0x480, kEnable = 0x500;
  static constexpr uint32_t kPselRts = 0x508, kPselTxd = 0x50C, kPselCts = 0x510, kPselRxd = 0x514;
  static constexpr uint32_t kBaudrate = 0x524, kConfig = 0x56C;
  static constexpr uint32_t kRxdPtr = 0x534, kRxdMaxCnt = 0x538, kRxdAmount = 0x53C;
  static constexpr uint32_t kTxdPtr = 0x544, kTxdMaxCnt = 0x548;

  static constexpr uint32_t kShortEndRxStartRx = 1u << 5;
  static constexpr uint32_t kIntEndRx = 1u << 4, kIntError = 1u << 9, kIntRxStarted = 1u << 19;
  static constexpr uint32_t kEnableUarte = 8;
  static constexpr uint32_t kPselDisconnected = 0xFFFFFFFF;

  static constexpr std::size_t kRxBufferSize = 1024;
  static constexpr std::size_t kTxChunk = 64;

  // PSEL value for pin `pin` of port `port` (P0.x: port 0, P1.x: port 1).
  static constexpr uint32_t psel(uint32_t port, uint32_t pin) { return (port << 5) | (pin & 0x1F); }

  // BAUDRATE register values ("BAUDRATE" register table; these differ from
  // the legacy UART's), or 0 for a rate the table does not have.
  static constexpr uint32_t baudrate_register(uint32_t baud) {
    switch (baud) {
      case 1200: return 0x0004F000;
      case 2400: return 0x0009D000;
      case 4800: return 0x0013B000;
      case 9600: return 0x00275000;
      case 14400: return 0x003AF000;
      case 19200: return 0x004EA000;
      case 28800: return 0x0075C000;
      case 38400: return 0x009D0000;
      case 57600: return 0x00EB0000;
      case 115200: return 0x01D60000;
      case 230400: return 0x03B00000;
      case 460800: return 0x07400000;
      case 921600: return 0x0F000000;
      case 1000000: return 0x10000000;
      default: return 0;
    }
  }

  constexpr explicit Nrf52Uarte(uintptr_t base) : regs_(base) {}

  // Connects TXD/RXD (PSEL values), sets the baud rate, enables the UARTE
  // and starts continuous reception with ENDRX, RXSTARTED and ERROR
  // interrupts (the board routes the UARTE IRQ to on_interrupt()). The board
  // configures the pins in GPIO first ("Pin configuration": TXD output high,
  // RXD input). Returns false, UARTE left disabled, for an unknown baud rate.
  bool init(uint32_t baud, uint32_t txd_psel, uint32_t rxd_psel);

  bool read(uint8_t& byte) override;
  void write(const char* data, std::size_t size) override;
  void flush() override {}  // write() returns once the bytes have left

  // Polled single-byte output for fault reports.
  void put_raw(char c);

  void on_interrupt();

  uint32_t dropped() const { return rx_.dropped(); }
  // Ring overflows, and receive errors the hardware flagged (EVENTS_ERROR: ERRORSRC overrun/parity/framing/break), one per
  // time the flags were seen and cleared.
  RxLosses rx_losses() const override { return {rx_.dropped(), errors_}; }
  uint32_t errors() const { return errors_; }
  bool rx_pending() const override { return !rx_.empty(); }
  // The two EasyDMA receive bytes (tests model the DMA writing into them).
  uint8_t* rx_dma_byte(int i) { return &rx_dma_[i & 1]; }

 private:
  static uint32_t dma_address(const void* p) {
    return static_cast<uint32_t>(reinterpret_cast<uintptr_t>(p));
  }
  void send(const uint8_t* buf, uint32_t n);

  mmio::Block regs_;
  RingBuffer<kRxBufferSize> rx_;
  alignas(4) uint8_t rx_dma_[2] = {};
  alignas(4) uint8_t tx_dma_[kTxChunk] = {};
  uint8_t fault_byte_ = 0;
  volatile uint8_t filling_ = 0;  // the byte EasyDMA writes now
  volatile uint8_t latched_ = 0;  // the byte RXD.PTR names for the next STARTRX
  volatile uint32_t errors_ = 0;
};

}  // namespace tp::drivers
