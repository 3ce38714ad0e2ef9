// tinyperf firmware entry: bring up the board, print the banner, serve the
// protocol forever.
#include <cstdint>

#include "protocol.h"
#include "tinyperf/benchmarks/benchmark.h"
#include "tinyperf/benchmarks/selftest.h"
#include "tinyperf/board.h"
#include "tinyperf/models/registry.h"

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
alignas(16) uint8_t g_staging[tp::bench::kMaxRawInputBytes];

}  // namespace

int main(int argc, char** argv) {
  const tp::board::Board& board = tp::board::init(argc, argv, kConsoleBaud);
  const tp::bench::Benchmark* initial = tp::bench::find(TP_DEFAULT_MODEL);
  if (!initial) initial = tp::bench::kAll[0];
  static tp::app::Protocol protocol(board, kEnergyMode,
                                    {g_arena, sizeof g_arena, g_staging, sizeof g_staging},
                                    tp::bench::kAll, tp::bench::kCount, initial,
                                    tp::bench::kSelftestPairs);
  protocol.banner();
  if (board.watchdog) board.watchdog->start();
  for (;;) {
    uint8_t byte;
    while (board.console.read(byte)) protocol.on_byte(byte);
    // The idle path: fed here (the clock's own interrupt wakes the CPU well
    // within the watchdog's period) and between inferences, never inside one.
    if (board.watchdog) board.watchdog->feed();
    tp::board::wait_for_event();
  }
}
