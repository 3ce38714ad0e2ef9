#include "nrf52_system.h"

namespace tp::drivers::nrf52 {

void enable_icache(const Bases& b) { mmio::set_bits(b.nvmc + kNvmcIcachecnf, kIcachecnfCacheEn); }

bool approtect_locks_at_reset(const Bases& b) {
  return mmio::read32(b.ficr + kFicrPartVariant) == 0x08 && mmio::read32(b.ficr + kFicrBuildRevision) >= 0x05;
}

Approtect handle_approtect(const Bases& b) {
  if (!approtect_locks_at_reset(b)) return Approtect::kOlderRevision;
  mmio::write32(b.approtect + kApprotectDisable, mmio::read32(b.uicr + kUicrApprotect));
  return Approtect::kMirroredUicr;
}

#if !defined(TP_MMIO_HOST)
uint32_t CpuFpscr::read() const {
  uint32_t v;
  __asm__ volatile("vmrs %0, fpscr" : "=r"(v));
  return v;
}
void CpuFpscr::write(uint32_t v) const { __asm__ volatile("vmsr fpscr, %0" ::"r"(v) : "memory"); }
#endif

}  // namespace tp::drivers::nrf52
