// The console plumbing every interrupt-driven UART driver shares: received
// bytes go into a ring (from the receive interrupt, or polled when the board
// runs without one), `write` blocks per byte and keeps receiving while it
// waits, `put_raw` writes one byte for fault output with no state at all,
// and the losses the protocol checks are counted in one place.
//
// A driver derives from IrqRxUart<Driver> (CRTP: no virtual call on the
// byte path) and supplies its hardware's three steps:
//   bool tx_ready() const;          // the transmitter takes one more byte
//   void tx_byte(uint8_t) const;    // hand it one byte
//   bool rx_byte(uint8_t& byte);    // take one received byte if there is
//                                   // one; report receive errors through
//                                   // count_rx_error()
// Its interrupt handler clears its own status bits and then calls
// rx_interrupt(). Used by cmsdk_uart, stm32_lpuart and apollo3_uart.
#pragma once

#include <cstddef>
#include <cstdint>

#include "tinyperf/drivers/interfaces.h"
#include "tinyperf/drivers/ring_buffer.h"

namespace tp::drivers {

template <class Driver, std::size_t kRxBytes = 1024>
class IrqRxUart : public Uart {
 public:
  // Received bytes buffered while the firmware is busy (several protocol lines).
  static constexpr std::size_t kRxBufferSize = kRxBytes;

  bool read(uint8_t& byte) override {
    if (!irq_driven_) drain_rx();
    return rx_.pop(byte);
  }

  // Each wait ends when the transmitter moves on: one character time per byte.
  void write(const char* data, std::size_t size) override {
    for (std::size_t i = 0; i < size; ++i) {
      while (!driver().tx_ready()) {
        if (!irq_driven_) drain_rx();  // keep receiving while we wait
      }
      driver().tx_byte(static_cast<uint8_t>(data[i]));
    }
  }

  // Polled single-byte output for fault reports (no state, no interrupts).
  void put_raw(char c) const {
    while (!driver().tx_ready()) {
    }
    driver().tx_byte(static_cast<uint8_t>(c));
  }

  // Bytes the ring had no room for.
  uint32_t dropped() const { return rx_.dropped(); }
  // Ring overflows, and the receive errors the hardware flagged.
  RxLosses rx_losses() const override { return {rx_.dropped(), rx_errors_}; }
  bool rx_pending() const override { return !rx_.empty(); }

 protected:
  constexpr IrqRxUart() = default;
  ~IrqRxUart() = default;

  // Interrupt-driven receive (set by the driver's init).
  void set_irq_driven(bool on) { irq_driven_ = on; }
  void count_rx_error() { rx_errors_ = rx_errors_ + 1; }
  uint32_t rx_errors() const { return rx_errors_; }

  // Moves every received byte into the ring.
  void drain_rx() {
    uint8_t byte;
    while (driver().rx_byte(byte)) rx_.push(byte);
  }

  // The tail of the driver's receive interrupt, once its status is cleared.
  void rx_interrupt() {
    drain_rx();
    notify_rx();
  }

 private:
  Driver& driver() { return static_cast<Driver&>(*this); }
  const Driver& driver() const { return static_cast<const Driver&>(*this); }

  RingBuffer<kRxBytes> rx_;
  bool irq_driven_ = false;
  volatile uint32_t rx_errors_ = 0;
};

}  // namespace tp::drivers
