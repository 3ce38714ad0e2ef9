// ESP32 start-up for a call0-ABI image loaded by the boot ROM (the ROM reads
// the image at flash offset 0x1000, tools/esp32_image.py's format, copies
// its segments to IRAM/DRAM and jumps to the entry point). The code is built
// by Debian's xtensa-lx106 compiler (the ESP8266 core), whose instructions
// the ESP32's LX6 cores also have; it uses neither register windows nor the
// FPU. Our own stack first, then .bss (in SRAM1, which the ROM used while
// loading), constructors, main. Interrupts stay off: the drivers are polled.
#include <cstdint>

extern "C" {
extern uint32_t __bss_start, __bss_end;
extern void (*__init_array_start[])();
extern void (*__init_array_end[])();
int main(int argc, char** argv);
void tp_esp32_reset_c();
}

// a1 is the stack pointer in both ABIs; the literal is placed by the
// assembler (-mtext-section-literals) in front of the code.
__asm__(
    "  .section .text.startup,\"ax\"\n"
    "  .literal_position\n"
    "  .literal .Ltp_stack, __stack_top\n"
    "  .literal .Ltp_reset, tp_esp32_reset_c\n"
    "  .global _start\n"
    "  .type _start, @function\n"
    "  .align 4\n"
    "_start:\n"
    "  l32r a1, .Ltp_stack\n"
    "  l32r a0, .Ltp_reset\n"
    "  callx0 a0\n"
    "1: j 1b\n");

extern "C" void tp_esp32_reset_c() {
  for (uint32_t* p = &__bss_start; p < &__bss_end; ++p) *p = 0;
  for (auto f = __init_array_start; f < __init_array_end; ++f) (*f)();
  main(0, nullptr);
  for (;;) {
  }
}
