#include "posix_drivers.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
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

bool PosixConsole::open_log(const char* path) {
  log_fd_ = ::open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  return log_fd_ >= 0;
}

void PosixConsole::write(const char* data, std::size_t size) {
  if (log_fd_ >= 0) {
    for (std::size_t done = 0; done < size;) {
      const ssize_t n = ::write(log_fd_, data + done, size - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      done += static_cast<std::size_t>(n);
    }
  }
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

bool PosixSocketUart::connect(const char* path, int timeout_ms) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (std::strlen(path) >= sizeof(addr.sun_path)) return false;
  std::strncpy(addr.sun_path, path, sizeof(addr.sun_path) - 1);
  for (int waited = 0;; waited += 10) {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0) {
      fd_ = fd;
      closed_ = false;
      return true;
    }
    ::close(fd);
    if (waited >= timeout_ms) return false;
    ::usleep(10000);
  }
}

void PosixSocketUart::receive() {
  if (!open()) return;
  if (head_ == tail_) head_ = tail_ = 0;
  if (tail_ < sizeof buf_) {
    const ssize_t n = ::recv(fd_, buf_ + tail_, sizeof buf_ - tail_, MSG_DONTWAIT);
    if (n > 0) {
      tail_ += static_cast<std::size_t>(n);
    } else if (n == 0 || (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK)) {
      closed_ = true;
    }
  }
  if (head_ != tail_) notify_rx();
}

bool PosixSocketUart::read(uint8_t& byte) {
  if (head_ == tail_) return false;
  byte = buf_[head_++];
  return true;
}

void PosixSocketUart::write(const char* data, std::size_t size) {
  while (open() && size > 0) {
    const ssize_t n = ::send(fd_, data, size, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      closed_ = true;
      return;
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}

void PosixSocketUart::drain(int quiet_ms) {
  head_ = tail_ = 0;
  while (open()) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, quiet_ms) <= 0) return;
    const ssize_t n = ::recv(fd_, buf_, sizeof buf_, MSG_DONTWAIT);
    if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK)) closed_ = true;
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
