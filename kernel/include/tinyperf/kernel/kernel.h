// tinyperf's real-time kernel: static threads, fixed-priority preemptive
// scheduling (EDF among equal priorities for threads with a deadline,
// optional round-robin), tickless timeouts in microseconds on the board's
// Clock, and the primitives: semaphore, mutex with priority inheritance,
// message queue, event flags, timers. No heap: every object is defined
// statically by its user. The CPU-specific part is the port
// (arch/<cpu>/kernel, interface: kernel/include/tinyperf/kernel/arch.h).
//
// Calls an interrupt handler may make ("ISR-safe"): Semaphore::give/take
// with kNoWait, Queue::put/get with kNoWait, Events::set/clear/wait with
// kNoWait, Timer::start/stop, now(). Every other call, and any blocking
// wait, is refused from an interrupt: the kernel's assert fires.
#pragma once

#include <cstddef>
#include <cstdint>

#include "tinyperf/drivers/interfaces.h"
#include "tp_kernel_arch.h"  // the port's ArchThread

namespace tp::kernel {

using Micros = uint64_t;
inline constexpr Micros kForever = UINT64_MAX;
inline constexpr Micros kNoWait = 0;

// Priorities: 1 (lowest) .. kMaxPriority (most urgent); 0 is the idle thread's.
inline constexpr int kMaxPriority = 31;

enum class Status : uint8_t {
  kOk,
  kTimeout,   // the wait expired (or kNoWait found nothing)
  kRefused,   // not allowed here (from an ISR, or not the owner)
};

enum class ThreadState : uint8_t { kNew, kReady, kBlocked, kDead };
const char* state_name(ThreadState s);

class Thread;

// Intrusive doubly linked list node (circular, with a sentinel head).
// A copy is a fresh, unlinked node.
struct Link {
  Link* next = this;
  Link* prev = this;
  Thread* owner = nullptr;
  Link() = default;
  Link(const Link& o) : owner(o.owner) {}
  Link& operator=(const Link& o) {
    next = prev = this;
    owner = o.owner;
    return *this;
  }
  bool linked() const { return next != this; }
};

// A point in time at which the kernel does something (wake a thread, fire
// a timer, rotate a time slice). Kept in one list sorted by `at`.
struct Timeout {
  Link link;
  Micros at = 0;
  void (*fire)(Timeout*) = nullptr;
  void* ctx = nullptr;
};

// Threads waiting for something, most urgent first (priority, then
// deadline, then arrival).
class WaitQueue {
 public:
  Link head;
  bool empty() const { return !head.linked(); }
  Thread* first() const;
};

using Entry = void (*)(void* arg);

inline constexpr uint32_t kStackPaint = 0xA5A5A5A5u;
// The lowest kStackGuard bytes of every stack are the port's guard (an MPU
// no-access region, or below the stack-limit register); the canary word
// sits just above them.
inline constexpr std::size_t kStackGuard = 32;
inline constexpr uint32_t kStackCanary = 0x57AC6A2Du;

class Thread {
 public:
  ArchThread arch;  // first member: the port's switch code finds it at offset 0

  // stack must be 32-byte aligned (the MPU guard region) and a multiple of 8.
  // deadline_us: relative deadline (0: none); see kernel.cc for EDF.
  Thread(const char* name, int priority, Entry entry, void* arg, uint8_t* stack,
         std::size_t stack_size, Micros deadline_us = 0);

  const char* name() const { return name_; }
  int priority() const { return prio_; }        // effective (inherited) priority
  int base_priority() const { return base_prio_; }
  ThreadState state() const { return state_; }
  uint8_t* stack_base() const { return stack_; }
  std::size_t stack_size() const { return stack_size_; }
  // Bytes of stack ever used (the painted bytes that were overwritten).
  std::size_t stack_used() const;
  bool canary_ok() const;
  Micros absolute_deadline() const { return abs_deadline_; }
  Thread* next_thread() const { return all_next_; }  // registry order

  // ---- kernel-internal state (public for the port and the tests) ----
  const char* name_;
  uint8_t base_prio_;
  uint8_t prio_;
  ThreadState state_ = ThreadState::kNew;
  Status wait_status_ = Status::kOk;
  Entry entry_;
  void* arg_;
  uint8_t* stack_;
  std::size_t stack_size_;
  Micros rel_deadline_;
  Micros abs_deadline_ = kForever;
  Link qlink;             // ready queue or a wait queue
  WaitQueue* waiting_on = nullptr;
  class Mutex* blocked_on_mutex = nullptr;
  class Mutex* owned_mutexes = nullptr;  // singly linked through Mutex::next_owned_
  Timeout timeout;
  void* xfer = nullptr;   // queue message handed over directly
  uint32_t ev_mask = 0;   // event flags waited for / delivered
  uint8_t ev_all = 0;
  uint8_t ev_clear = 0;
  Thread* all_next_ = nullptr;
};

template <std::size_t N>
class StaticThread : public Thread {
 public:
  static_assert(N % 32 == 0 && N >= 256, "stack size: a multiple of 32, at least 256");
  StaticThread(const char* name, int priority, Entry entry, void* arg = nullptr,
               Micros deadline_us = 0)
      : Thread(name, priority, entry, arg, stack_bytes_, N, deadline_us) {}

