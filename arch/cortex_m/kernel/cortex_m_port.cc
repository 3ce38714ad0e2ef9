// Cortex-M port of the kernel: PendSV context switch on the process stack,
// lazy floating-point stacking, stack guards, the board's one-shot alarm.
//
// Switch: a kernel call or an interrupt that makes another thread the most
// urgent pends PendSV (lowest priority), which runs once interrupts are
// unmasked and no other handler is active. The hardware has already pushed
// r0-r3, r12, lr, pc, xPSR (and, if the thread's FP context is active,
// reserved room for s0-s15, FPSCR and on the M55 VPR, filled lazily); PendSV
// pushes r4-r11 and EXC_RETURN, and s16-s31 when EXC_RETURN bit 4 is 0 (the
// thread has used the FPU). Pushing s16-s31 is itself an FP instruction, so
// the lazy save of s0-s15 into the hardware frame happens then. The M55's
// Helium Q registers are these same registers (Q0-Q7 = S0-S31), and VPR is
// in the hardware-saved part: nothing more to save.
//
// Guard: M4: MPU region 7 covers the lowest 32 bytes of the running
// thread's stack with no access (PRIVDEFENA keeps the default map
// elsewhere); M55: PSPLIM is the stack base + 32. A push past the guard is a
// MemManage (M4) or a stack-overflow UsageFault (M55), reported by the fault
// handler with the thread's name.
#include <cstddef>

#include "cortex_m.h"
#include "cortex_m_kernel.h"
#include "fault_output.h"
#include "tinyperf/kernel/arch.h"

#if defined(__ARM_ARCH_8M_MAIN__) || defined(__ARM_ARCH_8_1M_MAIN__)
#define TP_KERNEL_PSPLIM 1
#else
#define TP_KERNEL_PSPLIM 0
#endif

namespace tp::kernel {
namespace {

inline volatile uint32_t& reg(uintptr_t a) { return *reinterpret_cast<volatile uint32_t*>(a); }
constexpr uintptr_t kIcsr = 0xE000ED04;
constexpr uint32_t kIcsrPendSvSet = 1u << 28;
constexpr uintptr_t kShpr3 = 0xE000ED20;
constexpr uintptr_t kShcsr = 0xE000ED24;
constexpr uintptr_t kMpuCtrl = 0xE000ED94;
constexpr uintptr_t kNvicIspr = 0xE000E200;

// The alarm: the board's (drivers::Alarm), armed for the first timeout.
drivers::Alarm* g_alarm = nullptr;

void alarm_handler() { on_alarm(); }

extern "C" void tp_kernel_thread_start(Thread* t) { detail::thread_main(*t); }

}  // namespace

namespace cortex_m {
void use_alarm(drivers::Alarm& alarm) {
  alarm.stop();
  alarm.set_handler(&alarm_handler);
  g_alarm = &alarm;
}
}  // namespace cortex_m

namespace arch {

uint32_t irq_lock() {
  uint32_t primask;
  __asm__ volatile("mrs %0, primask\n\tcpsid i" : "=r"(primask)::"memory");
  return primask;
}

void irq_unlock(uint32_t key) { __asm__ volatile("msr primask, %0" ::"r"(key) : "memory"); }

bool in_isr() {
  uint32_t ipsr;
  __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
  return (ipsr & 0x1FF) != 0;
}

void init_thread(Thread& t) {
  const uintptr_t base = reinterpret_cast<uintptr_t>(t.stack_);
  auto* sp = reinterpret_cast<uint32_t*>((base + t.stack_size_) & ~uintptr_t{7});
  *--sp = 0x01000000u;  // xPSR: Thumb
  *--sp = reinterpret_cast<uint32_t>(&tp_kernel_thread_start) & ~1u;  // pc
  *--sp = 0;            // lr: thread_main never returns
  *--sp = 0;            // r12
  *--sp = 0;            // r3
  *--sp = 0;            // r2
  *--sp = 0;            // r1
  *--sp = reinterpret_cast<uint32_t>(&t);  // r0
  *--sp = 0xFFFFFFFDu;  // EXC_RETURN: thread mode, PSP, no FP context yet
  for (int i = 0; i < 8; ++i) *--sp = 0;  // r4-r11
  t.arch.sp = reinterpret_cast<uint32_t>(sp);
#if TP_KERNEL_PSPLIM
  t.arch.guard0 = static_cast<uint32_t>(base + kStackGuard);
  t.arch.guard1 = 0;
#else
  // MPU region 7: base | VALID | region; XN, AP=no access, SIZE=32 B, enable.
  t.arch.guard0 = static_cast<uint32_t>(base) | (1u << 4) | 7u;
  t.arch.guard1 = (1u << 28) | (4u << 1) | 1u;
#endif
}

void request_switch() { reg(kIcsr) = kIcsrPendSvSet; }

void start() {
  reg(kShpr3) = (reg(kShpr3) & 0xFF00FFFFu) | (0xFFu << 16);  // PendSV lowest
  reg(kShcsr) = reg(kShcsr) | (7u << 16);  // MemManage, BusFault, UsageFault on
#if !TP_KERNEL_PSPLIM
  reg(kMpuCtrl) = 5;  // ENABLE | PRIVDEFENA (region 7 set at each switch)
#endif
  __asm__ volatile(
      "mrs r0, control\n\t"
      "bic r0, r0, #4\n\t"  // FPCA = 0: main's FP state is not a thread's
      "msr control, r0\n\t"
      "isb\n\t" ::: "r0", "memory");
  request_switch();
  __asm__ volatile("cpsie i" ::: "memory");
  for (;;) __asm__ volatile("wfi");  // not reached: PendSV switches away
}

void idle_wait() { __asm__ volatile("wfi" ::: "memory"); }

void set_alarm(Micros at) {
  if (!g_alarm) {
    if (at != kForever) fail("no alarm timer for a timeout");
    return;
  }
  if (at == kForever) {
    g_alarm->stop();
    return;
  }
  // Too close to arm in hardware: the alarm's interrupt runs it now.
  if (!g_alarm->arm(at, now())) {
    const int irq = g_alarm->irq();
    reg(kNvicIspr + 4 * static_cast<uint32_t>(irq / 32)) = 1u << (irq % 32);
  }
}

void fatal(const char* what, const char* thread) {
  __asm__ volatile("cpsid i" ::: "memory");
  tp::arch::write_fault_text("\r\ne-[kernel: ");
  tp::arch::write_fault_text(what);
  tp::arch::write_fault_text(", thread=");
  tp::arch::write_fault_text(thread);
  tp::arch::write_fault_text(", halted]\r\n");
  for (;;) __asm__ volatile("wfi");
}

}  // namespace arch
}  // namespace tp::kernel

