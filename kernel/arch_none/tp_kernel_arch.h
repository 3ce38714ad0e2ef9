// No context-switch port (ARC, Xtensa): the portable kernel compiles and
// links; kernel::start() reports that this CPU has no port and halts.
#pragma once

#include <cstdint>

namespace tp::kernel {
struct ArchThread {
  uint32_t sp;
};
}  // namespace tp::kernel
