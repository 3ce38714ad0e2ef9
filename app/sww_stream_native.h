// sww01 streaming on the native board (TP_SWW_STREAM_HOST): the stream of
// app/sww_stream.cc, the same code as on the Cortex-M boards, on the
// kernel's host port (arch/host/kernel), its audio on a second serial line
// (the board's --audio PATH: a Unix socket the host serves, with the flow
// control of app/sww_stream.h).
//
// The native firmware is the bare loop. `start` arms the stream as
// everywhere; the bare loop then calls run_if_started(), which runs one
// kernel session until `stop` has been answered:
//   - the stream thread (priority 4), as on the Cortex-M boards;
//   - a console thread (priority 2), the bare loop's job inside the session:
//     it reads the console, runs the commands (`stop` among them) and prints
//     the detection lines the stream thread queued; it ends once the stream
//     has stopped, and with it the session;
//   - the idle thread, which stands for the hardware: it waits (in real
//     time) for the console and the audio socket and delivers what arrived
//     as their receive interrupts; when nothing is on its way it moves the
//     virtual clock on to the next timer (the next hop's due time).
//
// The DUT's clock is the host port's virtual clock, 0 at `start`. It moves
// only when every thread waits (to the next timer) and when the stream
// thread charges a hop's work to it (--audio-clock: m4, the default, the
// Cortex-M4's measured instructions per hop at 1 ns each, as QEMU's
// -icount shift=0 counts time; or cpu, the host thread's CPU time of the
// hop). It does not reach a hop's due time before the hop's block has
// arrived (while the block is on its way it stands still). So
// the audio is never late in DUT time (0 underruns), every hop runs at its
// due time, and with the m4 charge every figure of the file's hops is a
// function of the audio alone: which hops detect, their scores, due times,
// WW_DETECTED times (due + the charge), busy time and duty cycle (the
// charge over 32 ms). Not deterministic: how many silent hops run after the
// file until the host's `stop` arrives, when the host keeps answering (the
// DUT computes as fast as the host lets it, not in real time; `bench` and
// the interface board stand-in hold the audio after the file instead, and
// the hops are then the same every run too), the `m-lap-us` timestamps (the
// board's monotonic clock), and with --audio-clock cpu the busy and pin
// times.
#pragma once

#include "protocol.h"
#include "tinyperf/board.h"

namespace tp::app::sww_stream::native {

// The stream control for the protocol, or nullptr when the board has no
// audio line (no --audio) or the image has no sww01.
const Protocol::StreamControl* install(const board::Board& board, Protocol& protocol);

// Bare loop, after each byte it fed the protocol: if `start` has just armed
// the stream, runs its kernel session; returns once `stop` has been answered.
void run_if_started();

}  // namespace tp::app::sww_stream::native
