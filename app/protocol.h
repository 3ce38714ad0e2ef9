// The MLPerf Tiny / EEMBC DUT protocol: commands in, answers out.
//
// One Protocol object owns the session state: the active benchmark, the `db`
// staging buffer and load progress, and the last results. Bytes from the
// console go in through on_byte(); each complete command runs to the end and
// is answered, always closing with `m-ready`.
#pragma once

#include <cstddef>
#include <cstdint>

#include "line_reader.h"
#include "tinyperf/benchmarks/benchmark.h"
#include "tinyperf/benchmarks/selftest.h"
#include "tinyperf/board.h"
#include "writer.h"

namespace tp::app {

inline constexpr const char* kFirmwareVersion = "tinyperf 0.1.0";

struct Memory {
  uint8_t* arena;            // model arena, aligned to engine::kArenaAlignment
  std::size_t arena_bytes;
  uint8_t* staging;          // `db` bytes as the host sent them
  std::size_t staging_bytes;
};

class Protocol {
 public:
  static constexpr std::size_t kMaxResults = 16;
  static constexpr std::size_t kMaxTokens = 4;

  Protocol(const board::Board& board, bool energy_mode, const Memory& memory,
           const bench::Benchmark* const* benchmarks, std::size_t count,
           const bench::Benchmark* initial, bench::SelftestPairs selftest = {nullptr, 0});

  // The boot banner (once, at start).
  void banner();
  // Feeds one byte from the console; runs a command when its `%` arrives.
  void on_byte(uint8_t byte);
  // Runs one command (the text before `%`).
  void execute(const char* line, std::size_t length);

  const bench::Benchmark* active() const { return active_; }

  // On the kernel (app/main.cc): long commands (infer, layers, selftest) run
  // through `offload`, which hands work(ctx) to the inference thread and
  // returns when it is done; `threads` prints the thread table. Without
  // them (the bare loop) long commands run in place and `threads` says
  // there is no kernel.
  using Offload = void (*)(void (*work)(void* ctx), void* ctx);
  using ThreadsReport = void (*)(Writer& out);
  void set_kernel_hooks(Offload offload, ThreadsReport threads) {
    offload_ = offload;
    threads_report_ = threads;
  }
  // `serve ...` (app/serve.h: multi-model serving on the kernel): the
  // command's tokens (tok[0] is "serve"); without it `serve` is refused.
  using ServeHook = void (*)(Writer& out, const char* const* tok, const std::size_t* len,
                             std::size_t count);
  void set_serve_hook(ServeHook hook) { serve_hook_ = hook; }

  // sww01 streaming (app/sww_stream.h): the reference's `start` and `stop`
  // drive it; images without it answer them with an e-[...] line.
  struct StreamControl {
    bool (*active)();
    void (*start)();
    void (*stop)();  // returns once the stream thread has finished its hop
    void (*report)(Writer& out);  // after stop: activations and duty cycle
  };
  void set_stream_control(const StreamControl* control) { stream_ = control; }

 private:
  struct Args {
    const char* tok[kMaxTokens];
    std::size_t len[kMaxTokens];
    std::size_t count;
    bool is(std::size_t i, const char* s) const;
  };
  using Handler = void (Protocol::*)(const Args&);
  struct Command {
    const char* name;
    Handler handler;
    const char* help;
    // false: any argument is an error that names the command (`name foo`,
    // `results 3`); true: the handler checks its own arguments.
    bool takes_args = false;
    // Runs in the inference thread on the kernel (see set_kernel_hooks).
    bool long_running = false;
  };
  static const Command kCommands[];

  void cmd_name(const Args&);
  void cmd_profile(const Args&);
  void cmd_help(const Args&);
  void cmd_timestamp(const Args&);
  void cmd_db(const Args&);
  void cmd_infer(const Args&);
  void cmd_results(const Args&);
  void cmd_model(const Args&);
  void cmd_output(const Args&);
  void cmd_layers(const Args&);
  void cmd_selftest(const Args&);
  void cmd_threads(const Args&);
  void cmd_serve(const Args&);
  void cmd_hops(const Args&);  // sww01 per-hop timing (benchmarks/sww01)
  void cmd_start(const Args&);  // sww01 streaming (StreamControl)
  void cmd_stop(const Args&);
#if defined(TP_FAULT_TEST)
  void cmd_fault(const Args&);
  void cmd_hang(const Args&);
#if defined(__arm__)
  void cmd_handover(const Args&);
#endif
#endif

  void db_load(const Args&);
  void db_data(const char* hex, std::size_t len);
  void db_print();
  void db_crc();
  void refuse_damaged_line(uint32_t lost);
  void timestamp();
  bool arena_fits(const char* cmd);
  bool input_finite(const char* cmd);
  // Between runs of `infer`, `layers` and `selftest`: true when an ETX byte
  // (0x03, Ctrl-C) arrived; other bytes are kept for after the command.
  bool interrupt_requested();
  void replay_held_bytes();
  void run_inference();
  void print_results();
  void select(const bench::Benchmark* b);

  const board::Board& board_;
  Writer out_;
  LineReader reader_;
  bool energy_mode_;
  Memory mem_;
  const bench::Benchmark* const* benchmarks_;
  std::size_t benchmark_count_;
  const bench::Benchmark* active_;
  bench::SelftestPairs selftest_;

  uint32_t expected_ = 0;  // bytes announced by `db load`
  uint32_t loaded_ = 0;    // bytes received since
  bool loading_ = false;   // a `db load` is in progress or complete
  float results_[kMaxResults] = {};
  std::size_t result_count_ = 0;
  bool has_results_ = false;
  // Bytes that arrived during a long command (not ETX), fed to the line
  // reader once it has answered. When this is full, polling stops and the
  // rest waits in the console's own receive buffer.
  static constexpr std::size_t kHeldCapacity = 160;
  uint8_t held_[kHeldCapacity] = {};
  std::size_t held_count_ = 0;
  bool busy_ = false;  // a command is running (bytes are held, not executed)
  Offload offload_ = nullptr;
  ThreadsReport threads_report_ = nullptr;
  const StreamControl* stream_ = nullptr;
  ServeHook serve_hook_ = nullptr;
  // Receive losses (the console's running total) already reported; a line
  // that completes after the total grew is refused.
  uint32_t rx_losses_seen_ = 0;
  bool input_damaged_ = false;  // bytes were lost while a `db` load was under way
};

}  // namespace tp::app
