// The single register-access layer. Every driver reads and writes its
// peripheral's registers through these functions and nothing else.
//
// On a target they compile to plain volatile accesses. Host tests build the
// same driver sources with TP_MMIO_HOST defined: accesses then go to the host
// test's fake register block (ordinary RAM) through hooks that can record
// every write and model read side effects (host_tests/support/fake_mmio.*).
#pragma once

#include <cstdint>

namespace tp::mmio {

#if defined(TP_MMIO_HOST)
uint32_t host_read32(uintptr_t addr);
void host_write32(uintptr_t addr, uint32_t value);

inline uint32_t read32(uintptr_t addr) { return host_read32(addr); }
inline void write32(uintptr_t addr, uint32_t value) { host_write32(addr, value); }
#else
inline uint32_t read32(uintptr_t addr) {
  return *reinterpret_cast<volatile const uint32_t*>(addr);
}
inline void write32(uintptr_t addr, uint32_t value) {
  *reinterpret_cast<volatile uint32_t*>(addr) = value;
}
#endif

// Read-modify-write helpers (not atomic: callers own their registers).
inline void set_bits(uintptr_t addr, uint32_t mask) { write32(addr, read32(addr) | mask); }
inline void clear_bits(uintptr_t addr, uint32_t mask) { write32(addr, read32(addr) & ~mask); }

// A peripheral instance: a base address plus register offsets.
class Block {
 public:
  explicit constexpr Block(uintptr_t base) : base_(base) {}
  uint32_t read(uint32_t offset) const { return read32(base_ + offset); }
  void write(uint32_t offset, uint32_t value) const { write32(base_ + offset, value); }
  void set(uint32_t offset, uint32_t mask) const { set_bits(base_ + offset, mask); }
  void clear(uint32_t offset, uint32_t mask) const { clear_bits(base_ + offset, mask); }
  uintptr_t base() const { return base_; }

 private:
  uintptr_t base_;
};

}  // namespace tp::mmio
