// Scoped interrupt mask (PRIMASK on Cortex-M; nothing on the host).
#pragma once

#include <cstdint>

namespace tp::drivers {

class IrqLock {
 public:
#if defined(__arm__) && !defined(TP_MMIO_HOST)
  IrqLock() {
    __asm__ volatile("mrs %0, primask" : "=r"(saved_));
    __asm__ volatile("cpsid i" ::: "memory");
  }
  ~IrqLock() { __asm__ volatile("msr primask, %0" ::"r"(saved_) : "memory"); }
#else
  IrqLock() = default;
  ~IrqLock() = default;
#endif
  IrqLock(const IrqLock&) = delete;
  IrqLock& operator=(const IrqLock&) = delete;

 private:
  [[maybe_unused]] uint32_t saved_ = 0;
};

}  // namespace tp::drivers
