// Kernel test and benchmark image for the QEMU boards (host_tests/kernel/
// target/CMakeLists.txt). After `m-ktest-ready` it reads one command byte:
//   t  context-switch torture: three threads at one priority (round-robin)
//      fill every integer, FP (and on the M55 Helium/VPR) register with their
//      own patterns and check them while a 20 us periodic timer interrupt
//      wakes a higher-priority thread that uses the FPU too
//   o  stack overflow in a thread (its guard must fault)
//   f  an undefined instruction in a thread (UsageFault)
//   a  a mutex locked from an interrupt (the kernel's assert)
//   b  benchmark: instructions (QEMU -icount shift=0) for the kernel paths
//   s  the `threads` table of a few threads
//   l  the board's alarm: 200 sleeps of 20-32 us, how late each woke (never
//      early), on the board's Clock
#include <cstdint>

#include "cortex_m.h"
#include "cortex_m_kernel.h"
#include "tinyperf/board.h"
#include "tinyperf/kernel/kernel.h"

extern "C" uint32_t tp_torture_round(uint32_t seed, uint32_t iters);

namespace k = tp::kernel;

namespace {

const tp::board::Board* g_board;

void out(const char* s) {
  std::size_t n = 0;
  while (s[n]) ++n;
  g_board->console.write(s, n);
}
void out_u(uint64_t v) {
  char buf[24];
  int i = 23;
  buf[i] = 0;
  do {
    buf[--i] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v);
  out(buf + i);
}

// ---- torture ----
constexpr int kWorkers = 3;
constexpr uint32_t kRounds = 200;
volatile uint32_t g_errors = 0;
// One counter per worker: three workers preempting each other would lose
// increments of a shared one (a load, a switch, a store), and the test then
// saw 597 rounds of 600 now and then.
volatile uint32_t g_rounds[kWorkers] = {};
volatile uint32_t g_kicks = 0;
volatile uint32_t g_workers_left = kWorkers;
k::Semaphore g_kick;
k::Semaphore g_done;

void worker(void* arg) {
  const uint32_t seed = reinterpret_cast<uint32_t>(arg);
  for (uint32_t r = 0; r < kRounds; ++r) {
    if (tp_torture_round(seed + r * 0x10000u, 400) != 0) g_errors = g_errors + 1;
    g_rounds[seed & 0xFF] = g_rounds[seed & 0xFF] + 1;  // seeds end in 0, 1, 2
  }
  g_done.give();
}

void kicker(void*) {
  volatile float f = 1.0f;
  for (;;) {
    g_kick.take();
    f = f * 1.0001f + 0.5f;  // FP in the preempting thread as well
    g_kicks = g_kicks + 1;
  }
}

k::Timer g_kick_timer([](k::Timer&, void*) { g_kick.give(); }, nullptr);
// `T`: the same with an interrupt that breaks the rules (changes s20 without
// saving it): the test must then fail.
k::Timer g_bad_timer([](k::Timer&, void*) {
  __asm__ volatile("vmov s20, %0" ::"r"(0xBAD));
  g_kick.give();
}, nullptr);
k::Timer* g_torture_timer = &g_kick_timer;

void torture_main(void*) {
  g_torture_timer->start(20, 20);
  for (int i = 0; i < kWorkers; ++i) g_done.take();
  g_torture_timer->stop();
  k::set_time_slice(0);
  out(g_errors ? "m-ktest-torture-[FAIL,corrupted rounds=" : "m-ktest-torture-[pass,corrupted rounds=");
  out_u(g_errors);
  out(",rounds=");
  out_u(g_rounds[0] + g_rounds[1] + g_rounds[2]);
  out(",timer preemptions=");
  out_u(g_kicks);
  out("]\r\n");
}

k::StaticThread<1024> t_w0("w0", 2, worker, reinterpret_cast<void*>(0x11000000u));
k::StaticThread<1024> t_w1("w1", 2, worker, reinterpret_cast<void*>(0x22000001u));
k::StaticThread<1024> t_w2("w2", 2, worker, reinterpret_cast<void*>(0x33000002u));
k::StaticThread<1024> t_kick("kicker", 6, kicker);
k::StaticThread<1024> t_main("main", 7, torture_main);  // starts the timer, then waits

// ---- faults ----
__attribute__((noinline)) uint32_t recurse(uint32_t n) {
  volatile uint32_t pad[4] = {n, n + 1, n + 2, n + 3};
  return n == 0 ? pad[0] : recurse(n + 1) + pad[3];  // never ends: overflows
}
void overflow_entry(void*) { recurse(1); }
void fault_entry(void*) { __builtin_trap(); }
k::Mutex g_mutex;
void assert_entry(void*) {
  // Raise the alarm timer's neighbour: pend an interrupt whose handler locks.
  tp::cortex_m::attach_irq(TP_KTEST_SPARE_IRQ, [](void*) { g_mutex.lock(); }, nullptr);
  *reinterpret_cast<volatile uint32_t*>(0xE000E200 + 4 * (TP_KTEST_SPARE_IRQ / 32)) =
      1u << (TP_KTEST_SPARE_IRQ % 32);
  for (;;) k::sleep(1000);
}
k::StaticThread<512> t_overflow("overflow", 3, overflow_entry);
k::StaticThread<512> t_fault("faulty", 3, fault_entry);
k::StaticThread<512> t_assert("asserter", 3, assert_entry);

// ---- benchmark ----
// SysTick counts CPU clock cycles down from 2^24-1; under -icount shift=0
// QEMU's cycle is one instruction's nanosecond: at TP_BOARD_CLOCK_HZ one
// tick is 1e9 / hz instructions. Averaging over many runs removes the
// tick's quantization.
inline uint32_t stamp() { return *reinterpret_cast<volatile uint32_t*>(0xE000E018); }
inline uint32_t elapsed(uint32_t from, uint32_t to) { return (from - to) & 0x00FFFFFFu; }
constexpr uint32_t kIters = 2000;

volatile uint32_t g_t0;
uint64_t g_sum;
k::Semaphore g_ping;
k::Semaphore g_bench_done;
k::Mutex g_bm;
int g_phase = 0;

void print_figure(const char* name, uint64_t ticks_sum, uint32_t n, uint64_t overhead_x1000) {
  // instructions x 1000 = ticks/n * 1e9/hz * 1000
  const uint64_t per_x1000 = ticks_sum * 1000000000ull / TP_BOARD_CLOCK_HZ * 1000 / n;
  const uint64_t v = per_x1000 > overhead_x1000 ? per_x1000 - overhead_x1000 : 0;
  out("m-kbench-[");
  out(name);
  out(",");
  out_u((v + 500) / 1000);
  out("]\r\n");
}

void spare_isr(void*) { g_ping.give(); }

void bench_high(void*) {
  for (;;) {
    g_ping.take();
    const uint32_t t1 = stamp();
    if (g_phase != 2) g_sum += elapsed(g_t0, t1);
    if (g_phase == 2) {  // contended mutex: the owner (low) is waiting to unlock
      const uint32_t t2 = stamp();
      g_bm.lock();
      g_sum += elapsed(t2, stamp());
      g_bm.unlock();
    }
  }
}

void bench_low(void*) {
  // Cost of taking a stamp (subtracted from every figure).
  uint64_t s = 0;
  for (uint32_t i = 0; i < kIters; ++i) {
    const uint32_t a = stamp();
    s += elapsed(a, stamp());
  }
  const uint64_t overhead = s * 1000000000ull / TP_BOARD_CLOCK_HZ * 1000 / kIters;
  out("m-kbench-[stamp overhead,");
  out_u(overhead / 1000);
  out("]\r\n");
  // Calibration: 1000 instructions measured the same way.
  g_sum = 0;
  for (uint32_t i = 0; i < 200; ++i) {
    const uint32_t a = stamp();
    __asm__ volatile(".rept 1000\n\tnop\n\t.endr");
    g_sum += elapsed(a, stamp());
  }
  print_figure("calibration 1000 nop", g_sum, 200, overhead);

  // 1. give in this thread -> the waiting higher-priority thread runs.
  g_sum = 0;
  for (uint32_t i = 0; i < kIters; ++i) {
    g_t0 = stamp();
    g_ping.give();
  }
  print_figure("semaphore give to higher-priority thread", g_sum, kIters, overhead);

  // 2. interrupt -> thread: pend the spare IRQ (its handler gives).
  tp::cortex_m::attach_irq(TP_KTEST_SPARE_IRQ, spare_isr, nullptr);
  g_sum = 0;
  for (uint32_t i = 0; i < kIters; ++i) {
    g_t0 = stamp();
    *reinterpret_cast<volatile uint32_t*>(0xE000E200 + 4 * (TP_KTEST_SPARE_IRQ / 32)) =
        1u << (TP_KTEST_SPARE_IRQ % 32);
    __asm__ volatile("dsb\n\tisb" ::: "memory");  // taken here
  }
  print_figure("interrupt to thread", g_sum, kIters, overhead);

  // 3. mutex lock + unlock, uncontended.
  g_sum = 0;
  for (uint32_t i = 0; i < kIters; ++i) {
    const uint32_t a = stamp();
    g_bm.lock();
    g_bm.unlock();
    g_sum += elapsed(a, stamp());
  }
  print_figure("mutex lock+unlock uncontended", g_sum, kIters, overhead);

  // 4. contended: low holds the mutex, high wakes and blocks on it (low
  // inherits), low unlocks (hand-over, switch): from high's lock() call to
  // its return.
  g_phase = 2;
  g_sum = 0;
  for (uint32_t i = 0; i < kIters; ++i) {
    g_bm.lock();
    g_ping.give();  // high runs and blocks on the mutex (this thread inherits)
    g_bm.unlock();  // hand-over: high runs again
  }
  // From high's lock() call to its return: the block, the switch to this
  // thread, the rest of give(), unlock() with the hand-over, the switch back.
  print_figure("mutex lock contended round trip", g_sum, kIters, overhead);
  out("m-kbench-done\r\n");
}

k::StaticThread<1024> t_bhigh("bench-high", 5, bench_high);
k::StaticThread<1024> t_blow("bench-low", 2, bench_low);

// ---- alarm lateness ----
void lateness_entry(void*) {
  constexpr uint32_t kRuns = 200;
  uint64_t early = 0, worst = 0, total = 0;
  for (uint32_t i = 0; i < kRuns; ++i) {
    const k::Micros d = 20 + i % 13;
    const k::Micros t0 = k::now();
    k::sleep(d);
    const k::Micros t1 = k::now();
    if (t1 < t0 + d) {
      ++early;
      continue;
    }
    const uint64_t late = t1 - (t0 + d);
    total += late;
    if (late > worst) worst = late;
  }
  out("m-ktest-alarm-[runs=");
  out_u(kRuns);
  out(",early=");
  out_u(early);
  out(",worst late us=");
  out_u(worst);
  out(",mean late us x10=");
  out_u(total * 10 / kRuns);
  out("]\r\n");
  out("m-ktest-done\r\n");
}
k::StaticThread<1024> t_lateness("lateness", 2, lateness_entry);

// ---- threads table ----
void table_entry(void*) {
  for (k::Thread* t = k::first_thread(); t; t = t->next_thread()) {
    out("m-thread-[");
    out(t->name());
    out(",");
    out_u(static_cast<uint64_t>(t->priority()));
    out(",");
    out(k::state_name(t->state()));
    out(",");
    out_u(t->stack_used());
    out("/");
    out_u(t->stack_size());
    out("]\r\n");
  }
  out("m-ktest-done\r\n");
}
k::StaticThread<1024> t_table("table", 2, table_entry);

}  // namespace

int main(int, char**) {
  g_board = &tp::board::init(0, nullptr, 115200);
  k::init(g_board->clock);
  k::cortex_m::use_alarm(tp::board::kernel_alarm());
  out("m-ktest-ready\r\n");
  uint8_t c = 0;
  for (;;) {
    if (g_board->console.read(c) && c > ' ') break;
    tp::board::wait_for_event();
  }
  switch (c) {
    case 'T':
      g_torture_timer = &g_bad_timer;
      [[fallthrough]];
    case 't':
      k::set_time_slice(150);
      k::start_thread(t_w0);
      k::start_thread(t_w1);
      k::start_thread(t_w2);
      k::start_thread(t_kick);
      k::start_thread(t_main);
      break;
    case 'o': k::start_thread(t_overflow); break;
    case 'f': k::start_thread(t_fault); break;
    case 'a': k::start_thread(t_assert); break;
    case 'l': k::start_thread(t_lateness); break;
    case 'b':
      k::start_thread(t_bhigh);
      k::start_thread(t_blow);
      break;
    default:
      k::start_thread(t_table);
      k::start_thread(t_w0);
      break;
  }
  k::start();
}
