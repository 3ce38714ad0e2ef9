// Drivers of the native board: the host process is the "chip".
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>

#include "tinyperf/drivers/interfaces.h"

namespace tp::drivers {

// A byte stream over file descriptors: stdin/stdout, or a pseudo-terminal
// that keeps serving when the host closes and reopens it.
class PosixConsole final : public Uart {
 public:
  // Serves stdin/stdout.
  void open_stdio();
  // Opens a pseudo-terminal and returns its path (nullptr on failure). The
  // console keeps a slave descriptor of its own so that a host closing and
  // reopening the port does not end the session.
  const char* open_pty();

  bool read(uint8_t& byte) override;
  void write(const char* data, std::size_t size) override;
  void flush() override {}

  // Blocks until input is available (or timeout_ms passes; -1 waits forever).
  // Returns false at end of input (stdin closed).
  bool wait_readable(int timeout_ms);
  bool at_eof() const { return eof_; }
  // The descriptor input arrives on (-1 at end of input), for a caller that
  // waits for several sources at once.
  int in_fd() const { return eof_ ? -1 : in_fd_; }
  // Also writes everything written to the console to `path` (as QEMU's
  // -chardev logfile=: the sww01 interface board stand-in reads the DUT's
  // lines there). False if it cannot be created.
  bool open_log(const char* path);

 private:
  int in_fd_ = -1;
  int out_fd_ = -1;
  int pty_slave_fd_ = -1;
  int log_fd_ = -1;
  bool eof_ = false;
  char pty_path_[128] = {};
};

// A second serial line over a Unix stream socket that the host serves (the
// native board's sww01 audio input, as QEMU connects a board's second UART
// with -serial unix:PATH): connect() once at start-up; read() takes the
// received bytes without blocking, write() blocks. There is no interrupt on
// a host: whoever waits for input (the native board's idle path) polls fd()
// and calls receive() when it is readable, which buffers what arrived and
// calls the rx_notify callback, as a UART's receive interrupt would.
class PosixSocketUart final : public Uart {
 public:
  // Connects to the listening socket at `path` (retrying up to timeout_ms:
  // the host may bind it just after starting us). False on failure.
  bool connect(const char* path, int timeout_ms);
  bool read(uint8_t& byte) override;
  void write(const char* data, std::size_t size) override;
  bool rx_pending() const override { return head_ != tail_; }
  // The "receive interrupt": reads what the socket holds into the buffer
  // (up to its free space), then notifies. At end of stream (the host
  // closed it) closed() becomes true and nothing more arrives.
  void receive();
  int fd() const { return closed_ ? -1 : fd_; }
  bool open() const { return fd_ >= 0 && !closed_; }
  // Discards what has arrived and what arrives within quiet_ms of the last
  // byte (bytes of requests the other end answered after a stop).
  void drain(int quiet_ms);

 private:
  int fd_ = -1;
  bool closed_ = false;
  uint8_t buf_[4096] = {};
  std::size_t head_ = 0;  // next byte to read
  std::size_t tail_ = 0;  // end of the received bytes
};

// CLOCK_MONOTONIC in microseconds since init().
class MonotonicClock final : public Clock {
 public:
  void init();
  uint64_t micros() override;

 private:
  uint64_t start_ns_ = 0;
};

// A pin that logs its edges ("fall <us>" / "rise <us>" lines) to a file.
class LoggingPin final : public OutputPin {
 public:
  explicit LoggingPin(Clock& clock) : clock_(clock) {}
  bool open_log(const char* path);
  void set(bool high) override;
  bool level() const { return level_; }

 private:
  Clock& clock_;
  std::FILE* log_ = nullptr;
  bool level_ = true;
};

}  // namespace tp::drivers
