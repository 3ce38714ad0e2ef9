// The C++ ABI symbols the firmware needs where the compiler has no C++
// library (Debian's gcc-xtensa-lx106): static objects are never destroyed
// (the firmware never exits), no heap, no exceptions.
#include <cstddef>

extern "C" {
void* __dso_handle = nullptr;
int __cxa_atexit(void (*)(void*), void*, void*) { return 0; }
[[noreturn]] void __cxa_pure_virtual() {
  for (;;) {
  }
}
}

void operator delete(void*) noexcept {}
void operator delete(void*, std::size_t) noexcept {}
