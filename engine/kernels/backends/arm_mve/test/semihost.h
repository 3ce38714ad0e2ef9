// Minimal Arm semihosting for the kernel test image (QEMU -semihosting).
#pragma once
#include <cstdint>

namespace tp::mve_test {

inline int semihost_call(int op, const void* arg) {
  register int r0 __asm__("r0") = op;
  register const void* r1 __asm__("r1") = arg;
  __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}

inline void put(const char* s) { semihost_call(0x04, s); }

inline void put_int(long long v) {
  char buf[24];
  int i = 23;
  buf[i] = 0;
  bool neg = v < 0;
  unsigned long long u = neg ? static_cast<unsigned long long>(-v) : static_cast<unsigned long long>(v);
  do {
    buf[--i] = static_cast<char>('0' + u % 10);
    u /= 10;
  } while (u);
  if (neg) buf[--i] = '-';
  put(buf + i);
}

[[noreturn]] inline void exit_qemu(int code) {
  const uint32_t args[2] = {0x20026u, static_cast<uint32_t>(code)};
  semihost_call(0x20, args);  // SYS_EXIT_EXTENDED
  semihost_call(0x18, reinterpret_cast<const void*>(0x20026));
  for (;;) {
  }
}

}  // namespace tp::mve_test
