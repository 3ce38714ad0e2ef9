// tinyperf firmware entry: bring up the board, print the banner, serve the
// protocol forever.
//
// On the Cortex-M boards the firmware runs on the kernel (kernel/,
// TP_FIRMWARE_ON_KERNEL): the console's receive interrupt gives the
// protocol thread's semaphore, the protocol thread parses and answers
// commands, the inference thread runs the long ones (infer, layers,
// selftest) while the protocol thread waits for it, and the idle thread
// feeds the watchdog and sleeps the CPU. Elsewhere (native, ARC, Xtensa:
// no context-switch port runs the firmware there) it is the bare loop; on
// native, `serve run` brings the kernel's host port up for the run's span
// (app/serve.cc).
#include <cstdint>

#include "protocol.h"
#include "tinyperf/benchmarks/benchmark.h"
#include "tinyperf/benchmarks/declared.h"
#include "tinyperf/benchmarks/selftest.h"
#include "tinyperf/board.h"
#include "tinyperf/models/registry.h"

#if defined(TP_SERVE_HOST)  // native: `serve` brings the kernel's host port up per run (app/serve.cc)
#include "serve.h"
#endif
#if defined(TP_SWW_STREAM_HOST)  // native: sww01 streaming on the kernel's host port per `start` (app/sww_stream_native.h)
#include "sww_stream_native.h"
#endif
#if defined(TP_FIRMWARE_ON_KERNEL)
#include "cortex_m_kernel.h"
#if defined(TP_SERVE)
#include "serve.h"
#endif
#include "tinyperf/kernel/kernel.h"
#if defined(TP_SWW_STREAM)  // boards with an audio input (board.cmake TP_BOARD_SWW_STREAM)
#include "sww_stream.h"
#endif
#endif

#ifndef TP_DEFAULT_MODEL
#define TP_DEFAULT_MODEL "kws01"
#endif

namespace {

#if defined(TP_ENERGY_MODE)
constexpr bool kEnergyMode = true;
#else
constexpr bool kEnergyMode = false;
#endif
// cmake/firmware.cmake: -DTP_CONSOLE_BAUD=, else 115200 (9600 in energy mode).
#if !defined(TP_CONSOLE_BAUD)
#define TP_CONSOLE_BAUD 115200u
#endif
constexpr uint32_t kConsoleBaud = TP_CONSOLE_BAUD;

// One arena for whichever model is active, and the `db` staging buffer.
alignas(tp::engine::kArenaAlignment) uint8_t g_arena[tp::models::kMaxArenaBytes];
// The largest declared raw input among the image's benchmarks (each
// benchmarks/<id>/benchmark.json's "input_bytes"; generated declared.h).
alignas(16) uint8_t g_staging[tp::bench::declared::kMaxRawInputBytes];

const tp::board::Board* g_board = nullptr;
tp::app::Protocol* g_protocol = nullptr;

#if defined(TP_FIRMWARE_ON_KERNEL)
namespace k = tp::kernel;

k::Semaphore g_rx(0, 1);          // the console received bytes (given by its interrupt)
k::Semaphore g_work_ready(0, 1);  // protocol -> inference thread
k::Semaphore g_work_done(0, 1);   // inference thread -> protocol
void (*g_work)(void*) = nullptr;
void* g_work_ctx = nullptr;

// Protocol::Offload: the long command runs in the inference thread; the
// protocol thread waits (the inference thread reads the console itself only
// to look for ETX between runs, while the protocol thread is blocked here).
void offload(void (*work)(void*), void* ctx) {
  g_work = work;
  g_work_ctx = ctx;
  g_work_ready.give();
  g_work_done.take();
}

void inference_main(void*) {
  for (;;) {
    g_work_ready.take();
    g_work(g_work_ctx);
    g_work_done.give();
  }
}

void protocol_main(void*) {
  g_protocol->banner();
  if (g_board->watchdog) g_board->watchdog->start();
#if defined(TP_SWW_STREAM)
  static tp::app::Writer stream_out(g_board->console);
#endif
  for (;;) {
    uint8_t byte;
    while (g_board->console.read(byte)) g_protocol->on_byte(byte);
#if defined(TP_SWW_STREAM)
    tp::app::sww_stream::print_pending(stream_out);  // sww01 detections, between commands
#endif
    g_rx.take();  // a byte that arrived since the last read has given it already
  }
}

void idle() {
  if (g_board->watchdog) g_board->watchdog->feed();  // the clock's wrap interrupt wakes idle often enough
  tp::board::wait_for_event();
}

void report_threads(tp::app::Writer& out) {
  for (k::Thread* t = k::first_thread(); t; t = t->next_thread()) {
    out.str("m-thread-[").str(t->name()).chr(',').u64(static_cast<uint64_t>(t->priority())).chr(',')
        .str(k::state_name(t->state())).chr(',').u64(t->stack_used()).chr('/').u64(t->stack_size())
        .str("]").endl();
  }
}

// Stacks (bytes): the protocol thread parses and answers; the inference
// thread runs the models' kernels (the M55's Helium kernels keep up to
// 1.8 KB on the stack) and `layers`' per-layer totals.
k::StaticThread<2048> g_protocol_thread("protocol", 2, protocol_main);
k::StaticThread<4096> g_inference_thread("inference", 3, inference_main);
#endif

}  // namespace

