#include "line_reader.h"

namespace tp::app {

LineReader::Event LineReader::feed(uint8_t byte) {
  if (byte == '\r' || byte == '\n') return Event::kNone;
  if (byte == '%') {
    Event e = Event::kLine;
    if (overflow_) {
      e = Event::kTooLong;
      overflow_len_ = pending_;
    } else if (bad_byte_) {
      e = Event::kBadByte;
    }
    len_ = overflow_ || bad_byte_ ? 0 : pending_;
    buf_[len_] = '\0';
    pending_ = 0;
    overflow_ = false;
    bad_byte_ = false;
    return e;
  }
  if (pending_ < SIZE_MAX) ++pending_;
  if (byte < 0x20 || byte > 0x7E) {
    if (byte != '\t') bad_byte_ = true;
    byte = ' ';
  }
  if (overflow_ || pending_ > kCapacity) {
    overflow_ = true;
    return Event::kNone;
  }
  buf_[pending_ - 1] = static_cast<char>(byte);
  return Event::kNone;
}

}  // namespace tp::app
