// Taking the core over from a bootloader (Arduino's on the Nano 33 BLE,
// Ambiq's secure bootloader on the SparkFun Edge, or any other that jumps to
// our reset handler instead of resetting the core).
//
// A bootloader may leave interrupts enabled or pending in the NVIC and VTOR
// pointing at its own vector table. Reset_Handler (startup.cc) masks
// interrupts (cpsid i) and loads MSP from our vector table before anything
// else, then calls take_over_from_bootloader(): VTOR to our table, then every
// implemented NVIC word disabled (ICER) and its pending bits cleared (ICPR),
// in that order (disabled first, so an interrupt line that is still asserted
// cannot pend again). Interrupts are enabled again where a board's init
// enables them, after its drivers have attached their handlers.
//
// Addresses: Armv7-M ARM B3.2.2 (SCB: VTOR 0xE000ED08), B3.4.3 (NVIC:
// ICER 0xE000E180, ICPR 0xE000E280, one word per 32 lines), B3.2.3 (ICTR
// 0xE000E004: INTLINESNUM bits [3:0] = words implemented - 1); the same in
// the Armv8-M ARM. Register access through tinyperf/drivers/mmio.h, so that
// host_tests/drivers/handover_test.cc runs this exact code on fake registers.
#pragma once

#include <cstdint>

#include "tinyperf/drivers/mmio.h"

namespace tp::cortex_m {

inline constexpr uintptr_t kScsBase = 0xE000E000;  // System Control Space
inline constexpr uint32_t kIctr = 0x004;
inline constexpr uint32_t kNvicIcer = 0x180;
inline constexpr uint32_t kNvicIcpr = 0x280;
inline constexpr uint32_t kVtor = 0xD08;

// NVIC words (32 interrupt lines each) this core implements.
inline uint32_t nvic_words(uintptr_t scs = kScsBase) { return (mmio::read32(scs + kIctr) & 0xFu) + 1; }

inline void take_over_from_bootloader(uint32_t vector_table, uintptr_t scs = kScsBase) {
  mmio::write32(scs + kVtor, vector_table);
  const uint32_t words = nvic_words(scs);
  for (uint32_t i = 0; i < words; ++i) mmio::write32(scs + kNvicIcer + 4 * i, 0xFFFFFFFFu);
  for (uint32_t i = 0; i < words; ++i) mmio::write32(scs + kNvicIcpr + 4 * i, 0xFFFFFFFFu);
}

}  // namespace tp::cortex_m
