// The native board: options
//   --pty            serve the protocol on a new pseudo-terminal (path printed
//                    on stderr as "pty: <path>" once the boot banner is out)
//   --pin-log FILE   log the energy-timestamp pin's edges to FILE
//   --console-log FILE  also write everything the console prints to FILE
//   --audio PATH     sww01's audio line: connect to the Unix socket PATH the
//                    host serves (its flow control: app/sww_stream.h); `start`
//                    and `stop` then stream on the kernel's host port
//                    (app/sww_stream_native.cc)
//   --audio-clock m4|cpu  what a hop costs on that session's virtual clock:
//                    the Cortex-M4's measured instructions per hop at 1 ns
//                    each (m4, the default: deterministic) or the host
//                    thread's CPU time of the hop (cpu)
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "native_board.h"
#include "posix_drivers.h"
#include "tinyperf/board.h"

namespace tp::board {
namespace {

drivers::PosixConsole g_console;
drivers::MonotonicClock g_clock;
drivers::LoggingPin g_pin(g_clock);
drivers::PosixSocketUart g_audio;
Board g_board{"native", g_console, g_clock, g_pin};
const char* g_pty_path = nullptr;
native::WorkCharge g_charge = native::WorkCharge::kM4;

[[noreturn]] void usage(const char* argv0) {
  std::fprintf(stderr,
               "usage: %s [--pty] [--pin-log FILE] [--console-log FILE] [--audio PATH] "
               "[--audio-clock m4|cpu]\n",
               argv0);
  std::exit(2);
}

}  // namespace

const Board& init(int argc, char** argv, uint32_t) {
  g_clock.init();
  bool pty = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--pty") == 0) {
      pty = true;
    } else if (std::strcmp(argv[i], "--pin-log") == 0 && i + 1 < argc) {
      if (!g_pin.open_log(argv[++i])) {
        std::fprintf(stderr, "cannot open pin log %s\n", argv[i]);
        std::exit(2);
      }
    } else if (std::strcmp(argv[i], "--console-log") == 0 && i + 1 < argc) {
      if (!g_console.open_log(argv[++i])) {
        std::fprintf(stderr, "cannot open console log %s\n", argv[i]);
        std::exit(2);
      }
    } else if (std::strcmp(argv[i], "--audio") == 0 && i + 1 < argc) {
      if (!g_audio.connect(argv[++i], 5000)) {
        std::fprintf(stderr, "cannot connect the audio line to %s\n", argv[i]);
        std::exit(2);
      }
      g_board.audio_in = &g_audio;
    } else if (std::strcmp(argv[i], "--audio-clock") == 0 && i + 1 < argc) {
      ++i;
      if (std::strcmp(argv[i], "m4") == 0) {
        g_charge = native::WorkCharge::kM4;
      } else if (std::strcmp(argv[i], "cpu") == 0) {
        g_charge = native::WorkCharge::kCpu;
      } else {
        usage(argv[0]);
      }
    } else {
      usage(argv[0]);
    }
  }
  if (pty) {
    const char* path = g_console.open_pty();
    if (!path) {
      std::perror("pty");
      std::exit(1);
    }
    g_pty_path = path;  // announced once the banner is out (wait_for_event)
  } else {
    g_console.open_stdio();
  }
  return g_board;
}

void wait_for_event() {
  // The pty's path is printed only after the boot banner has been written to
  // it: a host that opens the port then discards pending input, as the MLPerf
  // Tiny runner does, sees no line arrive unasked.
  if (g_pty_path) {
    std::fprintf(stderr, "pty: %s\n", g_pty_path);
    std::fflush(stderr);
    g_pty_path = nullptr;
  }
  if (!g_console.wait_readable(-1)) std::exit(0);  // stdin closed: done
}

namespace native {
drivers::PosixConsole& console() { return g_console; }
drivers::PosixSocketUart* audio() { return g_board.audio_in ? &g_audio : nullptr; }
WorkCharge work_charge() { return g_charge; }
}  // namespace native

}  // namespace tp::board
