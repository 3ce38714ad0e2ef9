// Ambiq Apollo3 GPIO pads: function select and pad settings, and one pad as
// an OutputPin (through the write-set / write-clear registers).
//
// Sources: Apollo3 Blue MCU datasheet, chapter "GPIO and Pad Configuration";
// offsets and fields as in Ambiq's apollo3.h (GPIO_Type) and the SDK's
// am_hal_gpio.c (am_hal_gpio_pinconfig):
//   PADREGA..M 0x00..0x30: 8 bits per pad at (pad % 4) * 8 in PADREG[pad / 4]:
//     PULL bit 0, INPEN bit 1, STRNG bit 2, FNCSEL bits 5:3 (3 = GPIO on
//     every pad; pads 48/49: 0 = UART0TX/UART0RX)
//   CFGA..G 0x40..0x58: 4 bits per pad at (pad % 8) * 4 in CFG[pad / 8]:
//     INCFG bit 0, OUTCFG bits 2:1 (1 = push-pull), INTD bit 3
//   PADKEY 0x60: 0x73 unlocks PADREG/CFG/ALTPADCFG, 0 locks them again
//   WTSA/WTSB 0x90/0x94 set, WTCA/WTCB 0x98/0x9C clear (pads 0-31 / 32-49),
//   ENCA/ENCB 0xB4/0xB8 clear the tri-state enable (push-pull needs it off)
//   ALTPADCFGA..M 0xE0..0x110: 8 bits per pad, DS1 bit 0 (with STRNG:
//     00 = 2 mA, 01 (STRNG) = 4 mA, 10 (DS1) = 8 mA, 11 = 12 mA)
#pragma once

#include <cstdint>

#include "tinyperf/drivers/interfaces.h"
#include "tinyperf/drivers/mmio.h"

namespace tp::drivers {

class Apollo3Gpio {
 public:
  static constexpr uintptr_t kBase = 0x40010000;
  static constexpr uint32_t kPadKey = 0x60, kPadKeyUnlock = 0x73;
  static constexpr uint32_t padreg(uint32_t pad) { return 0x00 + 4 * (pad / 4); }
  static constexpr uint32_t cfg(uint32_t pad) { return 0x40 + 4 * (pad / 8); }
  static constexpr uint32_t altpadcfg(uint32_t pad) { return 0xE0 + 4 * (pad / 4); }
  static constexpr uint32_t wts(uint32_t pad) { return pad < 32 ? 0x90 : 0x94; }
  static constexpr uint32_t wtc(uint32_t pad) { return pad < 32 ? 0x98 : 0x9C; }
  static constexpr uint32_t enc(uint32_t pad) { return pad < 32 ? 0xB4 : 0xB8; }
  static constexpr uint32_t bit(uint32_t pad) { return 1u << (pad % 32); }

  static constexpr uint32_t kPadPull = 1u << 0, kPadInpen = 1u << 1, kPadStrng = 1u << 2;
  static constexpr uint32_t pad_fncsel(uint32_t f) { return (f & 7u) << 3; }
  static constexpr uint32_t kFncselGpio = 3;
  static constexpr uint32_t kCfgOutPushPull = 1u << 1;
  static constexpr uint32_t kAltDs1 = 1u << 0;

  enum class Drive { k2mA, k12mA };

  constexpr explicit Apollo3Gpio(uintptr_t base) : regs_(base) {}

  // A pad on a peripheral function (e.g. UART0 TX/RX on pads 48/49).
  void configure_function(uint32_t pad, uint32_t fncsel, bool input_enable, bool pull_up) const {
    uint32_t p = pad_fncsel(fncsel);
    if (input_enable) p |= kPadInpen;
    if (pull_up) p |= kPadPull;
    write_pad(pad, p, 0, 0);
  }

  // A push-pull GPIO output; its level is written before the pad turns into
  // an output, so it never glitches to the other level.
  void configure_output(uint32_t pad, bool initial_high, Drive drive) const {
    write_level(pad, initial_high);
    regs_.write(enc(pad), bit(pad));
    const bool strong = drive == Drive::k12mA;
    write_pad(pad, pad_fncsel(kFncselGpio) | (strong ? kPadStrng : 0), kCfgOutPushPull,
              strong ? kAltDs1 : 0);
  }

  void write_level(uint32_t pad, bool high) const { regs_.write(high ? wts(pad) : wtc(pad), bit(pad)); }

 private:
  void write_pad(uint32_t pad, uint32_t padreg_bits, uint32_t cfg_bits, uint32_t alt_bits) const {
    const uint32_t ps = 8 * (pad % 4), cs = 4 * (pad % 8);
    regs_.write(kPadKey, kPadKeyUnlock);
    regs_.write(padreg(pad), (regs_.read(padreg(pad)) & ~(0xFFu << ps)) | (padreg_bits << ps));
    regs_.write(cfg(pad), (regs_.read(cfg(pad)) & ~(0xFu << cs)) | (cfg_bits << cs));
    regs_.write(altpadcfg(pad), (regs_.read(altpadcfg(pad)) & ~(0xFFu << ps)) | (alt_bits << ps));
    regs_.write(kPadKey, 0);
  }

  mmio::Block regs_;
};

class Apollo3GpioPin final : public OutputPin {
 public:
  constexpr Apollo3GpioPin(uintptr_t base, uint32_t pad) : gpio_(base), pad_(pad) {}
  void configure(bool initial_high, Apollo3Gpio::Drive drive) const {
    gpio_.configure_output(pad_, initial_high, drive);
  }
  void set(bool high) override { gpio_.write_level(pad_, high); }

 private:
  Apollo3Gpio gpio_;
  uint32_t pad_;
};

}  // namespace tp::drivers