int main(int argc, char** argv) {
  const tp::board::Board& board = tp::board::init(argc, argv, kConsoleBaud);
  const tp::bench::Benchmark* initial = tp::bench::find(TP_DEFAULT_MODEL);
  if (!initial) initial = tp::bench::kAll[0];
  static tp::app::Protocol protocol(board, kEnergyMode,
                                    {g_arena, sizeof g_arena, g_staging, sizeof g_staging},
                                    tp::bench::kAll, tp::bench::kCount, initial,
                                    tp::bench::kSelftestPairs);
  g_board = &board;
  g_protocol = &protocol;
#if defined(TP_FIRMWARE_ON_KERNEL)
  protocol.set_kernel_hooks(&offload, &report_threads);
#if defined(TP_SERVE)
  tp::app::serve::init(board, tp::bench::kSelftestPairs);  // `serve` (app/serve.h)
  protocol.set_serve_hook(&tp::app::serve::command);
#endif
  board.console.set_rx_notify([] { g_rx.give(); });
  k::init(board.clock);
  k::cortex_m::use_alarm(tp::board::kernel_alarm());  // timeouts (the board's alarm)
  k::set_idle_hook(&idle);
  k::start_thread(g_protocol_thread);
  k::start_thread(g_inference_thread);
#if defined(TP_SWW_STREAM)
  protocol.set_stream_control(tp::app::sww_stream::install(board));  // sww01 `start`/`stop`
  tp::app::sww_stream::set_line_notify([] { g_rx.give(); });
#endif
  k::start();  // never returns
#endif
#if defined(TP_SERVE_HOST)
  tp::app::serve::init(board, tp::bench::kSelftestPairs);
  protocol.set_serve_hook(&tp::app::serve::command);
#endif
#if defined(TP_SWW_STREAM_HOST)
  protocol.set_stream_control(tp::app::sww_stream::native::install(board, protocol));  // sww01 `start`/`stop`
#endif
  protocol.banner();
  if (board.watchdog) board.watchdog->start();
  for (;;) {
    uint8_t byte;
    while (board.console.read(byte)) {
      protocol.on_byte(byte);
#if defined(TP_SWW_STREAM_HOST)
      tp::app::sww_stream::native::run_if_started();  // after `start`: the stream's kernel session, until `stop`
#endif
    }
    // The idle path: fed here (the clock's own interrupt wakes the CPU well
    // within the watchdog's period) and between inferences, never inside one.
    if (board.watchdog) board.watchdog->feed();
    tp::board::wait_for_event();
  }
}
