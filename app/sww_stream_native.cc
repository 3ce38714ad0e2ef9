// sww01 streaming on the native board: the stream of app/sww_stream.cc (the
// same code as on the Cortex-M boards) on the kernel's host port, from
// `start` to `stop`. See sww_stream_native.h.
#include "sww_stream_native.h"

#include <poll.h>
#include <time.h>

#include <cstdint>
#include <cstdlib>
#include <new>

#include "host.h"
#include "native_board.h"
#include "sww_stream.h"
#include "tinyperf/kernel/arch.h"
#include "tinyperf/kernel/kernel.h"
#include "writer.h"

#if !defined(TP_SWW01_M4_HOP_INSTRUCTIONS)
#error "TP_SWW01_M4_HOP_INSTRUCTIONS: boards/native/m4_layer_instructions.json's sww01_hop_instructions"
#endif

namespace tp::app::sww_stream::native {
namespace {

namespace k = tp::kernel;
namespace nb = tp::board::native;

Protocol* g_protocol = nullptr;
const board::Board* g_board = nullptr;
bool g_in_session = false;
volatile bool g_over = false;             // the console thread has ended: the session is over
volatile bool g_console_pending = false;  // its "receive interrupt" was raised and not yet served

// ---- what a hop costs on the virtual clock -------------------------------------
// m4: TP_SWW01_M4_HOP_INSTRUCTIONS at 1 ns each (boards/native/
// m4_layer_instructions.json: `./tinyperf perf --model sww01` on
// qemu_mps2_an386, `hops 50`); the fraction of a microsecond is carried to
// the next hop. cpu: the stream thread's CPU time of the hop.
uint64_t g_carry_ns = 0;
uint64_t g_mark_ns = 0;

uint64_t thread_cpu_ns() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000u + static_cast<uint64_t>(ts.tv_nsec);
}

void charge_before() {
  if (nb::work_charge() == nb::WorkCharge::kCpu) g_mark_ns = thread_cpu_ns();
}

void charge_after() {
  uint64_t ns = g_carry_ns;
  ns += nb::work_charge() == nb::WorkCharge::kCpu ? thread_cpu_ns() - g_mark_ns
                                                   : static_cast<uint64_t>(TP_SWW01_M4_HOP_INSTRUCTIONS);
  g_carry_ns = ns % 1000u;
  if (ns >= 1000u) k::host::advance(ns / 1000u);
}

const WorkClock kWorkClock{&charge_before, &charge_after};

// ---- the console thread: the bare loop's job inside the session -----------------
k::Semaphore g_console_rx(0, 1);
k::StaticThread<1024> g_console_thread("console", 2, nullptr);

void console_main(void*) {
  static Writer out(g_board->console);
  const Protocol::StreamControl* c = control();
  for (;;) {
    g_console_pending = false;
    uint8_t byte;
    while (c->active() && g_board->console.read(byte)) g_protocol->on_byte(byte);
    print_pending(out);  // the detections queued meanwhile
    if (!c->active()) break;  // `stop` has been answered (what follows it waits for the bare loop)
    (void)nb::console().wait_readable(0);        // notes a hang-up as the end of input
    if (nb::console().at_eof()) std::exit(0);  // stdin closed: done, as the bare loop
    g_console_rx.take();
  }
  g_over = true;
}

// ---- the idle thread: the hardware's side ---------------------------------------
void console_irq(void*) { g_console_rx.give(); }
void audio_irq(void*) { nb::audio()->receive(); }  // buffers the bytes, then sww_stream's RX handler

void idle() {
  if (g_over) {  // the stream thread waits for the next `start`: nothing scheduled, the session returns
    k::arch::idle_wait();
    return;
  }
  drivers::PosixSocketUart& audio = *nb::audio();
  // Audio the DUT asked for takes no DUT time: while the next hop's block
  // is on its way the clock stands still (we wait for it in real time; the
  // next timer is that hop's due time, or later). A closed line
  // never delivers it: the stream then counts underruns and waits in 20 ms
  // steps of its clock; those pass here with a 1 ms real pause, not a spin.
  const bool await = awaiting_audio() && audio.open();
  pollfd fds[2] = {{g_console_pending ? -1 : nb::console().in_fd(), POLLIN, 0}, {audio.fd(), POLLIN, 0}};
  const int r = ::poll(fds, 2, await ? 1000 : audio.open() ? 0 : 1);
  bool woke = false;
  if (r > 0 && fds[1].revents) {
    k::host::raise_irq(audio_irq, nullptr);
    woke = true;
  }
  if (r > 0 && fds[0].revents) {
    g_console_pending = true;
    k::host::raise_irq(console_irq, nullptr);
    woke = true;
  }
  if (woke || await) return;  // a thread may run now, or the audio is still on its way
  k::arch::idle_wait();       // the virtual clock on to the next timer (the next hop's due time)
}

}  // namespace

const Protocol::StreamControl* install(const board::Board& board, Protocol& protocol) {
  g_board = &board;
  g_protocol = &protocol;
  if (!nb::audio()) return nullptr;
  return sww_stream::install(board);
}

void run_if_started() {
  const Protocol::StreamControl* c = control();
  if (!c || !c->active() || g_in_session) return;
  g_in_session = true;
  g_over = false;
  g_console_pending = false;
  g_carry_ns = 0;
  k::host::reset();  // virtual clock at 0 (the stream's t0), nothing scheduled
  k::init(k::host::virtual_clock());
  new (&g_console_rx) k::Semaphore(0, 1);
  new (&g_console_thread) k::StaticThread<1024>("console", 2, console_main);
  set_work_clock(&kWorkClock);
  set_line_notify([] { g_console_rx.give(); });
  k::set_idle_hook(&idle);
  k::start_thread(*host_session_thread());
  k::start_thread(g_console_thread);
  k::start();  // returns once `stop` has been answered
  k::set_idle_hook(nullptr);  // `serve run` brings the kernel up too, without it
  set_work_clock(nullptr);
  set_line_notify(nullptr);
  // Blocks the host answered after the 'S' (it may have been answering
  // requests when it came) would be the next stream's first bytes.
  nb::audio()->drain(100);
  g_in_session = false;
}

}  // namespace tp::app::sww_stream::native
