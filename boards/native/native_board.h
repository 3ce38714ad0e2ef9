// What the native board offers beyond tp::board::Board: its console and its
// sww01 audio line as the host's descriptors, for the sww01 stream's kernel
// session (app/sww_stream_native.cc), whose idle thread waits on them.
#pragma once

#include "posix_drivers.h"

namespace tp::board::native {

drivers::PosixConsole& console();
// The audio line (--audio PATH), or nullptr when none was given.
drivers::PosixSocketUart* audio();

// What a hop of sww01 streaming costs on the virtual clock (--audio-clock).
enum class WorkCharge : uint8_t {
  kM4,   // the Cortex-M4's measured instructions per hop at 1 ns each (deterministic)
  kCpu,  // the host thread's CPU time of the hop (this host; not deterministic)
};
WorkCharge work_charge();

}  // namespace tp::board::native
