// Fake register space for driver tests: the driver under test is built with
// TP_MMIO_HOST, so its register accesses land here. Registers are plain RAM
// (a test points the driver at a FakeRegs block); every write is recorded,
// and a test may model read side effects.
#pragma once

#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

namespace tp::test {

struct MmioWrite {
  uintptr_t addr;
  uint32_t value;
  bool operator==(const MmioWrite&) const = default;
};

struct FakeMmio {
  std::vector<MmioWrite> writes;
  std::vector<uintptr_t> reads;
  // Every access in order: 'r' or 'w' with its address.
  std::vector<std::pair<char, uintptr_t>> trace;
  // Optional: the value a read returns, given what the register holds.
  std::function<uint32_t(uintptr_t addr, uint32_t stored)> on_read;
  // Optional: runs after a write has been stored.
  std::function<void(uintptr_t addr, uint32_t value)> on_write;

  void reset() { *this = FakeMmio{}; }
};

FakeMmio& mmio();

// A block of N 32-bit registers in RAM.
template <std::size_t N>
struct FakeRegs {
  uint32_t r[N] = {};
  uintptr_t base() const { return reinterpret_cast<uintptr_t>(&r[0]); }
  uintptr_t addr(uint32_t offset) const { return base() + offset; }
  uint32_t& at(uint32_t offset) { return r[offset / 4]; }
};

}  // namespace tp::test
