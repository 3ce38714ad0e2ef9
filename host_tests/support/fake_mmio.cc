#include "fake_mmio.h"

#include "tinyperf/drivers/mmio.h"

namespace tp::test {
FakeMmio& mmio() {
  static FakeMmio m;
  return m;
}
}  // namespace tp::test

namespace tp::mmio {

uint32_t host_read32(uintptr_t addr) {
  auto& m = test::mmio();
  m.reads.push_back(addr);
  m.trace.emplace_back('r', addr);
  const uint32_t stored = *reinterpret_cast<const uint32_t*>(addr);
  return m.on_read ? m.on_read(addr, stored) : stored;
}

void host_write32(uintptr_t addr, uint32_t value) {
  auto& m = test::mmio();
  m.writes.push_back({addr, value});
  m.trace.emplace_back('w', addr);
  *reinterpret_cast<uint32_t*>(addr) = value;
  if (m.on_write) m.on_write(addr, value);
}

}  // namespace tp::mmio
