// Assembles `%`-terminated commands from the console's byte stream.
// Bounded: a line longer than the buffer is discarded up to its `%` and then
// reported once; a line with a byte outside printable ASCII is rejected
// whole. CR and LF are dropped wherever they appear.
#pragma once

#include <cstddef>
#include <cstdint>

namespace tp::app {

class LineReader {
 public:
  // The longest command accepted (the runner's longest is 65; the reference
  // harness holds 80).
  static constexpr std::size_t kCapacity = 127;

  enum class Event { kNone, kLine, kTooLong, kBadByte };

  // Feeds one byte. On kLine, line()/length() hold the command (without the
  // `%`, NUL-terminated) until the next feed().
  Event feed(uint8_t byte);

  const char* line() const { return buf_; }
  std::size_t length() const { return len_; }
  // Length the discarded overlong line reached (for the error message).
  std::size_t discarded_length() const { return overflow_len_; }

 private:
  char buf_[kCapacity + 1] = {};
  std::size_t len_ = 0;
  std::size_t pending_ = 0;     // bytes of the line being assembled
  std::size_t overflow_len_ = 0;
  bool overflow_ = false;
  bool bad_byte_ = false;
};

}  // namespace tp::app
