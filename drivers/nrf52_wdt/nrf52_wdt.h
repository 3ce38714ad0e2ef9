// nRF52840 watchdog (WDT) and the reset cause POWER keeps (RESETREAS), both
// through the mmio layer, host-tested on fake registers
// (host_tests/drivers/nrf52_wdt_test.cc).
//
// WDT (nRF52840 Product Specification v1.x, "WDT — Watchdog timer";
// nrfx bsp/stable/mdk/nrf52840.h NRF_WDT_Type, NRF_WDT_BASE 0x40010000, and
// nrf52840_bitfields.h): TASKS_START 0x000, EVENTS_TIMEOUT 0x100,
// INTENSET 0x304, RUNSTATUS 0x400 (bit 0: running), REQSTATUS 0x404,
// CRV 0x504 (counter reload value in 32.768 kHz ticks, minimum 0xF),
// RREN 0x508 (bit n enables RR[n]), CONFIG 0x50C (SLEEP bit 0 and HALT
// bit 3: 1 = keep running while the CPU sleeps / the debugger halts it,
// 0 = pause), RR[n] 0x600 + 4n (write WDT_RR_RR_Reload = 0x6E524635 to
// request a reload). Timeout = (CRV + 1) / 32768 s. Once started, CRV,
// RREN and CONFIG are locked and the watchdog cannot be stopped; only a
// power-on, brown-out, pin or watchdog reset stops it, not a soft reset
// (SYSRESETREQ): the next boot then finds it running (RUNSTATUS) with the
// old settings and only feeds it. Starting it starts the 32.768 kHz RC
// oscillator if no other LFCLK source runs.
//
// CONFIG.SLEEP = pause: the watchdog counts only while the CPU runs. The
// board's idle path sleeps in WFI until an interrupt, and on this board
// nothing wakes it on a schedule (TIMER1, the 64-bit clock, wraps every
// 71.6 minutes): a running watchdog would reset an idle board after its
// timeout. Paused in sleep it still catches every hang that keeps the CPU
// busy (a loop, `hang`), and the fault handler's WFI loop spins (and so
// counts) as soon as any enabled interrupt is pending. HALT = pause too, so
// a debugger can stop the CPU.
//
// Reset cause: POWER base 0x40000000, RESETREAS 0x400 (nrf52840.h
// NRF_POWER_Type; PS "POWER — Power supply", RESETREAS): RESETPIN bit 0,
// DOG bit 1, SREQ bit 2 (SYSRESETREQ), LOCKUP bit 3, OFF bit 16 (wake from
// System OFF by GPIO DETECT), LPCOMP 17, DIF 18 (debug interface), NFC 19,
// VBUS 20. All zero: power-on or brown-out reset. The bits accumulate until
// cleared by writing 1 to them, so they are read once at boot and cleared
// at once.
#pragma once

#include <cstdint>

#include "tinyperf/drivers/interfaces.h"
#include "tinyperf/drivers/mmio.h"

namespace tp::drivers {

class Nrf52Wdt final : public Watchdog {
 public:
  static constexpr uintptr_t kWdtBase = 0x40010000;
  static constexpr uint32_t kTasksStart = 0x000, kEventsTimeout = 0x100, kIntenset = 0x304;
  static constexpr uint32_t kRunstatus = 0x400, kReqstatus = 0x404;
  static constexpr uint32_t kCrv = 0x504, kRren = 0x508, kConfig = 0x50C, kRr0 = 0x600;
  static constexpr uint32_t kConfigSleepRun = 1u << 0, kConfigHaltRun = 1u << 3;
  static constexpr uint32_t kReloadKey = 0x6E524635;
  static constexpr uint32_t kLfclkHz = 32'768;
  static constexpr uint32_t kMinCrv = 0xF;

  constexpr Nrf52Wdt(uintptr_t base, uint32_t timeout_ms) : regs_(base), crv_(crv_for(timeout_ms)) {}

  // Configures (CONFIG pause in sleep and halt, CRV, RR[0] only) and starts
  // it, unless it already runs from before a soft reset.
  void start() override;
  void feed() override { regs_.write(kRr0, kReloadKey); }
  uint32_t timeout_ms() const override { return static_cast<uint32_t>((uint64_t{crv_} + 1) * 1000 / kLfclkHz); }

  uint32_t crv() const { return crv_; }
  // True when start() found it running and could not configure it.
  bool was_running() const { return was_running_; }

  static constexpr uint32_t crv_for(uint32_t timeout_ms) {
    const uint64_t ticks = uint64_t{timeout_ms} * kLfclkHz / 1000;
    return ticks <= kMinCrv + 1 ? kMinCrv : static_cast<uint32_t>(ticks - 1);
  }

 private:
  mmio::Block regs_;
  uint32_t crv_;
  bool was_running_ = false;
};

// The reset cause POWER.RESETREAS holds, read and cleared once at boot.
class Nrf52ResetCause {
 public:
  static constexpr uintptr_t kPowerBase = 0x40000000;
  static constexpr uint32_t kResetreas = 0x400;
  static constexpr uint32_t kResetPin = 1u << 0, kDog = 1u << 1, kSreq = 1u << 2, kLockup = 1u << 3;
  static constexpr uint32_t kWakeFromOff = 0x1Fu << 16;  // OFF, LPCOMP, DIF, NFC, VBUS

  constexpr explicit Nrf52ResetCause(uintptr_t power_base) : regs_(power_base) {}

  // The most telling first: "watchdog", "lockup", "software", "pin",
  // "system-off-wake"; nullptr for all zero (power-on or brown-out).
  static const char* decode(uint32_t resetreas);
  // Reads RESETREAS, clears the bits it read (write 1s), and names the
  // cause. A cause the firmware recorded before the reset (`recorded`,
  // "fault": arch/common/reset_cause.h) wins over the chip's, except after
  // a power-on or a wake from System OFF (RAM not kept: tinyperf sets no
  // retention, so a record found then is noise).
  const char* take(const char* recorded) const;

 private:
  mmio::Block regs_;
};

}  // namespace tp::drivers
