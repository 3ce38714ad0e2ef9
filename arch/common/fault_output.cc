// The fault line shared by the CPUs' fault handlers (fault_output.h).
#include "fault_output.h"

namespace tp::arch {
namespace {

void (*g_put)(char) = nullptr;

void puts(const char* s) {
  while (*s) g_put(*s++);
}

void hex(uint32_t v) {
  char buf[11] = "0x";
  for (int i = 0; i < 8; ++i) {
    const uint32_t nib = (v >> (28 - 4 * i)) & 0xF;
    buf[2 + i] = static_cast<char>(nib < 10 ? '0' + nib : 'a' + nib - 10);
  }
  buf[10] = 0;
  puts(buf);
}

}  // namespace

void set_fault_output(void (*put)(char c)) { g_put = put; }

void write_fault_text(const char* s) {
  if (g_put) puts(s);
}

void write_fault_report(const FaultField* fields, int count, const char* thread) {
  if (!g_put) return;
  puts("\r\ne-[fault");
  if (thread) {
    puts(" thread=");
    puts(thread);
  }
  for (int i = 0; i < count; ++i) {
    g_put(' ');
    puts(fields[i].name);
    g_put('=');
    hex(fields[i].value);
  }
  puts(" halted]\r\n");
}

}  // namespace tp::arch
