// Vector table, reset handler and fault handler for Cortex-M boards.
#include <cstddef>
#include <cstdint>

#include "cortex_m.h"
#include "fault_output.h"
#include "handover.h"
#include "reset_cause.h"

extern "C" {
// Provided by linker/common.ld.
extern uint32_t __data_load, __data_start, __data_end;
extern uint32_t __bss_start, __bss_end;
extern const uint32_t __vectors_start[];  // our vector table: word 0 is the initial MSP
extern void (*__preinit_array_start[])();
extern void (*__preinit_array_end[])();
extern void (*__init_array_start[])();
extern void (*__init_array_end[])();

int main(int argc, char** argv);
[[noreturn]] void Reset_Handler();
[[noreturn]] void tp_reset_continue();
void tp_take_over_from_bootloader();
void Fault_Handler();
void Default_Handler();
void SysTick_Handler();
void Irq_Handler();
void NMI_Handler();
void PendSV_Handler() __attribute__((weak, alias("Default_Handler")));  // the kernel's switch
// The kernel port names the running thread (and lifts its stack guard).
__attribute__((weak)) const char* tp_fault_thread() { return nullptr; }
}

namespace tp::cortex_m {
namespace {

constexpr uintptr_t kCpacr = 0xE000ED88;
constexpr uintptr_t kCfsr = 0xE000ED28;
constexpr uintptr_t kHfsr = 0xE000ED2C;
constexpr uintptr_t kNvicIser = 0xE000E100;

struct Route {
  Handler fn;
  void* ctx;
};
Route g_irq_routes[kMaxIrqs];
Route g_systick_route;
Route g_nmi_route;

inline volatile uint32_t& reg(uintptr_t a) { return *reinterpret_cast<volatile uint32_t*>(a); }

}  // namespace

void attach_irq(int irq, Handler fn, void* ctx) {
  if (irq < 0 || irq >= kMaxIrqs) return;
  g_irq_routes[irq] = {fn, ctx};
  reg(kNvicIser + 4 * static_cast<uintptr_t>(irq / 32)) = 1u << (irq % 32);
}

void attach_systick(Handler fn, void* ctx) { g_systick_route = {fn, ctx}; }

void attach_nmi(Handler fn, void* ctx) { g_nmi_route = {fn, ctx}; }

void set_fault_output(void (*put)(char c)) { arch::set_fault_output(put); }

extern "C" void fault_report(const uint32_t* frame, uint32_t exc_return) {
  const char* thread = tp_fault_thread();  // first: lifts the stack guard
  arch::record_reset_cause(arch::ResetCause::kFault);  // for the next boot's banner
  uint32_t ipsr;
  __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
  const arch::FaultField fields[] = {{"exception", ipsr & 0x1FF}, {"pc", frame[6]},  {"lr", frame[5]},
                                     {"cfsr", reg(kCfsr)},         {"hfsr", reg(kHfsr)}, {"exc_return", exc_return}};
  arch::write_fault_report(fields, 6, thread);
  for (;;) {
    __asm__ volatile("cpsid i");
    __asm__ volatile("wfi");
  }
}

}  // namespace tp::cortex_m

using tp::cortex_m::g_irq_routes;
using tp::cortex_m::g_nmi_route;
using tp::cortex_m::g_systick_route;

