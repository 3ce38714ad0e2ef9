// The portable kernel: scheduler, timeouts, threads and primitives.
//
// Scheduling: one FIFO ready list per priority and a bitmap of non-empty
// lists; the most urgent ready thread runs. Inside a priority, a list is
// ordered by absolute deadline (earliest first; threads without one carry
// kForever and keep FIFO order behind them), which is EDF among equals. A
// thread's absolute deadline is set to now + its relative deadline each time
// it becomes ready after waiting (a new job released). The running thread
// stays in its ready list; a switch is requested whenever the head of the
// most urgent list is not the running thread, and the port performs it when
// interrupts are unmasked (PendSV on Cortex-M).
//
// Time: tickless. Every timeout (a thread's wait, a timer, the round-robin
// slice) is in one list sorted by time; the port's one-shot alarm is armed
// for the first. With no timeout pending there is no timer interrupt at all,
// so code that never waits (the inference loop) pays nothing.
#include <cstring>

#include "tinyperf/kernel/arch.h"
#include "tinyperf/kernel/kernel.h"

namespace tp::kernel {
namespace detail {
extern "C" {
Switch tp_kernel_switch = {nullptr, nullptr};
}
}  // namespace detail

namespace {

using detail::tp_kernel_switch;

drivers::Clock* g_clock = nullptr;
Link g_ready[kMaxPriority + 1];
uint32_t g_ready_bits = 0;
Link g_timeouts;
Thread* g_all = nullptr;
bool g_running = false;
Micros g_slice = 0;
Timeout g_slice_to;
FailHook g_fail_hook = nullptr;

void (*g_idle_hook)() = nullptr;

void idle_entry(void*) {
  for (;;) {
    if (g_idle_hook) {
      g_idle_hook();  // the application's idle work (a watchdog feed, a board's own sleep)
    } else {
      arch::idle_wait();
    }
  }
}
StaticThread<256> g_idle_thread("idle", 0, idle_entry);
StaticThread<256>* const g_idle = &g_idle_thread;

Micros add_sat(Micros a, Micros b) { return a > kForever - b ? kForever : a + b; }

void link_before(Link* pos, Link* l) {
  l->next = pos;
  l->prev = pos->prev;
  pos->prev->next = l;
  pos->prev = l;
}
void unlink(Link* l) {
  l->prev->next = l->next;
  l->next->prev = l->prev;
  l->next = l->prev = l;
}

struct Lock {
  uint32_t key;
  Lock() : key(arch::irq_lock()) {}
  ~Lock() { arch::irq_unlock(key); }
  Lock(const Lock&) = delete;
  Lock& operator=(const Lock&) = delete;
};

// ---- ready lists ----
void ready_insert(Thread* t) {
  Link& h = g_ready[t->prio_];
  Link* pos = h.next;
  while (pos != &h && pos->owner->abs_deadline_ <= t->abs_deadline_) pos = pos->next;
  link_before(pos, &t->qlink);
  g_ready_bits |= 1u << t->prio_;
  t->state_ = ThreadState::kReady;
}
void ready_remove(Thread* t) {
  unlink(&t->qlink);
  if (!g_ready[t->prio_].linked()) g_ready_bits &= ~(1u << t->prio_);
}
Thread* best() {
  const int p = 31 - __builtin_clz(g_ready_bits);
  return g_ready[p].next->owner;
}
void reschedule() {
  if (!g_running) return;
  Thread* b = best();
  tp_kernel_switch.next = b;
  if (b != tp_kernel_switch.current) arch::request_switch();
}

// ---- wait queues: priority, then deadline, then FIFO ----
bool before(const Thread* a, const Thread* b) {
  return a->prio_ > b->prio_ || (a->prio_ == b->prio_ && a->abs_deadline_ < b->abs_deadline_);
}
void wq_insert(WaitQueue* wq, Thread* t) {
  Link* pos = wq->head.next;
  while (pos != &wq->head && !before(t, pos->owner)) pos = pos->next;
  link_before(pos, &t->qlink);
  t->waiting_on = wq;
}

// ---- timeouts ----
void rearm() { arch::set_alarm(g_timeouts.linked() ? reinterpret_cast<Timeout*>(g_timeouts.next)->at : kForever); }
void timeout_add(Timeout* to, Micros at) {
  if (to->link.linked()) unlink(&to->link);
  to->at = at;
  Link* pos = g_timeouts.next;
  while (pos != &g_timeouts && reinterpret_cast<Timeout*>(pos)->at <= at) pos = pos->next;
  link_before(pos, &to->link);
  if (g_timeouts.next == &to->link) arch::set_alarm(at);
}
void timeout_remove(Timeout* to) {
  if (!to->link.linked()) return;
  const bool first = g_timeouts.next == &to->link;
  unlink(&to->link);
  if (first) rearm();
}

// ---- priority inheritance ----
uint8_t inherited(const Thread* t) {
  uint8_t p = t->base_prio_;
  for (const Mutex* m = t->owned_mutexes; m; m = m->next_owned_) {
    const Thread* w = m->waiters_.first();
    if (w && w->prio_ > p) p = w->prio_;
  }
  return p;
}
// Recomputes t's effective priority and follows the chain of owners.
void update_prio(Thread* t) {
  for (int hops = 0; t && hops < 32; ++hops) {
    const uint8_t p = inherited(t);
    if (p == t->prio_) return;
    if (t->state_ == ThreadState::kReady) {
      ready_remove(t);
      t->prio_ = p;
      ready_insert(t);
    } else if (t->waiting_on) {
      WaitQueue* wq = t->waiting_on;
      unlink(&t->qlink);
      t->prio_ = p;
      wq_insert(wq, t);
    } else {
      t->prio_ = p;
    }
    t = t->blocked_on_mutex ? t->blocked_on_mutex->owner_ : nullptr;
  }
}

// ---- blocking and waking ----
// Lock held (key from irq_lock with interrupts enabled before): the running
// thread waits on wq (nullptr: only for the timeout); returns how it ended.
void block_prepare(WaitQueue* wq, Micros timeout) {
  Thread* t = tp_kernel_switch.current;
  ready_remove(t);
  t->state_ = ThreadState::kBlocked;
  t->wait_status_ = Status::kTimeout;
  if (wq) wq_insert(wq, t);
  if (timeout != kForever) timeout_add(&t->timeout, add_sat(now(), timeout));
}
Status block_finish(uint32_t key) {
  reschedule();
  arch::irq_unlock(key);  // the switch happens here
  return tp_kernel_switch.current->wait_status_;
}
Status block(uint32_t key, WaitQueue* wq, Micros timeout) {
  block_prepare(wq, timeout);
  return block_finish(key);
}

void wake(Thread* t, Status st) {
  if (t->qlink.linked()) unlink(&t->qlink);
  t->waiting_on = nullptr;
  timeout_remove(&t->timeout);
  t->wait_status_ = st;
  if (t->rel_deadline_) t->abs_deadline_ = add_sat(now(), t->rel_deadline_);
  ready_insert(t);
}

void thread_timeout_fire(Timeout* to) {
  Thread* t = static_cast<Thread*>(to->ctx);
  Mutex* m = t->blocked_on_mutex;
  t->blocked_on_mutex = nullptr;
  wake(t, Status::kTimeout);
  if (m && m->owner_) update_prio(m->owner_);
}

void slice_fire(Timeout*) {
  Thread* c = tp_kernel_switch.current;
  if (c && c->state_ == ThreadState::kReady) {
    ready_remove(c);
    ready_insert(c);
  }
  if (g_slice) timeout_add(&g_slice_to, add_sat(now(), g_slice));
}

bool refuse_in_isr(const char* what) {
  if (!arch::in_isr()) return false;
  fail(what);
  return true;
}

}  // namespace

// ---- threads ----
const char* state_name(ThreadState s) {
  switch (s) {
    case ThreadState::kNew: return "new";
    case ThreadState::kReady: return "ready";
    case ThreadState::kBlocked: return "blocked";
    case ThreadState::kDead: return "dead";
  }
  return "?";
}

Thread* WaitQueue::first() const { return head.linked() ? head.next->owner : nullptr; }

Thread::Thread(const char* name, int priority, Entry entry, void* arg, uint8_t* stack,
               std::size_t stack_size, Micros deadline_us)
    : name_(name),
      base_prio_(static_cast<uint8_t>(priority < 0 ? 0 : priority > kMaxPriority ? kMaxPriority : priority)),
      prio_(base_prio_),
      entry_(entry),
      arg_(arg),
      stack_(stack),
      stack_size_(stack_size),
      rel_deadline_(deadline_us) {
  qlink.owner = this;
  timeout.link.owner = this;
  timeout.fire = thread_timeout_fire;
  timeout.ctx = this;
}

std::size_t Thread::stack_used() const {
  std::size_t i = kStackGuard + 4;  // the guard is never read (MPU), nor the canary
  while (i + 4 <= stack_size_) {
    uint32_t w;
    std::memcpy(&w, stack_ + i, 4);
    if (w != kStackPaint) break;
    i += 4;
  }
  return stack_size_ - i;
}

bool Thread::canary_ok() const {
  uint32_t w;
  std::memcpy(&w, stack_ + kStackGuard, 4);
  return w == kStackCanary;
}

void init(drivers::Clock& clock) {
  g_clock = &clock;
  for (auto& l : g_ready) l.next = l.prev = &l;
  g_ready_bits = 0;
  g_timeouts.next = g_timeouts.prev = &g_timeouts;
  g_all = nullptr;
  g_running = false;
  g_slice = 0;
  g_slice_to = Timeout{};
  g_slice_to.fire = slice_fire;
  tp_kernel_switch = {nullptr, nullptr};
  // The idle thread back to its constructed state (the host tests init again).
  Thread& idle = *g_idle;
  idle.state_ = ThreadState::kNew;
  idle.prio_ = idle.base_prio_ = 0;
  idle.qlink = Link();
  idle.qlink.owner = &idle;
  idle.timeout.link = Link();
  idle.timeout.link.owner = &idle;
  idle.waiting_on = nullptr;
  idle.blocked_on_mutex = nullptr;
  idle.owned_mutexes = nullptr;
  idle.all_next_ = nullptr;
}

void start_thread(Thread& t) {
  Lock lock;
  if (t.state_ != ThreadState::kNew) return;  // started once, never restarted
  t.all_next_ = nullptr;
  Thread** p = &g_all;
  while (*p) p = &(*p)->all_next_;
  *p = &t;
  for (std::size_t i = 0; i + 4 <= t.stack_size_; i += 4) std::memcpy(t.stack_ + i, &kStackPaint, 4);
  std::memcpy(t.stack_ + kStackGuard, &kStackCanary, 4);
  t.prio_ = t.base_prio_;
  t.abs_deadline_ = t.rel_deadline_ ? add_sat(g_running ? now() : 0, t.rel_deadline_) : kForever;
  arch::init_thread(t);
  ready_insert(&t);
  reschedule();
}

void start() {
  start_thread(*g_idle);
  g_running = true;
  tp_kernel_switch.current = nullptr;
  tp_kernel_switch.next = best();
  arch::start();
  g_running = false;  // host port only
}

bool running() { return g_running; }
Thread* current() { return tp_kernel_switch.current; }
Thread* first_thread() { return g_all; }
Thread& idle_thread() { return *g_idle; }
void set_idle_hook(void (*hook)()) { g_idle_hook = hook; }
Micros now() { return g_clock ? g_clock->micros() : 0; }

Status sleep(Micros us) {
  if (refuse_in_isr("sleep from an interrupt")) return Status::kRefused;
  const uint32_t key = arch::irq_lock();
  if (us == 0) {
    Thread* c = tp_kernel_switch.current;
    ready_remove(c);
    ready_insert(c);
    reschedule();
    arch::irq_unlock(key);
    return Status::kOk;
  }
  block(key, nullptr, us);
  return Status::kOk;
}

void yield() { sleep(0); }

void exit_thread() {
  if (refuse_in_isr("exit from an interrupt")) {
    for (;;) arch::idle_wait();
  }
  const uint32_t key = arch::irq_lock();
  Thread* c = tp_kernel_switch.current;
  if (c->owned_mutexes) fail("thread ended holding a mutex");
  ready_remove(c);
  c->state_ = ThreadState::kDead;
  reschedule();
  arch::irq_unlock(key);
  fail("ended thread ran again");
  for (;;) arch::idle_wait();
}

void detail::thread_main(Thread& t) {
  t.entry_(t.arg_);
  exit_thread();
}

void set_time_slice(Micros us) {
  Lock lock;
  g_slice = us;
  if (us) {
    timeout_add(&g_slice_to, add_sat(now(), us));
  } else {
    timeout_remove(&g_slice_to);
  }
}

void set_deadline(Micros rel_us) {
  Lock lock;
  Thread* c = tp_kernel_switch.current;
  c->rel_deadline_ = rel_us;
  c->abs_deadline_ = rel_us ? add_sat(now(), rel_us) : kForever;
  ready_remove(c);
  ready_insert(c);
  reschedule();
}

void set_priority(Thread& t, int priority) {
  Lock lock;
  t.base_prio_ = static_cast<uint8_t>(priority < 1 ? 1 : priority > kMaxPriority ? kMaxPriority : priority);
  if (t.state_ == ThreadState::kNew) {
    t.prio_ = t.base_prio_;
    return;
  }
  update_prio(&t);
  reschedule();
}

void fail(const char* what) {
  const char* tn = tp_kernel_switch.current ? tp_kernel_switch.current->name_ : "-";
  if (g_fail_hook) {
    g_fail_hook(what, tn);
  } else {
    arch::fatal(what, tn);
  }
}

void set_fail_hook(FailHook hook) { g_fail_hook = hook; }

void on_alarm() {
  Lock lock;
  const Micros t = now();
  while (g_timeouts.linked()) {
    auto* to = reinterpret_cast<Timeout*>(g_timeouts.next);
    if (to->at > t) break;
    unlink(&to->link);
    to->fire(to);
  }
  rearm();
  reschedule();
}

// ---- semaphore ----
Status Semaphore::take(Micros timeout) {
  if (timeout != kNoWait && refuse_in_isr("semaphore wait in an interrupt")) return Status::kRefused;
  const uint32_t key = arch::irq_lock();
  if (count_) {
    --count_;
    arch::irq_unlock(key);
    return Status::kOk;
  }
  if (timeout == kNoWait) {
    arch::irq_unlock(key);
    return Status::kTimeout;
  }
  return block(key, &waiters_, timeout);
}

void Semaphore::give() {
  Lock lock;
  if (Thread* w = waiters_.first()) {
    wake(w, Status::kOk);
    reschedule();
  } else if (count_ < limit_) {
    ++count_;
  }
}

// ---- mutex ----
Status Mutex::lock(Micros timeout) {
  if (refuse_in_isr("mutex lock in an interrupt")) return Status::kRefused;
  const uint32_t key = arch::irq_lock();
  Thread* self = tp_kernel_switch.current;
  if (!owner_) {
    owner_ = self;
    depth_ = 1;
    next_owned_ = self->owned_mutexes;
    self->owned_mutexes = this;
    arch::irq_unlock(key);
    return Status::kOk;
  }
  if (owner_ == self) {
    ++depth_;
    arch::irq_unlock(key);
    return Status::kOk;
  }
  if (timeout == kNoWait) {
    arch::irq_unlock(key);
    return Status::kTimeout;
  }
  self->blocked_on_mutex = this;
  block_prepare(&waiters_, timeout);
  update_prio(owner_);
  return block_finish(key);  // kOk: unlock() handed the mutex over
}

Status Mutex::unlock() {
  if (refuse_in_isr("mutex unlock in an interrupt")) return Status::kRefused;
  Lock lock;
  Thread* self = tp_kernel_switch.current;
  if (owner_ != self) return Status::kRefused;
  if (--depth_) return Status::kOk;
  for (Mutex** p = &self->owned_mutexes; *p; p = &(*p)->next_owned_) {
    if (*p == this) {
      *p = next_owned_;
      break;
    }
  }
  next_owned_ = nullptr;
  owner_ = nullptr;
  if (Thread* w = waiters_.first()) {
    w->blocked_on_mutex = nullptr;
    wake(w, Status::kOk);
    owner_ = w;
    depth_ = 1;
    next_owned_ = w->owned_mutexes;
    w->owned_mutexes = this;
    update_prio(w);
  }
  update_prio(self);
  reschedule();
  return Status::kOk;
}

// ---- message queue ----
Status Queue::put(const void* msg, Micros timeout) {
  if (timeout != kNoWait && refuse_in_isr("queue put waits in an interrupt")) return Status::kRefused;
  const uint32_t key = arch::irq_lock();
  if (Thread* w = getters_.first()) {
    std::memcpy(w->xfer, msg, msg_size_);
    wake(w, Status::kOk);
    reschedule();
    arch::irq_unlock(key);
    return Status::kOk;
  }
  if (count_ < capacity_) {
    std::memcpy(buf_ + ((head_ + count_) % capacity_) * msg_size_, msg, msg_size_);
    ++count_;
    arch::irq_unlock(key);
    return Status::kOk;
  }
  if (timeout == kNoWait) {
    arch::irq_unlock(key);
    return Status::kTimeout;
  }
  tp_kernel_switch.current->xfer = const_cast<void*>(msg);
  return block(key, &putters_, timeout);
}

Status Queue::get(void* msg, Micros timeout) {
  if (timeout != kNoWait && refuse_in_isr("queue get waits in an interrupt")) return Status::kRefused;
  const uint32_t key = arch::irq_lock();
  if (count_) {
    std::memcpy(msg, buf_ + head_ * msg_size_, msg_size_);
    head_ = (head_ + 1) % capacity_;
    --count_;
    if (Thread* w = putters_.first()) {
      std::memcpy(buf_ + ((head_ + count_) % capacity_) * msg_size_, w->xfer, msg_size_);
      ++count_;
      wake(w, Status::kOk);
      reschedule();
    }
    arch::irq_unlock(key);
    return Status::kOk;
  }
  if (Thread* w = putters_.first()) {  // capacity 0: hand over directly
    std::memcpy(msg, w->xfer, msg_size_);
    wake(w, Status::kOk);
    reschedule();
    arch::irq_unlock(key);
    return Status::kOk;
  }
  if (timeout == kNoWait) {
    arch::irq_unlock(key);
    return Status::kTimeout;
  }
  tp_kernel_switch.current->xfer = msg;
  return block(key, &getters_, timeout);
}

// ---- event flags ----
void Events::set(uint32_t bits) {
  Lock lock;
  bits_ = bits_ | bits;
  bool woke = false;
  Link* l = waiters_.head.next;
  while (l != &waiters_.head) {
    Thread* w = l->owner;
    l = l->next;
    const uint32_t match = bits_ & w->ev_mask;
    if (w->ev_all ? match == w->ev_mask : match != 0) {
      w->ev_mask = match;
      if (w->ev_clear) bits_ = bits_ & ~match;
      wake(w, Status::kOk);
      woke = true;
    }
  }
  if (woke) reschedule();
}

void Events::clear(uint32_t bits) {
  Lock lock;
  bits_ = bits_ & ~bits;
}

Status Events::wait(uint32_t bits, Mode mode, bool clear, uint32_t* got, Micros timeout) {
  if (timeout != kNoWait && refuse_in_isr("event wait in an interrupt")) return Status::kRefused;
  const uint32_t key = arch::irq_lock();
  const uint32_t match = bits_ & bits;
  if (bits && (mode == kAll ? match == bits : match != 0)) {
    if (clear) bits_ = bits_ & ~match;
    if (got) *got = match;
    arch::irq_unlock(key);
    return Status::kOk;
  }
  if (timeout == kNoWait || !bits) {
    arch::irq_unlock(key);
    return Status::kTimeout;
  }
  Thread* self = tp_kernel_switch.current;
  self->ev_mask = bits;
  self->ev_all = mode == kAll;
  self->ev_clear = clear;
  const Status st = block(key, &waiters_, timeout);
  if (st == Status::kOk && got) *got = self->ev_mask;
  return st;
}

// ---- timers ----
namespace {
void timer_fire(Timeout* to) {
  Timer* t = static_cast<Timer*>(to->ctx);
  ++t->fired_;
  if (t->period_) timeout_add(to, add_sat(to->at, t->period_));
  t->cb_(*t, t->arg_);
}
}  // namespace

void Timer::start(Micros delay, Micros period) {
  Lock lock;
  period_ = period;
  timeout_.fire = timer_fire;
  timeout_.ctx = this;
  timeout_add(&timeout_, add_sat(now(), delay));
}

void Timer::stop() {
  Lock lock;
  timeout_remove(&timeout_);
}

}  // namespace tp::kernel
