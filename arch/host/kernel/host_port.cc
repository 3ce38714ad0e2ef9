// Host port: kernel threads on host threads, one running at a time.
//
// The running thread holds the baton (ArchThread::run). A switch hands it to
// tp_kernel_switch.next and waits for it to come back. "Interrupts" are
// simulated: raise_irq() runs a handler with in_isr() true on the running
// host thread, and a switch it asked for happens when it returns, as a
// PendSV would. Time is virtual: the idle thread moves the clock to the next
// event (the kernel's alarm or a scheduled interrupt) instead of sleeping.
#include <cstdio>
#include <cstdlib>

#include "host.h"
#include "tinyperf/kernel/arch.h"

namespace tp::kernel {
namespace {

using detail::tp_kernel_switch;

pthread_mutex_t g_m = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t g_main_cv = PTHREAD_COND_INITIALIZER;
bool g_stopped = false;
bool g_started = false;
host::Stop g_reason = host::Stop::kNotStarted;
bool g_locked = false;
bool g_in_isr = false;
bool g_pending = false;
Micros g_alarm = kForever;
Micros g_limit = kForever;
uint64_t g_switches = 0;
host::VirtualClock g_clock;

struct Irq {
  Micros at;
  void (*fn)(void*);
  void* arg;
};
constexpr int kMaxIrqs = 64;
Irq g_irqs[kMaxIrqs];
int g_nirqs = 0;

void wait_for_baton(Thread* t) {
  // g_m held
  while (!t->arch.run && !t->arch.kill) pthread_cond_wait(&t->arch.cv, &g_m);
  const bool kill = t->arch.kill;
  pthread_mutex_unlock(&g_m);
  if (kill) pthread_exit(nullptr);
}

void do_switch() {
  Thread* from = tp_kernel_switch.current;
  Thread* to = tp_kernel_switch.next;
  if (from == to) return;
  tp_kernel_switch.current = to;
  ++g_switches;
  pthread_mutex_lock(&g_m);
  to->arch.run = true;
  pthread_cond_signal(&to->arch.cv);
  from->arch.run = false;
  wait_for_baton(from);
}

void* thread_body(void* p) {
  Thread* t = static_cast<Thread*>(p);
  pthread_mutex_lock(&g_m);
  wait_for_baton(t);
  detail::thread_main(*t);
  return nullptr;
}

void create(Thread& t) {
  if (t.arch.created) return;
  t.arch.created = true;
  t.arch.run = false;
  t.arch.kill = false;
  if (pthread_create(&t.arch.thread, nullptr, thread_body, &t) != 0) {
    std::fprintf(stderr, "host kernel port: pthread_create failed\n");
    std::abort();
  }
}

void stop(host::Stop why) {
  // On the idle thread: hand control back to start()'s caller and wait to be
  // killed.
  Thread* self = tp_kernel_switch.current;
  pthread_mutex_lock(&g_m);
  g_reason = why;
  g_stopped = true;
  pthread_cond_signal(&g_main_cv);
  self->arch.run = false;
  wait_for_baton(self);
}

void switch_if_pending() {
  if (g_pending && !g_locked && !g_in_isr && g_started) {
    g_pending = false;
    do_switch();
  }
}

void alarm_irq(void*) { on_alarm(); }

// Runs the alarm and the scheduled interrupts due at the clock's time.
void run_due() {
  for (;;) {
    const Micros t = g_clock.now_;
    if (g_alarm <= t) {
      g_alarm = kForever;
      host::raise_irq(alarm_irq, nullptr);
      continue;
    }
    int due = -1;
    for (int i = 0; i < g_nirqs; ++i) {
      if (g_irqs[i].at <= t && (due < 0 || g_irqs[i].at < g_irqs[due].at)) due = i;
    }
    if (due < 0) return;
    const Irq irq = g_irqs[due];
    g_irqs[due] = g_irqs[--g_nirqs];
    host::raise_irq(irq.fn, irq.arg);
  }
}

Micros next_event() {
  Micros n = g_alarm;
  for (int i = 0; i < g_nirqs; ++i) {
    if (g_irqs[i].at < n) n = g_irqs[i].at;
  }
  return n;
}

}  // namespace

namespace arch {

uint32_t irq_lock() {
  const uint32_t key = g_locked ? 1 : 0;
  g_locked = true;
  return key;
}

void irq_unlock(uint32_t key) {
  g_locked = key != 0;
  switch_if_pending();
}

bool in_isr() { return g_in_isr; }

void init_thread(Thread& t) {
  t.arch = ArchThread{};
  if (g_started) create(t);
}

void request_switch() { g_pending = true; }

void start() {
  g_started = true;
  g_stopped = false;
  g_reason = host::Stop::kNotStarted;
  g_pending = false;
  g_locked = false;
  for (Thread* t = first_thread(); t; t = t->next_thread()) create(*t);
  pthread_mutex_lock(&g_m);
  Thread* first = tp_kernel_switch.next;
  tp_kernel_switch.current = first;
  first->arch.run = true;
  pthread_cond_signal(&first->arch.cv);
  while (!g_stopped) pthread_cond_wait(&g_main_cv, &g_m);
  // The run is over: every kernel thread waits for the baton; end them all.
  for (Thread* t = first_thread(); t; t = t->next_thread()) {
    t->arch.kill = true;
    pthread_cond_signal(&t->arch.cv);
  }
  pthread_mutex_unlock(&g_m);
  for (Thread* t = first_thread(); t; t = t->next_thread()) {
    if (t->arch.created) pthread_join(t->arch.thread, nullptr);
    t->arch.created = false;
  }
  g_started = false;
  g_locked = false;
  g_in_isr = false;
  tp_kernel_switch.current = nullptr;
}

void idle_wait() {
  bool others_alive = false;
  for (Thread* t = first_thread(); t; t = t->next_thread()) {
    if (t != &idle_thread() && t->state() != ThreadState::kDead) others_alive = true;
  }
  if (!others_alive) stop(host::Stop::kAllEnded);
  const Micros n = next_event();
  if (n == kForever) stop(host::Stop::kIdle);
  if (n > g_limit) stop(host::Stop::kTimeLimit);
  if (n > g_clock.now_) g_clock.now_ = n;
  run_due();
}

void set_alarm(Micros at) { g_alarm = at; }

void fatal(const char* what, const char* thread) {
  std::fprintf(stderr, "e-[kernel: %s, thread %s]\n", what, thread);
  std::abort();
}

}  // namespace arch

namespace host {

VirtualClock& virtual_clock() { return g_clock; }

void raise_irq(void (*fn)(void*), void* arg) {
  const bool prev = g_in_isr;
  g_in_isr = true;
  fn(arg);
  g_in_isr = prev;
  switch_if_pending();
}

void schedule_irq(Micros at, void (*fn)(void*), void* arg) {
  if (g_nirqs == kMaxIrqs) {
    std::fprintf(stderr, "host kernel port: too many scheduled interrupts\n");
    std::abort();
  }
  g_irqs[g_nirqs++] = {at, fn, arg};
}

void advance(Micros us) {
  // `left`: the computing still to do. An event due before it is done runs
  // at its own time; if it preempts this thread, the clock moves on while
  // others run and the rest of the computing is done when this thread runs
  // again (a preemptive CPU's accounting: no work lost, none counted twice).
  Micros left = us;
  for (;;) {
    const Micros n = next_event();
    if (n == kForever || (n > g_clock.now_ && n - g_clock.now_ > left)) break;
    if (n > g_clock.now_) {
      left -= n - g_clock.now_;
      g_clock.now_ = n;
    }
    run_due();
  }
  g_clock.now_ += left;
  run_due();
}

Stop stop_reason() { return g_reason; }
void set_time_limit(Micros at) { g_limit = at; }

void reset() {
  g_clock.now_ = 0;
  g_nirqs = 0;
  g_alarm = kForever;
  g_limit = kForever;
  g_switches = 0;
  g_reason = Stop::kNotStarted;
}

uint64_t switches() { return g_switches; }

}  // namespace host
}  // namespace tp::kernel
