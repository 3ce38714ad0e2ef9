// Drivers of the native board: the host process is the "chip".
#pragma once

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

 private:
  int in_fd_ = -1;
  int out_fd_ = -1;
  int pty_slave_fd_ = -1;
  bool eof_ = false;
  char pty_path_[128] = {};
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
