// nRF52 GPIO port (P0 at 0x50000000, P1 at 0x50000300 on the nRF52840):
// pin configuration and one pin as an OutputPin (OUTSET/OUTCLR, no
// read-modify-write).
//
// nRF52840 Product Specification, chapter "GPIO — General purpose input/
// output", "Registers" (NRF_GPIO_Type in nrfx's mdk/nrf52840.h):
//   OUT 0x504, OUTSET 0x508, OUTCLR 0x50C, IN 0x510, DIR 0x514,
//   PIN_CNF[n] 0x700 + 4n: DIR bit 0 (1 = output), INPUT bit 1 (1 =
//   disconnect input buffer), PULL bits 3:2 (11 = pull-up), DRIVE bits 10:8
//   (000 = S0S1), SENSE bits 17:16 (00 = disabled).
#pragma once

#include <cstdint>

#include "tinyperf/drivers/interfaces.h"
#include "tinyperf/drivers/mmio.h"

namespace tp::drivers {

class Nrf52Gpio {
 public:
  static constexpr uintptr_t kP0Base = 0x50000000;
  static constexpr uintptr_t kP1Base = 0x50000300;
  static constexpr uint32_t kOut = 0x504, kOutSet = 0x508, kOutClr = 0x50C, kDir = 0x514;
  static constexpr uint32_t pin_cnf(uint32_t pin) { return 0x700 + 4 * pin; }

  static constexpr uint32_t kCnfDirOutput = 1u << 0;
  static constexpr uint32_t kCnfInputDisconnect = 1u << 1;
  static constexpr uint32_t kCnfPullUp = 3u << 2;
  // Output, input buffer disconnected, no pull, standard drive, no sense.
  static constexpr uint32_t kCnfOutput = kCnfDirOutput | kCnfInputDisconnect;
  // Input with its buffer connected, no pull (as a UARTE RXD pin wants).
  static constexpr uint32_t kCnfInput = 0;

  constexpr explicit Nrf52Gpio(uintptr_t port_base) : regs_(port_base) {}

  // The output latch is set before the pin becomes an output: no glitch.
  void configure_output(uint32_t pin, bool initial_high) const {
    write_level(pin, initial_high);
    regs_.write(pin_cnf(pin), kCnfOutput);
  }
  void configure_input(uint32_t pin, bool pull_up = false) const {
    regs_.write(pin_cnf(pin), kCnfInput | (pull_up ? kCnfPullUp : 0));
  }
  void write_level(uint32_t pin, bool high) const {
    regs_.write(high ? kOutSet : kOutClr, 1u << pin);
  }

 private:
  mmio::Block regs_;
};

class Nrf52GpioPin final : public OutputPin {
 public:
  constexpr Nrf52GpioPin(uintptr_t port_base, uint32_t pin) : port_(port_base), pin_(pin) {}
  void configure(bool initial_high) const { port_.configure_output(pin_, initial_high); }
  void set(bool high) override { port_.write_level(pin_, high); }

 private:
  Nrf52Gpio port_;
  uint32_t pin_;
};

}  // namespace tp::drivers