 private:
  alignas(32) uint8_t stack_bytes_[N];
};

// ---- the kernel --------------------------------------------------------------
// Before start(): the clock timeouts are measured on.
void init(drivers::Clock& clock);
// Makes a thread ready (before or after start()). Stack is painted here.
void start_thread(Thread& t);
// Runs the most urgent ready thread; on a target, never returns. On the
// host port it returns when every thread has ended or the system is idle
// with nothing left that could wake it (see arch/host/kernel/host.h).
void start();
bool running();

Thread* current();
Thread* first_thread();  // every started thread (and idle), for `threads`
Thread& idle_thread();
// What the idle thread does each time round instead of the port's bare
// wait (WFI): the firmware feeds its watchdog and sleeps through the board's
// wait_for_event (which knows the chip's errata). The hook must sleep or
// return quickly; it runs at the lowest priority.
void set_idle_hook(void (*hook)());
Micros now();

Status sleep(Micros us);    // thread only
void yield();               // thread only: behind equal-priority (and equal-deadline) peers
[[noreturn]] void exit_thread();
// Round-robin among equal priorities: 0 (default) disables it.
void set_time_slice(Micros us);
// Current thread: relative deadline for EDF among equal priorities (0: none).
void set_deadline(Micros rel_us);
void set_priority(Thread& t, int priority);

// The kernel's assert: prints/records "<what>" naming the thread, then the
// port halts (target) or the host hook decides.
void fail(const char* what);
using FailHook = void (*)(const char* what, const char* thread);
void set_fail_hook(FailHook hook);  // host tests

// The port calls this from its alarm interrupt.
void on_alarm();

// ---- primitives --------------------------------------------------------------
class Semaphore {
 public:
  constexpr Semaphore(uint32_t initial = 0, uint32_t limit = UINT32_MAX)
      : count_(initial), limit_(limit) {}
  Status take(Micros timeout = kForever);  // ISR: kNoWait only
  void give();                             // ISR-safe
  uint32_t count() const { return count_; }

 private:
  uint32_t count_;
  uint32_t limit_;
  WaitQueue waiters_;
};

class Mutex {
 public:
  constexpr Mutex() = default;
  Status lock(Micros timeout = kForever);  // threads only; recursive
  Status unlock();                         // threads only; the owner only
  Thread* owner() const { return owner_; }

  // internal
  Thread* owner_ = nullptr;
  uint32_t depth_ = 0;
  WaitQueue waiters_;
  Mutex* next_owned_ = nullptr;
};

// Fixed-size messages in a ring the user provides (see StaticQueue).
class Queue {
 public:
  Queue(uint8_t* storage, std::size_t msg_size, std::size_t capacity)
      : buf_(storage), msg_size_(msg_size), capacity_(capacity) {}
  Status put(const void* msg, Micros timeout = kForever);  // ISR: kNoWait only
  Status get(void* msg, Micros timeout = kForever);        // ISR: kNoWait only
  std::size_t size() const { return count_; }
  std::size_t capacity() const { return capacity_; }

 private:
  uint8_t* buf_;
  std::size_t msg_size_;
  std::size_t capacity_;
  std::size_t head_ = 0;
  std::size_t count_ = 0;
  WaitQueue getters_;
  WaitQueue putters_;
};

template <typename T, std::size_t N>
class StaticQueue : public Queue {
 public:
  StaticQueue() : Queue(storage_, sizeof(T), N) {}
  Status put(const T& m, Micros timeout = kForever) { return Queue::put(&m, timeout); }
  Status get(T& m, Micros timeout = kForever) { return Queue::get(&m, timeout); }

 private:
  alignas(T) uint8_t storage_[sizeof(T) * N];
};

class Events {
 public:
  enum Mode : uint8_t { kAny = 0, kAll = 1 };
  void set(uint32_t bits);    // ISR-safe
  void clear(uint32_t bits);  // ISR-safe
  uint32_t get() const { return bits_; }
  // Waits until any/all of `bits` are set; returns the matching bits in
  // `*got` and clears them if `clear` (ISR: kNoWait only).
  Status wait(uint32_t bits, Mode mode, bool clear, uint32_t* got, Micros timeout = kForever);

 private:
  volatile uint32_t bits_ = 0;
  WaitQueue waiters_;
};

// One-shot or periodic; the callback runs in interrupt context (the alarm's).
class Timer {
 public:
  using Callback = void (*)(Timer& t, void* arg);
  Timer(Callback cb, void* arg) : cb_(cb), arg_(arg) {}
  void start(Micros delay, Micros period = 0);  // ISR-safe; restarts if running
  void stop();                                  // ISR-safe
  bool active() const { return timeout_.link.linked(); }
  uint32_t fired() const { return fired_; }

  // internal
  Timeout timeout_;
  Micros period_ = 0;
  Callback cb_;
  void* arg_;
  uint32_t fired_ = 0;
};

}  // namespace tp::kernel
