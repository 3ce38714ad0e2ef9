// Why the CPU last reset, for the boot banner's `m-reset-cause-[...]` line.
//
// A word pair in RAM that start-up neither copies nor clears (the linker's
// .noinit section) survives every reset that does not cut power: the fault
// handler and the watchdog's early-warning interrupt write their cause there
// before the core resets, and the next boot reads it once. After power-on
// the words hold no valid record (zero under QEMU, noise on silicon: a magic
// word tells them apart), so no line is printed. Chips that keep a reset
// cause register of their own may report from it instead.
#pragma once

#include <cstdint>

namespace tp::arch {

enum class ResetCause : uint32_t { kPowerOn = 0, kWatchdog = 1, kFault = 2, kSoftware = 3 };

// Records `cause` for the next boot unless a cause is already recorded (a
// fault that then starves the watchdog stays a fault).
void record_reset_cause(ResetCause cause);
// At boot: the recorded cause, then forgets it (kPowerOn when none).
ResetCause take_reset_cause();
// "watchdog", "fault", "software"; nullptr for kPowerOn.
const char* reset_cause_name(ResetCause cause);

}  // namespace tp::arch
