// STM32 general-purpose I/O port: pin modes, alternate functions, and one
// pin as an OutputPin (set/reset through BSRR, so no read-modify-write of
// the output register races an interrupt handler).
//
// Register map: RM0432 (STM32L4+), chapter "General-purpose I/Os (GPIO)",
// section "GPIO registers"; offsets as in stm32l4r5xx.h GPIO_TypeDef:
//   MODER 0x00   2 bits per pin: 00 input, 01 output, 10 alternate, 11 analog
//   OTYPER 0x04  1 bit per pin: 0 push-pull
//   OSPEEDR 0x08 2 bits per pin: 00 low, 01 medium, 10 high, 11 very high
//   PUPDR 0x0C   2 bits per pin: 00 none, 01 pull-up, 10 pull-down
//   BSRR 0x18    bits 0-15 set, bits 16-31 reset
//   AFRL 0x20 (pins 0-7), AFRH 0x24 (pins 8-15): 4 bits per pin
// The port's clock (RCC_AHB2ENR.GPIOxEN) must be on before any access.
#pragma once

#include <cstdint>

#include "tinyperf/drivers/interfaces.h"
#include "tinyperf/drivers/mmio.h"

namespace tp::drivers {

class Stm32Gpio {
 public:
  static constexpr uint32_t kModer = 0x00, kOtyper = 0x04, kOspeedr = 0x08, kPupdr = 0x0C;
  static constexpr uint32_t kBsrr = 0x18, kAfrl = 0x20, kAfrh = 0x24;

  enum class Mode : uint32_t { kInput = 0, kOutput = 1, kAlternate = 2, kAnalog = 3 };
  enum class Pull : uint32_t { kNone = 0, kUp = 1, kDown = 2 };
  enum class Speed : uint32_t { kLow = 0, kMedium = 1, kHigh = 2, kVeryHigh = 3 };

  constexpr explicit Stm32Gpio(uintptr_t base) : regs_(base) {}

  // Push-pull output; the output level is written (BSRR) before MODER turns
  // the pin into an output, so the pin never glitches to the other level.
  void configure_output(uint32_t pin, bool initial_high, Speed speed = Speed::kLow) const {
    write_level(pin, initial_high);
    regs_.clear(kOtyper, 1u << pin);
    set_field2(kOspeedr, pin, static_cast<uint32_t>(speed));
    set_field2(kPupdr, pin, static_cast<uint32_t>(Pull::kNone));
    set_field2(kModer, pin, static_cast<uint32_t>(Mode::kOutput));
  }

  // Alternate function `af` (0-15), push-pull; AFR is set before MODER.
  void configure_alternate(uint32_t pin, uint32_t af, Pull pull, Speed speed = Speed::kLow) const {
    const uint32_t afr = pin < 8 ? kAfrl : kAfrh;
    const uint32_t shift = 4 * (pin % 8);
    regs_.write(afr, (regs_.read(afr) & ~(0xFu << shift)) | ((af & 0xFu) << shift));
    regs_.clear(kOtyper, 1u << pin);
    set_field2(kOspeedr, pin, static_cast<uint32_t>(speed));
    set_field2(kPupdr, pin, static_cast<uint32_t>(pull));
    set_field2(kModer, pin, static_cast<uint32_t>(Mode::kAlternate));
  }

  void write_level(uint32_t pin, bool high) const {
    regs_.write(kBsrr, high ? (1u << pin) : (1u << (pin + 16)));
  }

 private:
  void set_field2(uint32_t reg, uint32_t pin, uint32_t value) const {
    const uint32_t shift = 2 * pin;
    regs_.write(reg, (regs_.read(reg) & ~(0x3u << shift)) | ((value & 0x3u) << shift));
  }

  mmio::Block regs_;
};

class Stm32GpioPin final : public OutputPin {
 public:
  constexpr Stm32GpioPin(uintptr_t port_base, uint32_t pin) : port_(port_base), pin_(pin) {}

  void configure(bool initial_high) const {
    port_.configure_output(pin_, initial_high, Stm32Gpio::Speed::kMedium);
  }
  void set(bool high) override { port_.write_level(pin_, high); }

 private:
  Stm32Gpio port_;
  uint32_t pin_;
};

}  // namespace tp::drivers
