#include "writer.h"

#include <cstring>

#include "format.h"

namespace tp::app {

void Writer::flush() {
  if (len_) uart_.write(buf_, len_);
  len_ = 0;
}

Writer& Writer::str(const char* s, std::size_t n) {
  while (n > 0) {
    if (len_ == sizeof buf_) flush();
    const std::size_t k = n < sizeof buf_ - len_ ? n : sizeof buf_ - len_;
    std::memcpy(buf_ + len_, s, k);
    len_ += k;
    s += k;
    n -= k;
  }
  return *this;
}

Writer& Writer::str(const char* s) { return str(s, std::strlen(s)); }

Writer& Writer::chr(char c) { return str(&c, 1); }

Writer& Writer::u64(uint64_t v) {
  char tmp[20];
  return str(tmp, format_u64(v, tmp));
}

Writer& Writer::fixed3(float v) {
  char tmp[kMaxFixed3];
  return str(tmp, format_fixed3(v, tmp));
}

Writer& Writer::hex2(uint8_t b) {
  static constexpr char kDigits[] = "0123456789abcdef";
  const char tmp[2] = {kDigits[b >> 4], kDigits[b & 0xF]};
  return str(tmp, 2);
}

void Writer::endl() {
  str("\r\n", 2);
  flush();
  uart_.flush();
}

}  // namespace tp::app
