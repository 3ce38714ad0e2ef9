// sww01 streaming on the device (the reference's `start` ... `stop`), on the
// kernel: audio captured in the interrupt, features + inference per hop in a
// thread the DUT's own clock paces.
//
// Audio in without an interface board (QEMU; native, where the stream runs
// on the kernel's host port per `start`: app/sww_stream_native.h): a second
// serial port (Board::audio_in) carries 16-bit little-endian mono samples (channel 0 of
// the test wav, as the reference keeps its I2S frames' first sample), one
// block of sww01::kHopSamples (512 samples, 1024 bytes) per request. Flow
// control, DUT -> host on the same port:
//   'R'  send the next block (the DUT asks kPrefetch (7) blocks ahead at
//        `start`, then one more each time it has processed one)
//   'S'  `stop`: send nothing more (blocks already on their way are dropped
//        while the DUT is not capturing: the host sends the next `start`
//        only once the DUT has read them all, tools/tinyperf_cli/sww_stream.py
//        AudioFeeder.settle, or the next stream would capture them)
// The host answers each 'R' with exactly 1024 bytes, silence once its file
// has ended. The DUT's clock decides when hop k is due: t0 + (k+1) x 32 ms,
// the hop's 512th sample's time at 16 kHz, t0 being when the first
// kPrefetch blocks are in (at most kPrefetch hops after `start`; on native
// at `start`: its clock waits for each block); the stream thread sleeps
// until then, takes the block and runs sww01::Pipeline::push_hop. A block
// not there when due is an underrun: the thread waits for it and the
// timeline pauses for as long (that hop is due when its block came, every
// later one as much later), so a slow host shows in the underrun count and
// not in the times or the duty cycle. The audio
// timeline is therefore the DUT's clock, and under QEMU -icount the
// detections (which hops, their scores) depend only on the audio.
//
// Pacing under QEMU (the host side runs it with -icount shift=0,sleep=off):
// QEMU's CMSDK UART takes the socket's bytes one at a time, each only after
// the guest read the previous one, and with sleep=off a WFI jumps the
// virtual clock to the next timer deadline (the next hop): a DUT that slept
// while a block was on its way got a few bytes per hop (measured: every hop
// an underrun; with sleep=on idle time passed in host time instead and a
// busy host was late all the same). So while blocks it asked for are on
// their way the idle thread does not WFI (idle_busy(); it keeps feeding the
// watchdog): the bytes come in at the DUT's instruction pace, the window
// stays full, and once it is full WFI jumps straight to the next hop.
//
// Per hop: the PROCESSING pin is high around the features + inference and
// their duration is summed (the duty cycle: busy time / elapsed hops x
// 32 ms); on a detection (or the first hop, the reference's time marker)
// WW_DETECTED is pulsed low for at least 1 us and a console line is queued:
//   m-sww-detection-[<hop>,<due us>,<pin us>,<class-0 score>,<marker|word>]
// due us: the hop's due time after `start` ((hop+1) x 32000); pin us: the
// DUT clock at the WW_DETECTED falling edge, after `start` (read just after
// the pin's write; without a pin, native: the end of the hop's work), the
// pin falling before the hop's block request. The protocol thread
// prints queued lines between commands (one writer on the console).
// A board with a block input instead (Board::audio_blocks: the L4R5ZI's SAI
// by DMA) hands the stream channel 0 of each block from its interrupt; the
// blocks then pace the hops (no requests, no sleeping until due).
// `stop` prints the reference's "target activations:" list (class-0 int8
// score of every hop) and
//   m-sww-stats-[<hops>,<busy us>,<elapsed us>,<underruns>,<lines dropped>]
// (with a block input the fourth field counts blocks dropped because the
// thread was a whole buffer behind).
#pragma once

#include <cstdint>

#include "protocol.h"
#include "tinyperf/board.h"
#include "tinyperf/kernel/kernel.h"

namespace tp::app::sww_stream {

// Binds the stream to the board's audio input and starts its thread (call
// before kernel::start()). Returns the control block for
// Protocol::set_stream_control, or nullptr when the board has no audio
// input or the image has no sww01.
const Protocol::StreamControl* install(const board::Board& board);

// Protocol thread: prints the detection lines queued since the last call.
void print_pending(Writer& out);

// Called by the stream thread when it queued a line (main.cc wakes the
// protocol thread with it).
void set_line_notify(void (*notify)());

// The idle thread's question: true while blocks the DUT asked for are on
// the serial line, when the idle must not sleep (see "Pacing under QEMU"
// above); false otherwise, and always with a block input (a real board's
// I2S runs in real time: it keeps WFI).
bool idle_busy();

// ---- serving (app/serve.cc): the stream as a serving task ----------------
// One hop as the serving code sees it (times on the kernel's clock, us).
struct Hop {
  uint32_t hop;
  uint64_t due;    // when its block was due: start + (hop+1) x 32 ms
  uint64_t begin;  // features + inference began ...
  uint64_t end;    // ... and ended
  bool detected;   // the wake word (not the marker)
  int8_t score;    // class-0 score
};
struct Hooks {
  void (*begin)();            // stream thread, before a hop's work
  void (*end)(const Hop& h);  // stream thread, after it (before WW_DETECTED)
};
struct Stats {
  uint32_t hops;
  uint32_t underruns;
  uint64_t busy_us;
};
// nullptr: none (the default). Set only while the stream is stopped.
void set_hooks(const Hooks* hooks);
// The installed control (nullptr: no audio input, or no sww01), the stream
// thread (its priority and deadline follow the serving policy during a
// run) and the last stream's counts.
const Protocol::StreamControl* control();
kernel::Thread* thread();
Stats stats();

// ---- a clock that computing does not move (the native board) ---------------
// The native board's kernel runs on a virtual clock (arch/host/kernel/host.h)
// that moves only when every thread waits or when someone charges work to
// it: the stream thread calls before() just before a hop's work and after()
// just after it, before reading the hop's end time (after() charges the
// work: app/sww_stream_native.cc). nullptr: none (the default).
struct WorkClock {
  void (*before)();
  void (*after)();
};
void set_work_clock(const WorkClock* clock);
// The next hop's block is asked for on the serial audio line and has not
// arrived (false once the stream is stopping): the native board's idle path
// waits for it before it lets its virtual clock move on to the hop's due time.
bool awaiting_audio();
#if defined(TP_SWW_STREAM_HOST)
// Native: fresh kernel objects for one session, the stream started; returns
// the stream thread to start (app/sww_stream_native.cc).
kernel::Thread* host_session_thread();
#endif

}  // namespace tp::app::sww_stream
