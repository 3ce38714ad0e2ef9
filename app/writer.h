// Buffered line output to the console: every protocol line ends "\r\n".
#pragma once

#include <cstddef>
#include <cstdint>

#include "tinyperf/drivers/interfaces.h"

namespace tp::app {

class Writer {
 public:
  explicit Writer(drivers::Uart& uart) : uart_(uart) {}

  Writer& str(const char* s);
  Writer& str(const char* s, std::size_t n);
  Writer& chr(char c);
  Writer& u64(uint64_t v);
  Writer& fixed3(float v);  // printf("%0.3f") text
  Writer& hex2(uint8_t b);  // two lower-case hex digits
  // Ends the line with "\r\n" and hands it to the console.
  void endl();
  // The line that closes every answer.
  void ready() { str("m-ready").endl(); }
  // An "e-[<msg>]" line.
  void error(const char* msg) { str("e-[").str(msg).str("]").endl(); }

 private:
  void flush();

  drivers::Uart& uart_;
  char buf_[256];
  std::size_t len_ = 0;
};

}  // namespace tp::app
