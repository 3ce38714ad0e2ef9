// Ambiq Apollo3 watchdog (WDT) and the reset cause the reset generator
// (RSTGEN) reports, both through the mmio layer, host-tested on fake
// registers (host_tests/drivers/apollo3_wdt_test.cc).
//
// Sources: Ambiq's CMSIS header apollo3.h (AmbiqSuite SDK, also in
// SparkFun's AmbiqSuiteSDK, CMSIS/AmbiqMicro/Include/apollo3.h: WDT_Type,
// RSTGEN_Type, WDT_BASE, RSTGEN_BASE, the WDT_CFG_CLKSEL and key-value
// enums) and the SDK's mcu/apollo3/hal/am_hal_wdt.c / am_hal_reset.c:
//   WDT base 0x40024000 (not in CTIMER): CFG 0x000 (WDTEN bit 0, INTEN bit 1,
//   RESEN bit 2, RESVAL bits 15:8, INTVAL bits 23:16, CLKSEL bits 26:24 with
//   1 = 128 Hz, 2 = 16 Hz, 3 = 1 Hz, 4 = 1/16 Hz of the LFRC), RSTRT 0x004
//   (write 0xB2: restart the count), LOCK 0x008 (write 0x3A: CFG becomes
//   read-only and WDTEN stays set until a reset), COUNT 0x00C, INTEN 0x200,
//   INTSTAT 0x204, INTCLR 0x208 (WDTINT bit 0). INTVAL and RESVAL are the
//   number of ticks from a restart to the interrupt and to the reset
//   (am_hal_wdt.h: "Number of watchdog timer ticks allowed before ...").
//   The WDT interrupt is IRQ 1 (apollo3.h WDT_IRQn).
//   RSTGEN base 0x40000000: CFG 0x000 (WDREN bit 1: a WDT reset resets the
//   chip; RESEN in the WDT alone is not enough), STAT at offset 0x0FFFF000
//   (0x4FFFF000; "(SBL)": filled in by the secure bootloader that starts
//   the image): EXRSTAT bit 0 (reset pin), PORSTAT 1, BORSTAT 2, SWRSTAT 3
//   (SWPOR or AIRCR SYSRESETREQ), POIRSTAT 4 (software POI), DBGRSTAT 5,
//   WDRSTAT 6; am_hal_reset_control(STATUSCLEAR) clears it by writing 0.
//
// Settings the board uses: CLKSEL 16 Hz, RESVAL 128 (8 s), INTVAL 64 (4 s),
// the values of SparkFun's own Apollo3 Arduino core WDT library
// (libraries/WDT: "interrupt timeout for 4 seconds ... reset timeout for
// 8 seconds" at 16 Hz). The interrupt is the idle path's alarm clock: the
// WDT keeps counting while the CPU sleeps, and the board's clock (STIMER,
// 32 bits at 3 MHz) wraps only every 23.9 minutes, so an idle board would
// otherwise sleep through its timeout. The interrupt only clears itself; the
// idle loop it wakes feeds. A CPU that is busy and never feeds is reset at
// RESVAL whether or not the interrupt ran. The LFRC is an uncalibrated RC
// (1024 Hz nominal): the real timeout may differ by its tolerance.
#pragma once

#include <cstdint>

#include "tinyperf/drivers/interfaces.h"
#include "tinyperf/drivers/mmio.h"

namespace tp::drivers {

class Apollo3Wdt final : public Watchdog {
 public:
  static constexpr uintptr_t kWdtBase = 0x40024000;
  static constexpr uintptr_t kRstgenBase = 0x40000000;
  static constexpr int kIrq = 1;  // WDT_IRQn
  static constexpr uint32_t kCfg = 0x000, kRstrt = 0x004, kLock = 0x008, kCount = 0x00C;
  static constexpr uint32_t kIntEn = 0x200, kIntStat = 0x204, kIntClr = 0x208;
  static constexpr uint32_t kCfgWdtEn = 1u << 0, kCfgIntEn = 1u << 1, kCfgResEn = 1u << 2;
  static constexpr uint32_t kResvalShift = 8, kIntvalShift = 16, kClkselShift = 24;
  static constexpr uint32_t kClksel16Hz = 2;
  static constexpr uint32_t kTickHz = 16;
  static constexpr uint32_t kRestartKey = 0xB2, kLockKey = 0x3A;
  static constexpr uint32_t kWdtInt = 1u << 0;
  static constexpr uint32_t kRstgenCfg = 0x000, kRstgenWdrEn = 1u << 1;

  // `timeout_ms` to the reset and `wake_ms` to the interrupt, in 16 Hz ticks
  // (at most 255 each: 15.9 s).
  constexpr Apollo3Wdt(uintptr_t wdt_base, uintptr_t rstgen_base, uint32_t timeout_ms, uint32_t wake_ms)
      : wdt_(wdt_base), rstgen_(rstgen_base), resval_(ticks_for(timeout_ms)), intval_(ticks_for(wake_ms)) {}

  // RSTGEN.CFG.WDREN on, the interrupt enabled, CFG written, then enabled,
  // restarted and locked.
  void start() override;
  void feed() override { wdt_.write(kRstrt, kRestartKey); }
  uint32_t timeout_ms() const override { return resval_ * 1000 / kTickHz; }
  // The WDT interrupt (IRQ 1): clears it, nothing more (see above).
  void on_interrupt() { wdt_.write(kIntClr, kWdtInt); }

  uint32_t cfg_value() const {
    return (kClksel16Hz << kClkselShift) | (intval_ << kIntvalShift) | (resval_ << kResvalShift) | kCfgResEn |
           kCfgIntEn;
  }

  static constexpr uint32_t ticks_for(uint32_t ms) {
    const uint64_t ticks = uint64_t{ms} * kTickHz / 1000;  // 62.5 ms a tick
    return ticks > 255 ? 255 : (ticks == 0 ? 1 : static_cast<uint32_t>(ticks));
  }

 private:
  mmio::Block wdt_;
  mmio::Block rstgen_;
  uint32_t resval_;
  uint32_t intval_;
};

// The reset cause RSTGEN.STAT holds, read and cleared once at boot.
class Apollo3ResetCause {
 public:
  static constexpr uintptr_t kRstgenBase = 0x40000000;
  static constexpr uint32_t kStat = 0x0FFFF000;
  static constexpr uint32_t kExtReset = 1u << 0, kPor = 1u << 1, kBor = 1u << 2, kSwPor = 1u << 3;
  static constexpr uint32_t kSwPoi = 1u << 4, kDebugger = 1u << 5, kWatchdog = 1u << 6;

  constexpr explicit Apollo3ResetCause(uintptr_t rstgen_base) : regs_(rstgen_base) {}

  // The most telling first: "watchdog", "software", "debugger", "pin";
  // nullptr for a power-on or brown-out (PORSTAT, BORSTAT) and when no
  // cause bit is set.
  static const char* decode(uint32_t stat);
  // Reads STAT, clears it (writes 0), and names the cause. A cause the
  // firmware recorded before the reset (`recorded`, "fault":
  // arch/common/reset_cause.h) wins over the chip's, except after a
  // power-on or brown-out.
  const char* take(const char* recorded) const;

 private:
  mmio::Block regs_;
};

}  // namespace tp::drivers
