// The kernel on the host port: scheduling order, preemption, round-robin,
// EDF, priority inheritance, timeouts, queues from threads and simulated
// interrupts, timers, event flags, ISR refusals, and a randomized stress
// test (run under AddressSanitizer + UBSan).
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "host.h"
#include "tinyperf/kernel/kernel.h"

namespace k = tp::kernel;
namespace host = tp::kernel::host;
using k::Status;

namespace {

std::string g_log;
std::vector<std::string> g_fails;

void log(const std::string& s) {
  if (!g_log.empty()) g_log += ",";
  g_log += s;
}

class Kernel : public ::testing::Test {
 protected:
  void SetUp() override {
    g_log.clear();
    g_fails.clear();
    host::reset();
    k::init(host::virtual_clock());
    k::set_fail_hook([](const char* what, const char* thread) {
      g_fails.push_back(std::string(what) + " @" + thread);
    });
  }
  void TearDown() override { k::set_fail_hook(nullptr); }
  k::Micros now() { return k::now(); }
};

using T = k::StaticThread<512>;

// ---- priority order and preemption ----
TEST_F(Kernel, RunsReadyThreadsInPriorityOrder) {
  auto body = [](void* a) { log(static_cast<const char*>(a)); };
  T a("a", 1, body, const_cast<char*>("p1")), b("b", 3, body, const_cast<char*>("p3")),
      c("c", 2, body, const_cast<char*>("p2"));
  k::start_thread(a);
  k::start_thread(b);
  k::start_thread(c);
  k::start();
  EXPECT_EQ(g_log, "p3,p2,p1");
  EXPECT_EQ(host::stop_reason(), host::Stop::kAllEnded);
}

k::Semaphore* g_sem;

TEST_F(Kernel, GiveToHigherPriorityPreemptsAtOnce) {
  k::Semaphore sem;
  g_sem = &sem;
  T high("high", 5, [](void*) {
    log("H0");
    EXPECT_EQ(g_sem->take(), Status::kOk);
    log("H");
  }, nullptr);
  T low("low", 1, [](void*) {
    log("L1");
    g_sem->give();
    log("L2");
  }, nullptr);
  k::start_thread(low);
  k::start_thread(high);
  k::start();
  EXPECT_EQ(g_log, "H0,L1,H,L2");
}

TEST_F(Kernel, GiveToLowerPriorityDoesNotPreempt) {
  k::Semaphore sem;
  g_sem = &sem;
  T high("high", 5, [](void*) {
    k::sleep(10);  // let low wait first
    log("H1");
    g_sem->give();
    log("H2");
  }, nullptr);
  T low("low", 1, [](void*) {
    EXPECT_EQ(g_sem->take(), Status::kOk);
    log("L");
  }, nullptr);
  k::start_thread(low);
  k::start_thread(high);
  k::start();
  EXPECT_EQ(g_log, "H1,H2,L");
}

TEST_F(Kernel, WaitersAreServedByPriority) {
  k::Semaphore sem;
  g_sem = &sem;
  auto waiter = [](void* a) {
    EXPECT_EQ(g_sem->take(), Status::kOk);
    log(static_cast<const char*>(a));
  };
  T w1("w1", 2, waiter, const_cast<char*>("w2")), w2("w2", 4, waiter, const_cast<char*>("w4")),
      w3("w3", 3, waiter, const_cast<char*>("w3"));
  T giver("giver", 1, [](void*) {
    for (int i = 0; i < 3; ++i) g_sem->give();
  }, nullptr);
  for (T* t : {&w1, &w2, &w3, &giver}) k::start_thread(*t);
  k::start();
  EXPECT_EQ(g_log, "w4,w3,w2");
}

// ---- round-robin ----
void spin_body(void* a) {
  for (int i = 0; i < 6; ++i) {
    log(static_cast<const char*>(a));
    host::advance(40);
  }
}

int runs(const std::string& s) {
  int n = 0;
  for (std::size_t i = 0; i < s.size(); i += 2) {
    if (i == 0 || s[i] != s[i - 2]) ++n;
  }
  return n;
}

TEST_F(Kernel, EqualPrioritiesRunToCompletionWithoutSlicing) {
  T a("a", 2, spin_body, const_cast<char*>("A")), b("b", 2, spin_body, const_cast<char*>("B"));
  k::start_thread(a);
  k::start_thread(b);
  k::start();
  EXPECT_EQ(g_log, "A,A,A,A,A,A,B,B,B,B,B,B");
}

TEST_F(Kernel, RoundRobinRotatesEqualPriorities) {
  T a("a", 2, spin_body, const_cast<char*>("A")), b("b", 2, spin_body, const_cast<char*>("B")),
      c("c", 2, spin_body, const_cast<char*>("C"));
  k::start_thread(a);
  k::start_thread(b);
  k::start_thread(c);
  k::set_time_slice(100);
  k::start();
  // Every 100 us of (virtual) computing the running thread goes behind its
  // peers: A runs first, then B, then C, then A again...
  EXPECT_EQ(g_log.substr(0, 2), "A,");
  EXPECT_GE(runs(g_log), 6) << g_log;
  EXPECT_EQ(std::count(g_log.begin(), g_log.end(), 'A'), 6);
  EXPECT_EQ(std::count(g_log.begin(), g_log.end(), 'B'), 6);
  EXPECT_EQ(std::count(g_log.begin(), g_log.end(), 'C'), 6);
  const std::size_t first_b = g_log.find('B'), first_c = g_log.find('C');
  EXPECT_LT(first_b, first_c);
  EXPECT_LT(first_c, g_log.find('A', first_b)) << g_log;
}

TEST_F(Kernel, HigherPriorityIsNotSliced) {
  T a("a", 3, spin_body, const_cast<char*>("A")), b("b", 2, spin_body, const_cast<char*>("B"));
  k::start_thread(a);
  k::start_thread(b);
  k::set_time_slice(50);
  k::start();
  EXPECT_EQ(g_log, "A,A,A,A,A,A,B,B,B,B,B,B");
}

// ---- computing across a preemption ----
TEST_F(Kernel, PreemptedComputingResumesWhereItStopped) {
  // low computes 100 us from 0; an interrupt at 30 releases high, which
  // computes 50: high runs 30..80 at once, low's remaining 70 us end at 150
  // (no work lost, none counted twice).
  k::Semaphore sem;
  g_sem = &sem;
  T low("low", 1, [](void*) {
    host::advance(100);
    log("low@" + std::to_string(k::now()));
  }, nullptr);
  T high("high", 2, [](void*) {
    g_sem->take();
    log("high-start@" + std::to_string(k::now()));
    host::advance(50);
    log("high@" + std::to_string(k::now()));
  }, nullptr);
  k::start_thread(low);
  k::start_thread(high);
  host::schedule_irq(30, [](void*) { g_sem->give(); }, nullptr);
  k::start();
  EXPECT_EQ(g_log, "high-start@30,high@80,low@150");
}

// ---- EDF among equal priorities ----
TEST_F(Kernel, EarliestDeadlineFirstAmongEquals) {
  auto body = [](void* a) { log(static_cast<const char*>(a)); };
  T d300("d300", 2, body, const_cast<char*>("d300"), 300);
  T d100("d100", 2, body, const_cast<char*>("d100"), 100);
  T none("none", 2, body, const_cast<char*>("none"));
  T d200("d200", 2, body, const_cast<char*>("d200"), 200);
  T high("high", 3, body, const_cast<char*>("high"), 1000);  // priority first
  T low("low", 1, body, const_cast<char*>("low"), 1);
  for (T* t : {&d300, &none, &d100, &low, &d200, &high}) k::start_thread(*t);
  k::start();
  EXPECT_EQ(g_log, "high,d100,d200,d300,none,low");
}

k::Semaphore* g_edf_sem[2];
TEST_F(Kernel, DeadlineRenewsWhenAThreadIsReleased) {
  // long (relative deadline 100) is released at 100: due 200; short (50) is
  // released at 400: due 450. A busier thread keeps both waiting until 500;
  // then long runs first. (Deadlines counted from the threads' start would
  // have put short, due 50, first.)
  k::Semaphore s0, s1;
  g_edf_sem[0] = &s0;
  g_edf_sem[1] = &s1;
  auto body = [](void* a) {
    const int i = static_cast<int>(reinterpret_cast<intptr_t>(a));
    g_edf_sem[i]->take();
    log((i ? "long@" : "short@") + std::to_string(k::now()));
  };
  T tshort("short", 2, body, reinterpret_cast<void*>(0), 50);
  T tlong("long", 2, body, reinterpret_cast<void*>(1), 100);
  T busy("busy", 3, [](void*) {
    k::sleep(1);  // the other two wait first
    host::advance(499);
  }, nullptr);
  k::start_thread(tshort);
  k::start_thread(tlong);
  k::start_thread(busy);
  host::schedule_irq(100, [](void*) { g_edf_sem[1]->give(); }, nullptr);
  host::schedule_irq(400, [](void*) { g_edf_sem[0]->give(); }, nullptr);
  k::start();
  EXPECT_EQ(tlong.absolute_deadline(), 200u);
  EXPECT_EQ(tshort.absolute_deadline(), 450u);
  EXPECT_EQ(g_log, "long@500,short@500");
}

TEST_F(Kernel, DeadlinesOrderAThreadAwakenedByOneInterrupt) {
  // One interrupt releases both: the earlier absolute deadline runs first.
  k::Semaphore s0, s1;
  g_edf_sem[0] = &s0;
  g_edf_sem[1] = &s1;
  auto body = [](void* a) {
    const int i = static_cast<int>(reinterpret_cast<intptr_t>(a));
    g_edf_sem[i]->take();
    log(i ? "late" : "early");
  };
  T late("late", 2, body, reinterpret_cast<void*>(1), 900);
  T early("early", 2, body, reinterpret_cast<void*>(0), 90);
  k::start_thread(late);
  k::start_thread(early);
  host::schedule_irq(10, [](void*) {
    g_edf_sem[1]->give();
    g_edf_sem[0]->give();
  }, nullptr);
  k::start();
  EXPECT_EQ(g_log, "early,late");
}

// ---- priority inheritance: the classic three-thread inversion ----
struct Pi {
  k::Mutex m;
  k::Thread* low;
  int low_prio_while_blocking = -1;
};
Pi* g_pi;

TEST_F(Kernel, PriorityInheritanceBoundsInversion) {
  Pi pi;
  g_pi = &pi;
  T low("low", 1, [](void*) {
    EXPECT_EQ(g_pi->m.lock(), Status::kOk);
    log("L-lock");
    for (int i = 0; i < 5; ++i) host::advance(10);  // H and M wake at 10
    g_pi->low_prio_while_blocking = g_pi->low->priority();
    log("L-unlock");
    EXPECT_EQ(g_pi->m.unlock(), Status::kOk);
    log("L-done");
  }, nullptr);
  T mid("mid", 2, [](void*) {
    k::sleep(10);
    log("M-run");
    host::advance(100);
    log("M-done");
  }, nullptr);
  T high("high", 3, [](void*) {
    k::sleep(10);
    log("H-try");
    EXPECT_EQ(g_pi->m.lock(), Status::kOk);
    log("H-got");
    EXPECT_EQ(g_pi->m.unlock(), Status::kOk);
  }, nullptr);
  pi.low = &low;
  k::start_thread(low);
  k::start_thread(mid);
  k::start_thread(high);
  k::start();
  // high sleeps, mid sleeps, low locks; at 10 high preempts and blocks on the
  // mutex; low inherits 3, so mid does not run before low unlocks.
  EXPECT_EQ(g_log, "L-lock,H-try,L-unlock,H-got,M-run,M-done,L-done");
  EXPECT_EQ(pi.low_prio_while_blocking, 3);
  EXPECT_EQ(low.priority(), 1);
}

k::Mutex* g_ma;
k::Mutex* g_mb;
TEST_F(Kernel, PriorityInheritanceFollowsAChainAndDropsOnTimeout) {
  // c (1) holds A; b (2) holds B and waits for A; a (4) waits for B with a
  // timeout: c runs at 4 through b, then drops back to 1 when a gives up.
  k::Mutex ma, mb;
  g_ma = &ma;
  g_mb = &mb;
  static k::Thread* c_thread;
  static int c_prio_chain = -1, c_prio_after = -1;
  T c("c", 1, [](void*) {
    g_ma->lock();
    k::sleep(20);  // b takes B and blocks on A, a blocks on B
    c_prio_chain = c_thread->priority();
    host::advance(100);  // a's timeout (at 50) passes meanwhile
    c_prio_after = c_thread->priority();
    g_ma->unlock();
  }, nullptr);
  T b("b", 2, [](void*) {
    k::sleep(5);
    g_mb->lock();
    g_ma->lock();
    g_ma->unlock();
    g_mb->unlock();
  }, nullptr);
  T a("a", 4, [](void*) {
    k::sleep(10);
    EXPECT_EQ(g_mb->lock(40), Status::kTimeout);
    log("a-timeout@" + std::to_string(k::now()));
  }, nullptr);
  c_thread = &c;
  k::start_thread(c);
  k::start_thread(b);
  k::start_thread(a);
  k::start();
  EXPECT_EQ(c_prio_chain, 4);
  EXPECT_EQ(c_prio_after, 2);  // still inherits b's
  EXPECT_EQ(g_log, "a-timeout@50");
  EXPECT_EQ(c.priority(), 1);
  EXPECT_EQ(ma.owner(), nullptr);
  EXPECT_EQ(mb.owner(), nullptr);
}

TEST_F(Kernel, MutexIsRecursiveAndOwnedOnly) {
  static k::Mutex m;
  T a("a", 2, [](void*) {
    EXPECT_EQ(m.lock(), Status::kOk);
    EXPECT_EQ(m.lock(), Status::kOk);
    EXPECT_EQ(m.unlock(), Status::kOk);
    EXPECT_EQ(m.owner(), k::current());
    EXPECT_EQ(m.unlock(), Status::kOk);
    EXPECT_EQ(m.owner(), nullptr);
    EXPECT_EQ(m.unlock(), Status::kRefused);
  }, nullptr);
  k::start_thread(a);
  k::start();
  EXPECT_TRUE(g_fails.empty());
}

// ---- timeouts ----
TEST_F(Kernel, TimeoutExpiresAtItsTime) {
  static k::Semaphore sem;
  T a("a", 2, [](void*) {
    EXPECT_EQ(sem.take(100), Status::kTimeout);
    log("t@" + std::to_string(k::now()));
    EXPECT_EQ(sem.take(k::kNoWait), Status::kTimeout);
    EXPECT_EQ(k::sleep(250), Status::kOk);
    log("s@" + std::to_string(k::now()));
  }, nullptr);
  k::start_thread(a);
  k::start();
  EXPECT_EQ(g_log, "t@100,s@350");
}

TEST_F(Kernel, TimeoutThatDoesNotExpire) {
  static k::Semaphore sem;
  T a("a", 2, [](void*) {
    EXPECT_EQ(sem.take(100), Status::kOk);
    log("got@" + std::to_string(k::now()));
    EXPECT_EQ(sem.take(1000), Status::kOk);
    log("got@" + std::to_string(k::now()));
  }, nullptr);
  k::start_thread(a);
  host::schedule_irq(60, [](void*) { sem.give(); }, nullptr);
  host::schedule_irq(999, [](void*) { sem.give(); }, nullptr);
  k::start();
  EXPECT_EQ(g_log, "got@60,got@999");
  // The cancelled timeouts left no alarm behind: the run ended at 999.
  EXPECT_EQ(k::now(), 999u);
}

TEST_F(Kernel, ForeverWaitEndsTheRunAsIdle) {
  static k::Semaphore sem;
  T a("a", 2, [](void*) { sem.take(); }, nullptr);
  k::start_thread(a);
  k::start();
  EXPECT_EQ(host::stop_reason(), host::Stop::kIdle);
  EXPECT_EQ(a.state(), k::ThreadState::kBlocked);
}

// ---- message queue ----
k::StaticQueue<uint32_t, 2>* g_q;

TEST_F(Kernel, QueueBlocksWhenFullAndEmptyBetweenThreads) {
  k::StaticQueue<uint32_t, 2> q;
  g_q = &q;
  T prod("prod", 3, [](void*) {
    for (uint32_t i = 1; i <= 4; ++i) {
      EXPECT_EQ(g_q->put(i), Status::kOk);
      log("p" + std::to_string(i));
    }
    EXPECT_EQ(g_q->put(99, k::kNoWait), Status::kTimeout);  // full
    EXPECT_EQ(g_q->put(99, 30), Status::kTimeout);
    log("full@" + std::to_string(k::now()));
  }, nullptr);
  T cons("cons", 2, [](void*) {
    uint32_t v;
    for (int i = 0; i < 2; ++i) {
      EXPECT_EQ(g_q->get(v), Status::kOk);
      log("g" + std::to_string(v));
    }
    k::sleep(100);
    for (int i = 0; i < 2; ++i) {
      EXPECT_EQ(g_q->get(v), Status::kOk);
      log("g" + std::to_string(v));
    }
    EXPECT_EQ(g_q->get(v, k::kNoWait), Status::kTimeout);  // empty
    EXPECT_EQ(g_q->get(v, 50), Status::kTimeout);
    log("empty@" + std::to_string(k::now()));
  }, nullptr);
  k::start_thread(prod);
  k::start_thread(cons);
  k::start();
  // prod fills 2, blocks on 3; cons takes 1, which moves 3 in and wakes
  // prod (more urgent): it logs p3 and blocks on 4 before cons logs g1.
  EXPECT_EQ(g_log, "p1,p2,p3,g1,p4,g2,full@30,g3,g4,empty@150");
  EXPECT_EQ(q.size(), 0u);
}

TEST_F(Kernel, QueueFromASimulatedInterrupt) {
  k::StaticQueue<uint32_t, 2> q;
  g_q = &q;
  T cons("cons", 2, [](void*) {
    uint32_t v = 0;
    EXPECT_EQ(g_q->get(v), Status::kOk);  // empty: waits for the ISR
    log("got" + std::to_string(v) + "@" + std::to_string(k::now()));
    k::sleep(100);  // the ISR fills the queue meanwhile, then finds it full
    while (g_q->get(v, k::kNoWait) == Status::kOk) log("got" + std::to_string(v));
  }, nullptr);
  k::start_thread(cons);
  static int isr_full = 0;
  isr_full = 0;
  host::schedule_irq(10, [](void*) { EXPECT_EQ(g_q->put(7, k::kNoWait), Status::kOk); }, nullptr);
  host::schedule_irq(20, [](void*) {
    for (uint32_t v = 8; v < 12; ++v) {
      if (g_q->put(v, k::kNoWait) == Status::kTimeout) ++isr_full;
    }
    uint32_t x;
    EXPECT_EQ(g_q->get(x, k::kNoWait), Status::kOk);  // an ISR may take too
    EXPECT_EQ(x, 8u);
  }, nullptr);
  k::start();
  EXPECT_EQ(g_log, "got7@10,got9");
  EXPECT_EQ(isr_full, 2);
}

TEST_F(Kernel, BlockingCallsAreRefusedInAnInterrupt) {
  static k::StaticQueue<uint32_t, 1> q;
  static k::Mutex m;
  static k::Semaphore s;
  T a("a", 2, [](void*) {
    host::raise_irq([](void*) {
      uint32_t v = 0;
      EXPECT_EQ(q.put(v, 10), Status::kRefused);
      EXPECT_EQ(q.get(v, k::kForever), Status::kRefused);
      EXPECT_EQ(m.lock(), Status::kRefused);
      EXPECT_EQ(s.take(5), Status::kRefused);
      EXPECT_EQ(k::sleep(5), Status::kRefused);
      EXPECT_EQ(s.take(k::kNoWait), Status::kTimeout);  // allowed
    }, nullptr);
  }, nullptr);
  k::start_thread(a);
  k::start();
  ASSERT_EQ(g_fails.size(), 5u);
  EXPECT_EQ(g_fails[0], "queue put waits in an interrupt @a");
  EXPECT_EQ(g_fails[2], "mutex lock in an interrupt @a");
}

// ---- timers ----
TEST_F(Kernel, PeriodicAndOneShotTimers) {
  static std::vector<k::Micros> ticks, once;
  ticks.clear();
  once.clear();
  static k::Timer periodic([](k::Timer&, void*) { ticks.push_back(k::now()); }, nullptr);
  static k::Timer oneshot([](k::Timer&, void*) { once.push_back(k::now()); }, nullptr);
  periodic = k::Timer([](k::Timer&, void*) { ticks.push_back(k::now()); }, nullptr);
  oneshot = k::Timer([](k::Timer&, void*) { once.push_back(k::now()); }, nullptr);
  T a("a", 2, [](void*) {
    periodic.start(1000, 1000);
    oneshot.start(2500);
    k::sleep(10'500);
    periodic.stop();
    EXPECT_FALSE(periodic.active());
    EXPECT_FALSE(oneshot.active());
    k::sleep(5000);
  }, nullptr);
  k::start_thread(a);
  k::start();
  ASSERT_EQ(ticks.size(), 10u);
  for (std::size_t i = 0; i < ticks.size(); ++i) EXPECT_EQ(ticks[i], 1000 * (i + 1));
  ASSERT_EQ(once.size(), 1u);
  EXPECT_EQ(once[0], 2500u);
  EXPECT_EQ(periodic.fired(), 10u);
}

TEST_F(Kernel, TimerCallbackWakesAThread) {
  static k::Semaphore sem;
  static k::Timer tm([](k::Timer&, void*) { sem.give(); }, nullptr);
  T a("a", 2, [](void*) {
    tm.start(300, 300);
    for (int i = 0; i < 3; ++i) {
      sem.take();
      log(std::to_string(k::now()));
    }
    tm.stop();
  }, nullptr);
  k::start_thread(a);
  k::start();
  EXPECT_EQ(g_log, "300,600,900");
}

// ---- event flags ----
TEST_F(Kernel, EventFlagsAnyAllAndClear) {
  static k::Events ev;
  ev = k::Events();
  T any("any", 3, [](void*) {
    uint32_t got = 0;
    EXPECT_EQ(ev.wait(0x3, k::Events::kAny, true, &got), Status::kOk);
    log("any" + std::to_string(got) + "@" + std::to_string(k::now()));
  }, nullptr);
  T all("all", 2, [](void*) {
    uint32_t got = 0;
    EXPECT_EQ(ev.wait(0xC, k::Events::kAll, false, &got), Status::kOk);
    log("all" + std::to_string(got) + "@" + std::to_string(k::now()));
    EXPECT_EQ(ev.wait(0x10, k::Events::kAny, false, &got, 5), Status::kTimeout);
  }, nullptr);
  k::start_thread(any);
  k::start_thread(all);
  host::schedule_irq(10, [](void*) { ev.set(0x4); }, nullptr);
  host::schedule_irq(20, [](void*) { ev.set(0x2); }, nullptr);
  host::schedule_irq(30, [](void*) { ev.set(0x8); }, nullptr);
  k::start();
  EXPECT_EQ(g_log, "any2@20,all12@30");
  EXPECT_EQ(ev.get(), 0xCu);  // any cleared its bit; all did not
}

// ---- stacks ----
TEST_F(Kernel, StacksArePaintedWithACanary) {
  T a("a", 2, [](void*) {}, nullptr);
  k::start_thread(a);
  EXPECT_TRUE(a.canary_ok());
  EXPECT_EQ(a.stack_used(), 0u);  // host threads run on their own stacks
  a.stack_base()[100] = 0;        // as a target thread would
  EXPECT_EQ(a.stack_used(), 512u - 100u);
  a.stack_base()[k::kStackGuard] = 0;
  EXPECT_FALSE(a.canary_ok());
  k::Thread* names[3] = {};
  int n = 0;
  for (k::Thread* t = k::first_thread(); t && n < 3; t = t->next_thread()) names[n++] = t;
  EXPECT_EQ(n, 1);
  EXPECT_STREQ(names[0]->name(), "a");
}

// ---- randomized stress ----
struct Stress {
  k::Semaphore items{0};
  k::Semaphore slots{0};
  k::Mutex m;
  k::StaticQueue<uint32_t, 4> q;
  k::Events ev;
  int in_critical = 0;
  int violations = 0;
  uint64_t put_sum = 0, got_sum = 0;
  uint64_t isr_put_sum = 0;
  int ops = 0;
};
Stress* g_st;
std::mt19937* g_rng;

uint32_t rnd(uint32_t n) { return (*g_rng)() % n; }

void stress_body(void* arg) {
  const int id = static_cast<int>(reinterpret_cast<intptr_t>(arg));
  for (int i = 0; i < 200; ++i) {
    ++g_st->ops;
    switch (rnd(7)) {
      case 0:
        if (g_st->m.lock(rnd(3) ? k::kForever : rnd(50)) == Status::kOk) {
          if (++g_st->in_critical != 1) ++g_st->violations;
          host::advance(rnd(20));
          if (rnd(4) == 0) k::yield();
          --g_st->in_critical;
          EXPECT_EQ(g_st->m.unlock(), Status::kOk);
        }
        break;
      case 1: {
        const uint32_t v = static_cast<uint32_t>(id * 1000 + i);
        if (g_st->q.put(v, rnd(2) ? rnd(100) : k::kNoWait) == Status::kOk) g_st->put_sum += v;
        break;
      }
      case 2: {
        uint32_t v;
        if (g_st->q.get(v, rnd(100)) == Status::kOk) g_st->got_sum += v;
        break;
      }
      case 3:
        g_st->items.give();
        break;
      case 4:
        g_st->items.take(rnd(80));
        break;
      case 5:
        k::sleep(rnd(30));
        break;
      default: {
        uint32_t got;
        if (rnd(2)) {
          g_st->ev.set(1u << rnd(4));
        } else {
          g_st->ev.wait(1u << rnd(4), k::Events::kAny, true, &got, rnd(60));
        }
        host::advance(rnd(10));
        break;
      }
    }
  }
}

void stress_isr(void*) {
  uint32_t v;
  switch (rnd(3)) {
    case 0:
      g_st->items.give();
      break;
    case 1:
      v = 500000 + rnd(1000);
      if (g_st->q.put(v, k::kNoWait) == Status::kOk) g_st->isr_put_sum += v;
      break;
    default:
      g_st->ev.set(1u << rnd(4));
  }
}

TEST_F(Kernel, RandomizedStress) {
  for (uint32_t seed = 1; seed <= 12; ++seed) {
    SCOPED_TRACE(seed);
    if (seed > 1) SetUp();
    std::mt19937 rng(seed);
    g_rng = &rng;
    Stress st;
    g_st = &st;
    std::vector<std::unique_ptr<T>> threads;
    for (int i = 0; i < 6; ++i) {
      threads.push_back(std::make_unique<T>("s", 1 + static_cast<int>(rng() % 4), stress_body,
                                            reinterpret_cast<void*>(static_cast<intptr_t>(i)),
                                            rng() % 2 ? 50 + rng() % 500 : 0));
      k::start_thread(*threads.back());
    }
    if (seed % 2) k::set_time_slice(25);
    for (int i = 0; i < 60; ++i) host::schedule_irq(rng() % 20000, stress_isr, nullptr);
    host::set_time_limit(2'000'000);
    k::start();
    EXPECT_EQ(st.violations, 0);
    EXPECT_EQ(st.ops, 6 * 200) << "a thread did not finish (stop " << static_cast<int>(host::stop_reason()) << ")";
    // Messages are neither lost nor duplicated.
    uint64_t left = 0;
    uint32_t v;
    while (st.q.size()) {
      st.q.Queue::get(&v, k::kNoWait);
      left += v;
    }
    EXPECT_EQ(st.put_sum + st.isr_put_sum, st.got_sum + left);
    EXPECT_EQ(st.m.owner(), nullptr);
    for (auto& t : threads) EXPECT_EQ(t->priority(), t->base_priority());
    EXPECT_TRUE(g_fails.empty());
  }
}

}  // namespace
