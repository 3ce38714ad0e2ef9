// Multi-model serving with deadlines on the kernel (`serve`, ours: beside
// the protocol's commands; nothing existing changes). The host
// (`./tinyperf serve`, tools/tinyperf_cli/serve*.py) turns a scenario into
// these commands:
//
//   serve clear                     forget every task
//   serve task <name>,<model>,<period us>,<phase us>,<deadline us>,<priority>,<trigger>,<class>
//                                   add a task: periodic (period > 0, trigger "-")
//                                   or released by task <trigger> (an earlier
//                                   task's index) when its top-1 class is
//                                   <class> ("-": any result); priority 1..28
//                                   (fixed-priority policy only)
//   serve policy fp|edf|rtc         fixed priority (preemptive), earliest
//                                   deadline first, run to completion
//   serve input <task>,<pair>|*     the task's jobs cycle through these golden
//                                   pairs compiled into the image (its model's:
//                                   "random_03" or "kws/random_03"; "*": all);
//                                   each job's output is compared with its own
//                                   pair's; none given: the selftest pair
//   serve sample <task>,<name>,<in bytes>,<out bytes>
//   serve data <hex>                ... or a sample the host loads: input bytes,
//                                   then its expected output, into a static
//                                   store (dataset files with the host
//                                   engine's outputs; tools/tinyperf_cli/serve.py)
//   serve inputs                    every task's inputs in job order
//   serve stream <name>,<deadline us>,<priority>
//                                   sww01's audio stream (app/sww_stream.h) as a
//                                   task during `serve run`: its 32 ms hops are
//                                   its jobs, a hop that detects the wake word
//                                   releases the tasks whose trigger it is
//   serve show                      the tasks and the RAM they need
//   serve run <us> [jobs]           run for <us> of DUT time, then report
//   serve clock macs [ps]|cpu       native only: what computing costs on the
//                                   virtual clock, charged per layer (each
//                                   layer's MACs at ps picoseconds, default
//                                   1250; or the host thread's CPU time)
//
// Each task is a kernel thread with its own arena cut from a static pool
// (the compiler's arena size per model; a scenario that does not fit is
// refused with the figures), released by a kernel timer (or by its trigger
// task's result), running the golden pair compiled into the image for its
// model (cmake/selftest.cmake) and checking its output byte for byte.
#pragma once

#include <cstddef>

#include "tinyperf/benchmarks/selftest.h"
#include "tinyperf/board.h"
#include "writer.h"

namespace tp::app::serve {

// Binds the board (watchdog) and the golden pairs; call once before serving.
void init(const board::Board& board, bench::SelftestPairs pairs);
// Protocol::ServeHook.
void command(Writer& out, const char* const* tok, const std::size_t* len, std::size_t count);

}  // namespace tp::app::serve
