// The driver families the application sees. One implementation per
// peripheral type lives in drivers/<peripheral>/; a board binds instances.
#pragma once

#include <cstddef>
#include <cstdint>

namespace tp::drivers {

// Running totals of what a console lost on receive since start: bytes
// dropped because its receive buffer was full, and receive errors its
// hardware flagged (overrun, framing, parity: each is at least one byte
// lost or damaged). The protocol refuses a command that arrived while either
// grew (app/protocol.cc).
struct RxLosses {
  uint32_t dropped = 0;
  uint32_t hw_errors = 0;
  uint32_t total() const { return dropped + hw_errors; }
};

// A byte stream to the host (the console).
class Uart {
 public:
  virtual RxLosses rx_losses() const { return {}; }
  // Non-blocking: takes one received byte if there is one.
  virtual bool read(uint8_t& byte) = 0;
  // Blocking: returns once every byte is handed to the hardware.
  virtual void write(const char* data, std::size_t size) = 0;
  // Returns once every written byte has left (or is safely queued).
  virtual void flush() {}
  // Optional: called from the driver's receive interrupt once new bytes are
  // buffered (the firmware on the kernel gives its protocol thread's
  // semaphore here). Interrupt-driven drivers call it; polled ones never do.
  void set_rx_notify(void (*fn)()) { rx_notify_ = fn; }
  // Received bytes wait to be read (interrupt-driven drivers; false elsewhere).
  virtual bool rx_pending() const { return false; }

 protected:
  ~Uart() = default;
  void notify_rx() const {
    if (rx_notify_) rx_notify_();
  }

 private:
  void (*rx_notify_)() = nullptr;
};

// A free-running 64-bit microsecond counter (never wraps in practice).
class Clock {
 public:
  virtual uint64_t micros() = 0;

 protected:
  ~Clock() = default;
};

// A one-shot alarm for the kernel's timeouts (tickless): a compare channel
// on a free-running timer or a one-shot down-counter. Its interrupt calls
// the handler once per arm().
class Alarm {
 public:
  // Arms for `at`, microseconds on the board's Clock, which read `now` just
  // before. The handler runs from the alarm's interrupt at `at` or later, or
  // earlier when `at` is beyond the timer's range (the kernel then re-arms).
  // Replaces any earlier arm. Returns false when `at` is too close to arm in
  // hardware: the caller then pends irq() and the handler runs from it.
  virtual bool arm(uint64_t at, uint64_t now) = 0;
  // Cancels: the handler does not run (a spurious call is harmless).
  virtual void stop() = 0;
  // The interrupt line the alarm raises.
  virtual int irq() const = 0;
  void set_handler(void (*fn)()) { handler_ = fn; }

 protected:
  ~Alarm() = default;
  void fire() const {
    if (handler_) handler_();
  }

 private:
  void (*handler_)() = nullptr;
};

// A watchdog: once started it must be fed within its timeout, or the board
// resets (through an early warning first where the hardware has one).
class Watchdog {
 public:
  virtual void start() = 0;
  virtual void feed() = 0;
  // Milliseconds from the last feed to the reset (the early warning
  // included), for the README and tests.
  virtual uint32_t timeout_ms() const = 0;

 protected:
  ~Watchdog() = default;
};

// One output pin.
class OutputPin {
 public:
  virtual void set(bool high) = 0;

 protected:
  ~OutputPin() = default;
};

// The timestamp pin of a board that binds none (no energy-mode image).
class NoOutputPin final : public OutputPin {
 public:
  void set(bool) override {}
};

}  // namespace tp::drivers
