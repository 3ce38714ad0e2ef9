// nRF52840 system set-up a bare-metal image owes the chip (what nrfx's
// SystemInit does for Nordic's own start-up), each step host-tested on fake
// registers (host_tests/drivers/nrf52_system_test.cc).
//
// - Instruction cache: NVMC ICACHECNF (NVMC base 0x4001E000, offset 0x540)
//   resets to 0 = cache off; CACHEEN is bit 0 (nRF52840 PS, "NVMC —
//   Non-volatile memory controller"). Zephyr enables it by default.
// - Debug access port lock (APPROTECT) on newer silicon: on nRF52840 build
//   codes of revision 3 and later (FICR-internal words 0x10000130 == 8 and
//   0x10000134 >= 5, the test of nrfx's errata helpers, "configuration 249")
//   the access port locks at every reset unless the firmware writes the
//   UICR.APPROTECT value (UICR base 0x10001000, offset 0x208) into
//   APPROTECT.DISABLE (APPROTECT base 0x40000000, offset 0x558). Like nrfx's
//   default handling, tinyperf mirrors the UICR: a board whose UICR says
//   HwDisabled (0x5A) stays debuggable after every reset; an erased UICR
//   (0xFFFFFFFF) keeps the lock the chip chose. Older revisions: nothing to do.
// - Erratum 87 (all revisions, nRF52840 errata sheet): a set FPU exception
//   flag keeps the FPU interrupt (IRQ 38) pending, so WFI returns at once and
//   the CPU never sleeps. Before WFI: clear FPSCR's cumulative exception bits
//   (IOC DZC OFC UFC IXC, bits 0-4, and IDC, bit 7: mask 0x9F), read FPSCR
//   back (the write completes before the next step), then clear IRQ 38's
//   pending bit (NVIC ICPR1, 0xE000E284, bit 6).
#pragma once

#include <cstdint>

#include "tinyperf/drivers/mmio.h"

namespace tp::drivers::nrf52 {

inline constexpr uintptr_t kNvmcBase = 0x4001E000;
inline constexpr uintptr_t kFicrBase = 0x10000000;
inline constexpr uintptr_t kUicrBase = 0x10001000;
inline constexpr uintptr_t kApprotectBase = 0x40000000;
inline constexpr uintptr_t kScsBase = 0xE000E000;

inline constexpr uint32_t kNvmcIcachecnf = 0x540;
inline constexpr uint32_t kIcachecnfCacheEn = 1u << 0;
inline constexpr uint32_t kFicrPartVariant = 0x130;   // 8 on the nRF52840
inline constexpr uint32_t kFicrBuildRevision = 0x134;  // >= 5: revision 3 and later
inline constexpr uint32_t kUicrApprotect = 0x208;
inline constexpr uint32_t kApprotectDisable = 0x558;
inline constexpr uint32_t kFpscrCumulativeFlags = 0x9F;
inline constexpr int kFpuIrq = 38;

struct Bases {
  uintptr_t nvmc = kNvmcBase;
  uintptr_t ficr = kFicrBase;
  uintptr_t uicr = kUicrBase;
  uintptr_t approtect = kApprotectBase;
  uintptr_t scs = kScsBase;
};

void enable_icache(const Bases& b = {});

// True on silicon whose access port locks at every reset (revision 3+).
bool approtect_locks_at_reset(const Bases& b = {});

enum class Approtect { kOlderRevision, kMirroredUicr };
// The APPROTECT step of start-up; what it did.
Approtect handle_approtect(const Bases& b = {});

// Erratum 87 before WFI. `Fpscr` reads and writes the FPSCR: the CPU's own
// register on the target (nrf52_system.cc), a fake in host tests.
template <class Fpscr>
void clear_fpu_irq_before_sleep(Fpscr& fpscr, const Bases& b = {}) {
  fpscr.write(fpscr.read() & ~kFpscrCumulativeFlags);
  (void)fpscr.read();
  mmio::write32(b.scs + 0x280 + 4 * (kFpuIrq / 32), 1u << (kFpuIrq % 32));
}

// The target's FPSCR (vmrs/vmsr; hard-float builds only).
struct CpuFpscr {
  uint32_t read() const;
  void write(uint32_t v) const;
};

}  // namespace tp::drivers::nrf52
