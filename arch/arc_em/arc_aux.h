// ARCv2 auxiliary registers (lr/sr instructions). Host tests build the
// drivers with TP_MMIO_HOST: aux register n then is the 32-bit word at
// kHostAuxBase + 4 n of the fake register space (tinyperf/drivers/mmio.h).
#pragma once

#include <cstdint>

#include "tinyperf/drivers/mmio.h"

namespace tp::arc {

// Aux register numbers: ARCv2 ISA Programmer's Reference Manual (ARCv2 PRM),
// "Auxiliary Register Set" and "Timer 0 / Timer 1" / "Interrupt unit".
constexpr uint32_t kAuxCount0 = 0x21;      // Timer 0 count
constexpr uint32_t kAuxControl0 = 0x22;    // Timer 0 control: IE bit 0, NH bit 1, W bit 2, IP bit 3
constexpr uint32_t kAuxLimit0 = 0x23;      // Timer 0 limit
constexpr uint32_t kAuxIntVectorBase = 0x25;
constexpr uint32_t kAuxIrqPriority = 0x206;
constexpr uint32_t kAuxIrqSelect = 0x40B;
constexpr uint32_t kAuxIrqEnable = 0x40C;
constexpr int kTimer0Irq = 16;              // ARCv2 PRM: Timer 0 is interrupt 16

#if defined(TP_MMIO_HOST)
inline uintptr_t host_aux_base = 0;
inline uint32_t aux_read(uint32_t reg) { return mmio::read32(host_aux_base + 4 * reg); }
inline void aux_write(uint32_t reg, uint32_t v) { mmio::write32(host_aux_base + 4 * reg, v); }
#else
inline uint32_t aux_read(uint32_t reg) {
  uint32_t v;
  __asm__ volatile("lr %0, [%1]" : "=r"(v) : "r"(reg) : "memory");
  return v;
}
inline void aux_write(uint32_t reg, uint32_t v) {
  __asm__ volatile("sr %0, [%1]" ::"r"(v), "r"(reg) : "memory");
}
#endif

}  // namespace tp::arc
