// User LEDs of the MPS2/MPS3 FPGA I/O block (FPGAIO, LED register at offset
// 0, one bit per LED), used as output pins. QEMU models and traces them
// (-trace led_change_intensity), which makes a pin observable in emulation.
// Register map: Arm MPS2+ / MPS3 FPGA image application notes (AN386,
// AN547), "FPGA system control and I/O".
#pragma once

#include <cstdint>

#include "tinyperf/drivers/interfaces.h"
#include "tinyperf/drivers/mmio.h"

namespace tp::drivers {

class FpgaIoLed final : public OutputPin {
 public:
  static constexpr uint32_t kLed = 0x00;

  constexpr FpgaIoLed(uintptr_t base, uint32_t led) : regs_(base), mask_(1u << led) {}

  void set(bool high) override {
    if (high) {
      regs_.set(kLed, mask_);
    } else {
      regs_.clear(kLed, mask_);
    }
  }

 private:
  mmio::Block regs_;
  uint32_t mask_;
};

}  // namespace tp::drivers
