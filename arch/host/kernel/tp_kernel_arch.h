// Host port (native board and GoogleTest): every kernel thread is a host
// thread, and exactly one of them runs at a time (a baton passed at kernel
// calls and at the end of simulated interrupts), the idea of Zephyr's
// native_sim. Stacks are painted but the host thread runs on its own stack.
#pragma once

#include <pthread.h>

namespace tp::kernel {

struct ArchThread {
  pthread_t thread{};
  pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
  bool created = false;
  bool run = false;   // holds the baton
  bool kill = false;  // the run is over: leave
};

}  // namespace tp::kernel
