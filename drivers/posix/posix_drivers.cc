#include "posix_drivers.h"

#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace tp::drivers {

void PosixConsole::open_stdio() {
  in_fd_ = STDIN_FILENO;
  out_fd_ = STDOUT_FILENO;
}

const char* PosixConsole::open_pty() {
  const int master = posix_openpt(O_RDWR | O_NOCTTY);
  if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) return nullptr;
  const char* name = ptsname(master);
  if (!name) return nullptr;
  std::strncpy(pty_path_, name, sizeof(pty_path_) - 1);
  // Holding a slave descriptor open ourselves keeps the master readable (no
  // EIO/HUP) while the host has the port closed.
  pty_slave_fd_ = ::open(pty_path_, O_RDWR | O_NOCTTY);
  if (pty_slave_fd_ >= 0) {
    termios t;
    if (tcgetattr(pty_slave_fd_, &t) == 0) {
      cfmakeraw(&t);
      tcsetattr(pty_slave_fd_, TCSANOW, &t);
    }
  }
  in_fd_ = master;
  out_fd_ = master;
  return pty_path_;
}

bool PosixConsole::wait_readable(int timeout_ms) {
  if (eof_) return false;
  pollfd p{in_fd_, POLLIN, 0};
  const int r = ::poll(&p, 1, timeout_ms);
  if (r > 0 && (p.revents & (POLLHUP | POLLERR)) && !(p.revents & POLLIN)) {
    if (pty_slave_fd_ < 0) eof_ = true;
    return !eof_;
  }
  return true;
}

bool PosixConsole::read(uint8_t& byte) {
  if (eof_) return false;
  pollfd p{in_fd_, POLLIN, 0};
  if (::poll(&p, 1, 0) <= 0 || !(p.revents & POLLIN)) return false;
  const ssize_t n = ::read(in_fd_, &byte, 1);
  if (n == 1) return true;
  if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) {
    if (pty_slave_fd_ < 0) eof_ = true;
  }
  return false;
}

void PosixConsole::write(const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(out_fd_, data, size);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return;
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}

void MonotonicClock::init() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  start_ns_ = static_cast<uint64_t>(ts.tv_sec) * 1000000000u + static_cast<uint64_t>(ts.tv_nsec);
}

uint64_t MonotonicClock::micros() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  const uint64_t now = static_cast<uint64_t>(ts.tv_sec) * 1000000000u + static_cast<uint64_t>(ts.tv_nsec);
  return (now - start_ns_) / 1000u;
}

bool LoggingPin::open_log(const char* path) {
  log_ = std::fopen(path, "w");
  return log_ != nullptr;
}

void LoggingPin::set(bool high) {
  if (high == level_) return;
  level_ = high;
  if (log_) {
    std::fprintf(log_, "%s %llu\n", high ? "rise" : "fall",
                 static_cast<unsigned long long>(clock_.micros()));
    std::fflush(log_);
  }
}

}  // namespace tp::drivers
