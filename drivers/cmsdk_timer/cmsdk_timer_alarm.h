// CMSDK APB timer (MPS2/MPS3 FPGA images, the SSE-300's S32K timer) as the
// kernel's one-shot alarm: a 32-bit down-counter loaded with the delay in
// its clock's ticks, interrupt at zero, stopped by the handler.
//
// Cortex-M System Design Kit TRM (Arm DDI 0479), "APB timer": CTRL 0x0
// (ENABLE bit 0, INTEN bit 3), VALUE 0x4, RELOAD 0x8, INTSTATUS/INTCLEAR
// 0xC (write 1 clears). QEMU: hw/timer/cmsdk-apb-timer.c.
#pragma once

#include <cstdint>

#include "tinyperf/drivers/interfaces.h"
#include "tinyperf/drivers/mmio.h"

namespace tp::drivers {

class CmsdkTimerAlarm final : public Alarm {
 public:
  static constexpr uint32_t kCtrl = 0x0, kValue = 0x4, kReload = 0x8, kIntClear = 0xC;
  static constexpr uint32_t kCtrlEnable = 1u << 0, kCtrlIrqEnable = 1u << 3;
  // Longest delay loaded at once (the kernel re-arms when it fires early).
  static constexpr uint32_t kMaxTicks = 0x70000000u;

  constexpr CmsdkTimerAlarm(uintptr_t base, int irq, uint32_t clock_hz)
      : regs_(base), irq_(irq), hz_(clock_hz) {}

  void init() { stop(); }
  bool arm(uint64_t at, uint64_t now) override;
  void stop() override;
  int irq() const override { return irq_; }
  uint32_t clock_hz() const { return hz_; }
  // The timer's interrupt (its own line): one shot, then the handler.
  void on_interrupt();

 private:
  mmio::Block regs_;
  int irq_;
  uint32_t hz_;
};

}  // namespace tp::drivers