extern "C" {

// Context switches performed (PendSV), for `serve`'s per-run figure.
volatile uint32_t tp_kernel_switches = 0;

// Names the running thread in the fault handler's line (arch/cortex_m/startup.cc)
// and lifts the guard so the handler can read the faulting stack.
const char* tp_fault_thread() {
#if TP_KERNEL_PSPLIM
  __asm__ volatile("msr psplim, %0" ::"r"(0));
#else
  *reinterpret_cast<volatile uint32_t*>(0xE000ED94) = 0;  // MPU off
  __asm__ volatile("dsb\n\tisb" ::: "memory");
#endif
  tp::kernel::Thread* t = tp::kernel::detail::tp_kernel_switch.current;
  if (!t) return nullptr;
  // CFSR: MSTKERR (bit 4, stacking hit the MPU guard) or STKOF (bit 20,
  // below PSPLIM), or a canary gone: say "stack overflow" after the name.
  const uint32_t cfsr = *reinterpret_cast<volatile uint32_t*>(0xE000ED28);
  if (!(cfsr & ((1u << 4) | (1u << 20))) && t->canary_ok()) return t->name();
  static char buf[48];
  std::size_t n = 0;
  for (const char* p = t->name(); *p && n < 24; ++p) buf[n++] = *p;
  for (const char* p = " stack-overflow"; *p; ++p) buf[n++] = *p;
  buf[n] = 0;
  return buf;
}

// Interrupts are masked from reading `next` to committing `current`: an
// interrupt that wakes a thread in between would otherwise see the old
// `current`, leave no switch pending, and the woken thread would wait until
// some later reschedule (a lost wake-up: the firmware's protocol thread
// stalled about once in six QEMU protocol runs before this).
__attribute__((naked)) void PendSV_Handler() {
  __asm__ volatile(
      "cpsid i\n\t"
      "ldr   r3, =tp_kernel_switch\n\t"
      "ldrd  r0, r1, [r3]\n\t"  // r0 = current, r1 = next
      "cmp   r0, r1\n\t"
      "bne   2f\n\t"
      "cpsie i\n\t"
      "bx    lr\n\t"
      "2:\n\t"
      "ldr   r2, =tp_kernel_switches\n\t"  // count it (cortex_m::switch_count())
      "ldr   r12, [r2]\n\t"
      "add   r12, r12, #1\n\t"
      "str   r12, [r2]\n\t"
      "cbz   r0, 1f\n\t"  // the first switch saves nothing
      "mrs   r2, psp\n\t"
      "tst   lr, #0x10\n\t"
      "it    eq\n\t"
      "vstmdbeq r2!, {s16-s31}\n\t"
      "stmdb r2!, {r4-r11, lr}\n\t"
      "str   r2, [r0]\n\t"
      "1:\n\t"
      "str   r1, [r3]\n\t"  // current = next
      "ldr   r2, [r1]\n\t"
#if TP_KERNEL_PSPLIM
      "movs  r3, #0\n\t"
      "msr   psplim, r3\n\t"
      "ldr   r3, [r1, #4]\n\t"
#else
      "ldr   r0, =0xE000ED9C\n\t"  // MPU_RBAR, MPU_RASR
      "ldrd  r3, r12, [r1, #4]\n\t"
      "stmia r0, {r3, r12}\n\t"
#endif
      "ldmia r2!, {r4-r11, lr}\n\t"
      "tst   lr, #0x10\n\t"
      "it    eq\n\t"
      "vldmiaeq r2!, {s16-s31}\n\t"
      "msr   psp, r2\n\t"
#if TP_KERNEL_PSPLIM
      "msr   psplim, r3\n\t"
#else
      "dsb\n\t"
#endif
      "cpsie i\n\t"
      "bx    lr\n\t"
      ".ltorg\n\t");
}

}  // extern "C"
