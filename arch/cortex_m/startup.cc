// Vector table, reset handler and fault handler for Cortex-M boards.
#include <cstddef>
#include <cstdint>

#include "cortex_m.h"
#include "fault_output.h"

extern "C" {
// Provided by linker/common.ld.
extern uint32_t __data_load, __data_start, __data_end;
extern uint32_t __bss_start, __bss_end;
extern void (*__preinit_array_start[])();
extern void (*__preinit_array_end[])();
extern void (*__init_array_start[])();
extern void (*__init_array_end[])();

int main(int argc, char** argv);
[[noreturn]] void Reset_Handler();
void Fault_Handler();
void Default_Handler();
void SysTick_Handler();
void Irq_Handler();
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

inline volatile uint32_t& reg(uintptr_t a) { return *reinterpret_cast<volatile uint32_t*>(a); }

}  // namespace

void attach_irq(int irq, Handler fn, void* ctx) {
  if (irq < 0 || irq >= kMaxIrqs) return;
  g_irq_routes[irq] = {fn, ctx};
  reg(kNvicIser + 4 * static_cast<uintptr_t>(irq / 32)) = 1u << (irq % 32);
}

void attach_systick(Handler fn, void* ctx) { g_systick_route = {fn, ctx}; }

void set_fault_output(void (*put)(char c)) { arch::set_fault_output(put); }

extern "C" void fault_report(const uint32_t* frame, uint32_t exc_return) {
  const char* thread = tp_fault_thread();  // first: lifts the stack guard
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
using tp::cortex_m::g_systick_route;

extern "C" {

[[noreturn]] void Reset_Handler() {
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
  t.core[1] = Default_Handler;  // NMI
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