extern "C" {

// The first instructions after reset, or after a bootloader's jump: mask
// interrupts, run on our own stack (MSP from word 0 of our vector table; a
// bootloader's stack may lie inside our .data/.bss), leave the main stack
// active (CONTROL = 0), then take the NVIC and VTOR over (handover.h) before
// .data and .bss overwrite whatever the bootloader left in RAM. No
// instruction before the MSP load touches the stack.
__attribute__((naked, noreturn)) void Reset_Handler() {
  __asm__ volatile(
      "cpsid i\n\t"
      "ldr r0, =__vectors_start\n\t"
      "ldr r0, [r0]\n\t"
      "msr msp, r0\n\t"
      "movs r0, #0\n\t"
      "msr control, r0\n\t"
      "isb\n\t"
      "bl tp_take_over_from_bootloader\n\t"
      "b tp_reset_continue\n\t");
}

void tp_take_over_from_bootloader() {
  tp::cortex_m::take_over_from_bootloader(static_cast<uint32_t>(reinterpret_cast<uintptr_t>(__vectors_start)));
  __asm__ volatile("dsb\n\tisb" ::: "memory");
}

[[noreturn]] void tp_reset_continue() {
  // Give the FPU (and MVE on Armv8.1-M) full access before any FP code runs.
  tp::cortex_m::reg(tp::cortex_m::kCpacr) |= (0xFu << 20);
  __asm__ volatile("dsb\n\tisb" ::: "memory");

  for (uint32_t *src = &__data_load, *dst = &__data_start; dst < &__data_end;) *dst++ = *src++;
  for (uint32_t* dst = &__bss_start; dst < &__bss_end;) *dst++ = 0;

  for (auto f = __preinit_array_start; f < __preinit_array_end; ++f) (*f)();
  for (auto f = __init_array_start; f < __init_array_end; ++f) (*f)();

  main(0, nullptr);
  for (;;) {
    __asm__ volatile("wfi");
  }
}

// Test images only (the `handover` command of -DTP_FAULT_TEST=ON images;
// --gc-sections drops it elsewhere): plays a bootloader that jumps to our
// reset handler without resetting the core. It leaves what a careless one
// would: VTOR at a table of its own (in .bss, so gone once our start-up
// clears it), an interrupt line enabled and pending, MSP inside our .bss,
// the process stack active if a kernel thread called it; interrupts masked,
// as bootloaders jump. An image whose Reset_Handler did not take over would
// take that interrupt through the stale table when its board init unmasks
// interrupts, or lose its stack to the .bss clear: it never prints
// m-init-done again (host_tests/boot/handover_test.py).
namespace {
constexpr int kBootloaderIrq = 31;  // unused on both QEMU boards
alignas(512) uint32_t g_bootloader_table[16 + tp::cortex_m::kMaxIrqs];
[[noreturn]] void bootloader_trap() {
  for (;;) __asm__ volatile("wfi");
}
}  // namespace

[[noreturn]] void tp_simulate_bootloader_jump() {
  __asm__ volatile("cpsid i" ::: "memory");
  for (auto& v : g_bootloader_table) v = static_cast<uint32_t>(reinterpret_cast<uintptr_t>(&bootloader_trap));
  g_bootloader_table[0] = static_cast<uint32_t>(reinterpret_cast<uintptr_t>(&__bss_end));
  tp::cortex_m::reg(0xE000ED08) = static_cast<uint32_t>(reinterpret_cast<uintptr_t>(g_bootloader_table));
  tp::cortex_m::reg(tp::cortex_m::kNvicIser + 4 * (kBootloaderIrq / 32)) = 1u << (kBootloaderIrq % 32);
  tp::cortex_m::reg(0xE000E200 + 4 * (kBootloaderIrq / 32)) = 1u << (kBootloaderIrq % 32);  // ISPR
  const uint32_t stale_sp = static_cast<uint32_t>(reinterpret_cast<uintptr_t>(&__bss_start)) + 512;
  __asm__ volatile(
      "dsb\n\t"
      "isb\n\t"
      "movs r0, #0\n\t"
      "msr control, r0\n\t"  // main stack active, no FP context
      "isb\n\t"
      "msr msp, %0\n\t"
      "bx %1\n\t" ::"r"(stale_sp),
      "r"(&Reset_Handler)
      : "r0", "memory");
  __builtin_unreachable();
}

// Hands the stacked exception frame (MSP or PSP) to fault_report.
__attribute__((naked)) void Fault_Handler() {
  __asm__ volatile(
      "tst lr, #4\n\t"
      "ite eq\n\t"
      "mrseq r0, msp\n\t"
      "mrsne r0, psp\n\t"
      "mov r1, lr\n\t"
      "b fault_report\n\t");
}

void Default_Handler() { Fault_Handler(); }

// NMI: a board may route it (the watchdog's early warning on the MPS boards);
// otherwise it is reported like a fault.
void NMI_Handler() {
  if (g_nmi_route.fn) {
    g_nmi_route.fn(g_nmi_route.ctx);
    return;
  }
  Fault_Handler();
}

void SysTick_Handler() {
  if (g_systick_route.fn) g_systick_route.fn(g_systick_route.ctx);
}

void Irq_Handler() {
  uint32_t ipsr;
  __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
  const int irq = static_cast<int>(ipsr & 0x1FF) - 16;
  if (irq >= 0 && irq < tp::cortex_m::kMaxIrqs && g_irq_routes[irq].fn) {
    g_irq_routes[irq].fn(g_irq_routes[irq].ctx);
  }
}

using Vector = void (*)();

// The vector table after its first word: the linker script puts the initial
// stack pointer (__stack_top) in front of it.
struct VectorTable {
  Vector core[15];
  Vector irq[tp::cortex_m::kMaxIrqs];
};

constexpr VectorTable make_vector_table() {
  VectorTable t{};
  t.core[0] = Reset_Handler;
  t.core[1] = NMI_Handler;
  t.core[2] = Fault_Handler;    // HardFault
  t.core[3] = Fault_Handler;    // MemManage
  t.core[4] = Fault_Handler;    // BusFault
  t.core[5] = Fault_Handler;    // UsageFault
  t.core[6] = Fault_Handler;    // SecureFault (Armv8-M)
  t.core[10] = Default_Handler;  // SVCall
  t.core[11] = Default_Handler;  // DebugMonitor
  t.core[13] = PendSV_Handler;
  t.core[14] = SysTick_Handler;
  for (auto& v : t.irq) v = Irq_Handler;  // routed through attach_irq()
  return t;
}

__attribute__((section(".vectors"), used)) constexpr VectorTable g_vectors = make_vector_table();

}  // extern "C"
