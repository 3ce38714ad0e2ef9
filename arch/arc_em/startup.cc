// Start-up, vector table and interrupt dispatch for ARCv2 EM cores (ARC EM
// Databook / ARCv2 PRM "Interrupt Vector Table": 32-bit handler addresses,
// entry 0 reset, 1 memory error, 2 instruction error, 3 EV_MachineCheck,
// ... 15, then one per interrupt from 16; INT_VECTOR_BASE (aux 0x25) points
// at it). The loader of the board (WE-I Plus: the bootloader reading the
// image made by Himax's image tool) has already put every section in RAM,
// so there is no .data copy; .bss is cleared here.
#include <cstdint>

#include "arc_aux.h"
#include "arc_em.h"
#include "fault_output.h"

extern "C" {
extern uint32_t __bss_start, __bss_end, __stack_top;
extern void (*__init_array_start[])();
extern void (*__init_array_end[])();
int main(int argc, char** argv);
[[noreturn]] void _start();
[[noreturn]] void tp_arc_reset_c();
void tp_arc_fault();
void tp_arc_irq();
extern const uint32_t tp_arc_ivt_base[];  // memory.ld: the start of .ivt
}

namespace tp::arc {
namespace {
struct Route {
  Handler fn;
  void* ctx;
};
Route g_routes[kMaxIrqs];
}  // namespace

void attach_irq(int irq, Handler fn, void* ctx) {
  if (irq < kFirstIrq || irq >= kFirstIrq + kMaxIrqs) return;
  g_routes[irq - kFirstIrq] = {fn, ctx};
  aux_write(kAuxIrqSelect, static_cast<uint32_t>(irq));
  aux_write(kAuxIrqPriority, 0);
  aux_write(kAuxIrqEnable, 1);
}

void set_fault_output(void (*put)(char c)) { arch::set_fault_output(put); }

}  // namespace tp::arc

extern "C" {

// Stack first (the loader's stack is not ours), then C++.
__attribute__((naked, section(".text.tp_boot"))) void _start() {
  __asm__ volatile(
      "mov sp, __stack_top\n\t"
      "j tp_arc_reset_c\n\t");
}

void tp_arc_reset_c() {
  tp::arc::aux_write(tp::arc::kAuxIntVectorBase, static_cast<uint32_t>(reinterpret_cast<uintptr_t>(tp_arc_ivt_base)));
  for (uint32_t* p = &__bss_start; p < &__bss_end; ++p) *p = 0;
  for (auto f = __init_array_start; f < __init_array_end; ++f) (*f)();
  main(0, nullptr);
  for (;;) __asm__ volatile("sleep 0");
}

// Exceptions: report ECR (aux 0x403), ERET (0x400) and EFA (0x404), then halt.
__attribute__((interrupt("ilink"))) void tp_arc_fault() {
  const tp::arch::FaultField fields[] = {
      {"ecr", tp::arc::aux_read(0x403)}, {"eret", tp::arc::aux_read(0x400)}, {"efa", tp::arc::aux_read(0x404)}};
  tp::arch::write_fault_report(fields, 3);
  for (;;) __asm__ volatile("flag 1");  // halt the core
}

// Interrupts: ICAUSE (aux 0x40A) is the number of the interrupt being served.
__attribute__((interrupt("ilink"))) void tp_arc_irq() {
  const uint32_t cause = tp::arc::aux_read(0x40A);
  const uint32_t i = cause - tp::arc::kFirstIrq;
  if (i < static_cast<uint32_t>(tp::arc::kMaxIrqs) && tp::arc::g_routes[i].fn) {
    tp::arc::g_routes[i].fn(tp::arc::g_routes[i].ctx);
  }
}

// 16 exception vectors and kMaxIrqs interrupt vectors; 1 KB aligned
// (INT_VECTOR_BASE ignores its low 10 bits).
using Vector = void (*)();
struct VectorTable {
  Vector v[16 + tp::arc::kMaxIrqs];
};
constexpr VectorTable make_vectors() {
  VectorTable t{};
  t.v[0] = _start;
  for (int i = 1; i < 16; ++i) t.v[i] = tp_arc_fault;
  for (int i = 16; i < 16 + tp::arc::kMaxIrqs; ++i) t.v[i] = tp_arc_irq;
  return t;
}
__attribute__((section(".ivt"), used, aligned(1024))) extern const VectorTable tp_arc_vector_table =
    make_vectors();
}
