// Ambiq Apollo3 system control: core clock, flash cache, TurboSPOT burst
// mode (96 MHz) and peripheral power domains.
//
// Sources: Apollo3 Blue MCU datasheet, chapters "Clock Generator" (CLKGEN),
// "MCU Control" (MCUCTRL), "Power Control" (PWRCTRL) and "Cache Controller"
// (CACHECTRL); register offsets and bits as in Ambiq's CMSIS header
// apollo3.h (AmbiqSuite SDK, CMSIS/AmbiqMicro/Include), the sequences as in
// the SDK's HAL (mcu/apollo3/hal: am_hal_clkgen.c, am_hal_burst.c,
// am_hal_pwrctrl.c, am_hal_cachectrl.c):
//   CLKGEN 0x40004000: CLKKEY 0x14 (0x47 unlocks CCTRL), CCTRL 0x18 (CORESEL
//     bit 0: 0 = HFRC 48 MHz, 1 = HFRC / 2), FREQCTRL 0x34 (BURSTREQ bit 0,
//     BURSTACK bit 1, BURSTSTATUS bit 2).
//   MCUCTRL 0x40020000: SKU 0x14 (ALLOWBURST bit 0), FEATUREENABLE 0x18
//     (BURSTREQ bit 4, BURSTACK bit 5, BURSTAVAIL bit 6).
//   PWRCTRL 0x40021000: DEVPWREN 0x08 (PWRUART0 bit 7), DEVPWRSTATUS 0x18
//     (HCPA bit 2: the power domain of IOS and UART0/1), DEVPWREVENTEN 0x28
//     (BURSTEVEN bit 31).
//   CACHECTRL 0x40018000: CACHECFG 0x00 (ENABLE bit 0, LRU bit 1, CONFIG bits
//     7:4 with 8 = direct-mapped 128-bit lines x 1024 entries, ICACHE_ENABLE
//     bit 8, DCACHE_ENABLE bit 9, CACHE_CLKGATE bit 10, DATA_CLKGATE bit 20).
// Every wait on a status bit is bounded by max_polls reads.
#pragma once

#include <cstdint>

#include "tinyperf/drivers/mmio.h"

namespace tp::drivers {

class Apollo3SysCtrl {
 public:
  static constexpr uintptr_t kClkgenBase = 0x40004000;
  static constexpr uintptr_t kMcuctrlBase = 0x40020000;
  static constexpr uintptr_t kPwrctrlBase = 0x40021000;
  static constexpr uintptr_t kCachectrlBase = 0x40018000;

  // CLKGEN
  static constexpr uint32_t kClkKey = 0x14, kCctrl = 0x18, kFreqCtrl = 0x34;
  static constexpr uint32_t kClkKeyUnlock = 0x47;
  static constexpr uint32_t kCoreSelHfrc = 0;
  static constexpr uint32_t kFreqBurstReq = 1u << 0, kFreqBurstAck = 1u << 1, kFreqBurstStatus = 1u << 2;
  // MCUCTRL
  static constexpr uint32_t kSku = 0x14, kFeatureEnable = 0x18;
  static constexpr uint32_t kSkuAllowBurst = 1u << 0;
  static constexpr uint32_t kFeatBurstReq = 1u << 4, kFeatBurstAck = 1u << 5, kFeatBurstAvail = 1u << 6;
  // PWRCTRL
  static constexpr uint32_t kDevPwrEn = 0x08, kDevPwrStatus = 0x18, kDevPwrEventEn = 0x28;
  static constexpr uint32_t kPwrUart0 = 1u << 7, kStatusHcpa = 1u << 2, kBurstEventEn = 1u << 31;
  // CACHECTRL
  static constexpr uint32_t kCacheCfg = 0x00;
  static constexpr uint32_t kCacheEnable = 1u << 0;
  static constexpr uint32_t kCacheConfig1Way128B1024E = 8u << 4;
  static constexpr uint32_t kCacheIcacheEnable = 1u << 8, kCacheDcacheEnable = 1u << 9;
  static constexpr uint32_t kCacheClkGate = 1u << 10, kCacheDataClkGate = 1u << 20;

  static constexpr uint32_t kHfrcHz = 48'000'000;
  static constexpr uint32_t kBurstHz = 96'000'000;

  enum class Burst { kOn, kNotAllowed, kNotAvailable, kTimeout };

  constexpr Apollo3SysCtrl(uintptr_t clkgen, uintptr_t mcuctrl, uintptr_t pwrctrl, uintptr_t cachectrl,
                           uint32_t max_polls = 100'000)
      : clkgen_(clkgen), mcuctrl_(mcuctrl), pwrctrl_(pwrctrl), cache_(cachectrl), max_polls_(max_polls) {}

  // Core clock = HFRC, 48 MHz (CCTRL unlocked with CLKKEY, then locked).
  void set_core_clock_48mhz() const;
  // Instruction and data cache on flash: direct-mapped, 1024 x 128-bit lines
  // (the SDK's default configuration); enables are cleared before CONFIG
  // changes and ENABLE is set last.
  void enable_flash_cache() const;
  // TurboSPOT: the core at 96 MHz when the part allows it (SKU.ALLOWBURST)
  // and the feature is granted (FEATUREENABLE.BURSTACK and BURSTAVAIL).
  // Peripheral clocks (UART, STIMER) do not change.
  Burst enable_burst() const;
  // Powers the HCPA domain for UART0 and waits until it reports on.
  bool power_on_uart0() const;

 private:
  bool wait(const mmio::Block& b, uint32_t off, uint32_t mask, uint32_t value) const;

  mmio::Block clkgen_, mcuctrl_, pwrctrl_, cache_;
  uint32_t max_polls_;
};

}  // namespace tp::drivers
