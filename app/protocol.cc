#include "protocol.h"

#include <cstring>

#include "crc32.h"
#include "format.h"
#if __has_include("tinyperf/sww01/pipeline.h")
#include "tinyperf/sww01/pipeline.h"  // defines TINYPERF_HAS_MODEL_SWW01 when the image has sww01
#endif

namespace tp::app {
namespace {

constexpr uint32_t kMaxCount = 999999999;  // largest count parse_u32 accepts
constexpr uint8_t kEtx = 0x03;              // Ctrl-C: stops infer/layers/selftest

}  // namespace

const Protocol::Command Protocol::kCommands[] = {
    {"name", &Protocol::cmd_name, "name: print the DUT name"},
    {"profile", &Protocol::cmd_profile, "profile: firmware version and active model"},
    {"help", &Protocol::cmd_help, "help: this list"},
    {"timestamp", &Protocol::cmd_timestamp, "timestamp: m-lap-us-<us> (energy mode: pin edge)"},
    {"db", &Protocol::cmd_db, "db load N | db <hex> | db print | db crc: stage input bytes", true},
    {"infer", &Protocol::cmd_infer, "infer N [W]: W warm-up runs, then N timed runs (W=10)", true, true},
    {"results", &Protocol::cmd_results, "results: the last inference's results"},
    {"model", &Protocol::cmd_model, "model [<id>]: show or switch the active model", true},
    {"output", &Protocol::cmd_output, "output: the last raw int8 output tensor in hex"},
    {"layers", &Protocol::cmd_layers, "layers N: time each layer over N runs (m-layer lines)", true, true},
    {"selftest", &Protocol::cmd_selftest, "selftest: run the golden pairs built in, compare byte for byte", false, true},
    {"threads", &Protocol::cmd_threads, "threads: one m-thread-[name,priority,state,stack used/size] line per kernel thread"},
    {"serve", &Protocol::cmd_serve, "serve clear|task <spec>|policy fp|edf|rtc|show|run <us>: multi-model serving (README)", true, true},
#if defined(TINYPERF_HAS_MODEL_SWW01)
    {"hops", &Protocol::cmd_hops, "hops N: time N sww01 hops (512 samples: features + inference) on test audio", true, true},
#endif
#if defined(TP_SWW_STREAM)  // boards with an audio input (board.cmake TP_BOARD_SWW_STREAM)
    {"start", &Protocol::cmd_start, "start: sww01 streaming: listen to the audio input, detect the wake word"},
    {"stop", &Protocol::cmd_stop, "stop: end sww01 streaming: activations per hop, duty cycle"},
#endif
#if defined(TP_FAULT_TEST)
    {"fault", &Protocol::cmd_fault, "fault: (test images only) execute an undefined instruction"},
    {"hang", &Protocol::cmd_hang, "hang: (test images only) mask interrupts and spin: the watchdog's test"},
#if defined(__arm__)
    {"handover", &Protocol::cmd_handover,
     "handover: (test images only) play a bootloader: jump to the reset handler, an interrupt pending"},
#endif
#endif
};

bool Protocol::Args::is(std::size_t i, const char* s) const {
  return i < count && std::strlen(s) == len[i] && std::memcmp(tok[i], s, len[i]) == 0;
}

Protocol::Protocol(const board::Board& board, bool energy_mode, const Memory& memory,
                   const bench::Benchmark* const* benchmarks, std::size_t count,
                   const bench::Benchmark* initial, bench::SelftestPairs selftest)
    : board_(board),
      out_(board.console),
      energy_mode_(energy_mode),
      mem_(memory),
      benchmarks_(benchmarks),
      benchmark_count_(count),
      active_(initial),
      selftest_(selftest) {}

void Protocol::banner() {
  out_.str(energy_mode_ ? "m-timestamp-mode-energy" : "m-timestamp-mode-performance").endl();
  if (board_.reset_cause) out_.str("m-reset-cause-[").str(board_.reset_cause).str("]").endl();
  out_.str("m-init-done").endl();
  out_.ready();
}

void Protocol::on_byte(uint8_t byte) {
  if (byte == kEtx) return;  // Ctrl-C outside infer/layers/selftest: ignored
  switch (reader_.feed(byte)) {
    case LineReader::Event::kNone:
      return;
    case LineReader::Event::kLine: {
      const uint32_t losses = board_.console.rx_losses().total();
      if (losses != rx_losses_seen_) {
        refuse_damaged_line(losses - rx_losses_seen_);
        rx_losses_seen_ = losses;
        return;
      }
      execute(reader_.line(), reader_.length());
      return;
    }
    case LineReader::Event::kTooLong:
      out_.str("e-[command too long: more than ")
          .u64(LineReader::kCapacity)
          .str(" characters before '%'; ignored]")
          .endl();
      out_.ready();
      return;
    case LineReader::Event::kBadByte:
      out_.error("command contains a byte that is not printable ASCII; ignored");
      out_.ready();
      return;
  }
}

// Bytes were lost on receive (the console's buffer was full, or its
// hardware flagged an overrun, framing or parity error) while this line
// arrived: it may be any command with bytes missing, so it is not run, and a
// `db` load under way can no longer be trusted.
void Protocol::refuse_damaged_line(uint32_t lost) {
  const std::size_t n = reader_.length();
  std::size_t word = 0;
  while (word < n && word < 24 && reader_.line()[word] != ' ') ++word;
  out_.str("e-[");
  if (word > 0) out_.str(reader_.line(), word).str(": ");
  out_.u64(lost).str(lost == 1 ? " byte" : " bytes")
      .str(" lost on the serial link while this command arrived; not run");
  if (loading_) {
    input_damaged_ = true;
    out_.str("; the staged input is incomplete until the next 'db load'");
  }
  out_.str("]").endl();
  out_.ready();
}

void Protocol::execute(const char* line, std::size_t length) {
  Args args{};
  std::size_t i = 0;
  while (i < length) {
    while (i < length && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i == length) break;
    const std::size_t start = i;
    while (i < length && line[i] != ' ' && line[i] != '\t') ++i;
    if (args.count == kMaxTokens) {
      const std::size_t shown = args.len[0] < 24 ? args.len[0] : 24;
      out_.str("e-[").str(args.tok[0], shown).str(": too many arguments]").endl();
      out_.ready();
      return;
    }
    args.tok[args.count] = line + start;
    args.len[args.count] = i - start;
    ++args.count;
  }
  if (args.count == 0) {  // a lone `%`
    out_.ready();
    return;
  }
  for (const Command& c : kCommands) {
    if (args.is(0, c.name)) {
      if (args.count > 1 && !c.takes_args) {
        out_.str("e-[").str(c.name).str(": takes no arguments]").endl();
      } else {
        busy_ = true;
        if (c.long_running && offload_) {
          struct Work {
            Protocol* self;
            Handler handler;
            const Args* args;
          } work{this, c.handler, &args};
          offload_([](void* w) {
            auto* job = static_cast<Work*>(w);
            (job->self->*job->handler)(*job->args);
          }, &work);
        } else {
          (this->*c.handler)(args);
        }
        busy_ = false;
      }
      out_.ready();
      replay_held_bytes();
      return;
    }
  }
  const std::size_t shown = args.len[0] < 24 ? args.len[0] : 24;
  out_.str("e-[unknown command: ").str(args.tok[0], shown).str(args.len[0] > shown ? "...]" : "]").endl();
  out_.ready();
}

void Protocol::cmd_name(const Args&) {
  out_.str("m-name-dut-[tinyperf ").str(board_.name).str("]").endl();
}

void Protocol::cmd_profile(const Args&) {
  out_.str("m-profile-[").str(kFirmwareVersion).str("]").endl();
  out_.str("m-model-[").str(active_->id).str("]").endl();
  const drivers::RxLosses rx = board_.console.rx_losses();
  out_.str("m-rx-lost-[dropped=").u64(rx.dropped).str(",errors=").u64(rx.hw_errors).str("]").endl();
}

void Protocol::cmd_help(const Args&) {
  out_.str(kFirmwareVersion).str(" on ").str(board_.name).endl();
  for (const Command& c : kCommands) out_.str("  ").str(c.help).endl();
}

void Protocol::timestamp() {
  if (!energy_mode_) {
    out_.str("m-lap-us-").u64(board_.clock.micros()).endl();
    return;
  }
  // Energy mode: a falling edge, held low for at least one microsecond.
  board_.timestamp_pin.set(false);
  const uint64_t t0 = board_.clock.micros();
  while (board_.clock.micros() < t0 + 2) {
  }
  board_.timestamp_pin.set(true);
}

void Protocol::cmd_timestamp(const Args& a) {
  if (a.count > 1) {
    out_.error("timestamp: takes no arguments");
    return;
  }
  timestamp();
}

void Protocol::cmd_db(const Args& a) {
  if (a.is(1, "load")) {
    db_load(a);
  } else if (a.is(1, "print") && a.count == 2) {
    db_print();
  } else if (a.is(1, "crc") && a.count == 2) {
    db_crc();
  } else if (a.count == 2) {
    db_data(a.tok[1], a.len[1]);
  } else {
    out_.error("db: expected 'db load N', 'db <hex>', 'db print' or 'db crc'");
  }
}

void Protocol::db_load(const Args& a) {
  uint32_t n = 0;
  if (a.count != 3 || !parse_u32(a.tok[2], a.len[2], n) || n == 0) {
    out_.error("db load: N must be a whole number of bytes from 1 up");
    return;
  }
  if (n > mem_.staging_bytes) {
    out_.str("e-[db load: ").u64(n).str(" bytes do not fit the ").u64(mem_.staging_bytes)
        .str("-byte buffer]").endl();
    return;
  }
  if (n != active_->raw_input_bytes) {
    out_.str("e-[db load: model ").str(active_->id).str(" takes ").u64(active_->raw_input_bytes)
        .str(" bytes, not ").u64(n).str("]").endl();
    return;
  }
  expected_ = n;
  loaded_ = 0;
  loading_ = true;
  input_damaged_ = false;
  out_.str("m-[Expecting ").u64(n).str(" bytes]").endl();
}

void Protocol::db_data(const char* hex, std::size_t len) {
  if (!loading_) {
    out_.error("db: no 'db load N' before the data");
    return;
  }
  if (len % 2 != 0) {
    out_.error("db: odd number of hex digits; nothing stored");
    return;
  }
  for (std::size_t i = 0; i < len; ++i) {
    if (hex_value(hex[i]) < 0) {
      out_.error("db: not a hex digit; nothing stored");
      return;
    }
  }
  const std::size_t bytes = len / 2;
  if (bytes > expected_ - loaded_) {
    out_.str("e-[db: ").u64(bytes).str(" bytes would go past the ").u64(expected_)
        .str(" announced (").u64(loaded_).str(" loaded); nothing stored]").endl();
    return;
  }
  uint8_t* dst = mem_.staging + loaded_;
  for (std::size_t i = 0; i < bytes; ++i) {
    dst[i] = static_cast<uint8_t>(hex_value(hex[2 * i]) << 4 | hex_value(hex[2 * i + 1]));
  }
  loaded_ += static_cast<uint32_t>(bytes);
  if (loaded_ == expected_) out_.str("m-load-done").endl();
}

void Protocol::db_print() {
  if (!loading_) {
    out_.error("db print: nothing loaded");
    return;
  }
  for (uint32_t i = 0; i < loaded_; i += 8) {
    out_.str("m-buffer");
    for (uint32_t j = i; j < loaded_ && j < i + 8; ++j) out_.chr('-').hex2(mem_.staging[j]);
    out_.endl();
  }
}

void Protocol::cmd_threads(const Args&) {
  if (!threads_report_) {
    out_.error("threads: this image runs without the kernel (the bare loop)");
    return;
  }
  threads_report_(out_);
}

// CRC-32/ISO-HDLC (zlib's crc32) of the bytes staged so far, so the host can
// check the DUT holds exactly what it sent (an addition of ours: the official
// runner never sends it).
void Protocol::db_crc() {
  if (!loading_) {
    out_.error("db crc: nothing loaded");
    return;
  }
  const uint32_t crc = crc32(mem_.staging, loaded_);
  out_.str("m-db-crc32-[");
  for (int shift = 24; shift >= 0; shift -= 8) out_.hex2(static_cast<uint8_t>(crc >> shift));
  out_.str("]").endl();
}

// A float input that is NaN or infinite is refused, naming the first such
// element (ad01; any float-input benchmark declares first_non_finite).
bool Protocol::input_finite(const char* cmd) {
  if (!active_->first_non_finite) return true;
  const int32_t bad = active_->first_non_finite(mem_.staging);
  if (bad < 0) return true;
  out_.str("e-[").str(cmd).str(": input element ").u64(static_cast<uint32_t>(bad))
      .str(" is not a finite float (NaN or infinity); not run]").endl();
  return false;
}

bool Protocol::interrupt_requested() {
  if (board_.watchdog) board_.watchdog->feed();  // between runs, never inside one
  uint8_t byte;
  while (held_count_ < kHeldCapacity && board_.console.read(byte)) {
    if (byte == kEtx) return true;
    held_[held_count_++] = byte;
  }
  return false;
}

void Protocol::replay_held_bytes() {
  // Bytes held back during the command, in arrival order; a command among
  // them runs now (and may hold bytes of its own: those are replayed by its
  // own execute()). ETX outside a long command is ignored.
  while (held_count_ > 0) {
    uint8_t copy[kHeldCapacity];
    const std::size_t n = held_count_;
    std::memcpy(copy, held_, n);
    held_count_ = 0;
    for (std::size_t i = 0; i < n; ++i) on_byte(copy[i]);
  }
}

// A model whose arena is larger than the image's (a build whose models were
// planned with other options than its registry) is refused, not run over
// whatever follows the arena.
bool Protocol::arena_fits(const char* cmd) {
  const engine::ModelDesc& m = *active_->model;
  if (m.arena_bytes <= mem_.arena_bytes) return true;
  out_.str("e-[").str(cmd).str(": model ").str(active_->id).str(" needs ").u64(m.arena_bytes)
      .str(" arena bytes, the image has ").u64(mem_.arena_bytes).str("; not run]").endl();
  return false;
}

void Protocol::run_inference() {
  const engine::ModelDesc& m = *active_->model;
  active_->load_input(mem_.staging, reinterpret_cast<int8_t*>(mem_.arena + m.input.offset));
  m.run(mem_.arena, nullptr);
}

void Protocol::print_results() {
  out_.str("m-results-[");
  for (std::size_t i = 0; i < result_count_; ++i) {
    if (i) out_.chr(',');
    out_.fixed3(results_[i]);
  }
  out_.str("]").endl();
}

void Protocol::cmd_infer(const Args& a) {
  uint32_t n = 0, warmup = 10;
  if (a.count < 2 || a.count > 3 || !parse_u32(a.tok[1], a.len[1], n) || n == 0) {
    out_.str("e-[infer: N must be a whole number from 1 to ").u64(kMaxCount).str("]").endl();
    return;
  }
  if (a.count == 3 && !parse_u32(a.tok[2], a.len[2], warmup)) {
    out_.str("e-[infer: W must be a whole number from 0 to ").u64(kMaxCount).str("]").endl();
    return;
  }
  if (!loading_ || loaded_ != expected_) {
    out_.error("infer: no complete input; send 'db load N' and N bytes of 'db' data first");
    return;
  }
  if (input_damaged_) {
    out_.error("infer: bytes of the staged input were lost on the serial link; send 'db load N' again");
    return;
  }
  if (!arena_fits("infer") || !input_finite("infer")) return;
  has_results_ = false;  // an interrupted run reports nothing
  out_.str("m-warmup-start-").u64(warmup).endl();
  for (uint32_t i = 0; i < warmup; ++i) {
    if (interrupt_requested()) {
      out_.str("e-[infer: interrupted after ").u64(i).str(" of ").u64(warmup).str(" warm-up runs]").endl();
      return;
    }
    run_inference();
  }
  out_.str("m-warmup-done").endl();
  out_.str("m-infer-start-").u64(n).endl();
  timestamp();
  for (uint32_t i = 0; i < n; ++i) {
    if (interrupt_requested()) {
      out_.str("e-[infer: interrupted after ").u64(i).str(" of ").u64(n).str(" runs]").endl();
      return;
    }
    run_inference();
  }
  timestamp();
  out_.str("m-infer-done").endl();
  const engine::ModelDesc& m = *active_->model;
  result_count_ = active_->results(reinterpret_cast<const int8_t*>(mem_.arena + m.output.offset),
                                   mem_.staging, results_, kMaxResults);
  has_results_ = true;
  print_results();
}

void Protocol::cmd_results(const Args&) {
  if (!has_results_) {
    out_.error("results: no inference has run yet");
    return;
  }
  print_results();
}

void Protocol::cmd_output(const Args&) {
  if (!has_results_) {
    out_.error("output: no inference has run yet");
    return;
  }
  const engine::TensorDesc& t = active_->model->output;
  out_.str("m-output-[");
  for (uint32_t i = 0; i < t.bytes; ++i) out_.hex2(mem_.arena[t.offset + i]);
  out_.str("]").endl();
}

namespace {

// Accumulates the clock at every layer boundary of one or more runs.
struct LayerTimes {
  drivers::Clock* clock;
  uint64_t last;
  uint64_t* totals;  // layer_count entries
  static void on_layer(void* ctx, uint32_t layer) {
    auto* t = static_cast<LayerTimes*>(ctx);
    const uint64_t now = t->clock->micros();
    if (layer > 0) t->totals[layer - 1] += now - t->last;
    t->last = t->clock->micros();  // the probe's own time is not counted
  }
};

}  // namespace

void Protocol::cmd_layers(const Args& a) {
  uint32_t n = 0;
  if (a.count != 2 || !parse_u32(a.tok[1], a.len[1], n) || n == 0) {
    out_.str("e-[layers: N must be a whole number from 1 to ").u64(kMaxCount).str("]").endl();
    return;
  }
  if (!loading_ || loaded_ != expected_) {
    out_.error("layers: no complete input; send 'db load N' and N bytes of 'db' data first");
    return;
  }
  if (input_damaged_) {
    out_.error("layers: bytes of the staged input were lost on the serial link; send 'db load N' again");
    return;
  }
  if (!arena_fits("layers") || !input_finite("layers")) return;
  const engine::ModelDesc& m = *active_->model;
  static constexpr uint32_t kMaxLayers = 64;
  uint64_t totals[kMaxLayers] = {};
  if (m.layer_count > kMaxLayers) {
    out_.error("layers: model has too many layers to time");
    return;
  }
  LayerTimes times{&board_.clock, 0, totals};
  const engine::LayerProbe probe{&LayerTimes::on_layer, &times};
  for (uint32_t i = 0; i < n; ++i) {
    if (interrupt_requested()) {
      out_.str("e-[layers: interrupted after ").u64(i).str(" of ").u64(n).str(" runs]").endl();
      has_results_ = false;
      return;
    }
    active_->load_input(mem_.staging, reinterpret_cast<int8_t*>(mem_.arena + m.input.offset));
    m.run(mem_.arena, &probe);
  }
  for (uint32_t i = 0; i < m.layer_count; ++i) {
    out_.str("m-layer-[").u64(i).chr(',').str(m.layer_names[i]).chr(',').u64(m.layer_macs[i]).chr(',')
        .u64(totals[i]).str("]").endl();
  }
  has_results_ = false;  // the arena holds a finished run, but keep `results` honest
}

#if defined(TP_FAULT_TEST)
// Test images only (-DTP_FAULT_TEST=ON): proves the fault handler reports.
void Protocol::cmd_fault(const Args&) { __builtin_trap(); }
// Proves the watchdog brings a hung board back (host_tests/boot/watchdog_test.py).
void Protocol::cmd_hang(const Args&) {
#if defined(__arm__)
  __asm__ volatile("cpsid i" ::: "memory");
#endif
  for (volatile bool spin = true; spin;) {
  }
}
#if defined(__arm__)
// arch/cortex_m/startup.cc.
extern "C" [[noreturn]] void tp_simulate_bootloader_jump();
// Proves the start-up takes the core over from a bootloader
// (host_tests/boot/handover_test.py).
void Protocol::cmd_handover(const Args&) { tp_simulate_bootloader_jump(); }
#endif
#endif

#if defined(TINYPERF_HAS_MODEL_SWW01)
// sww01's cost per hop of audio: N hops of the streaming pipeline (features
// of 512 new samples, the model over the last 30 frames, the detection
// rule) on generated test audio, between two timestamps. Resets the shared
// pipeline; the staged input and the active model are untouched.
void Protocol::cmd_hops(const Args& a) {
  uint32_t n = 0;
  if (a.count != 2 || !parse_u32(a.tok[1], a.len[1], n) || n == 0) {
    out_.str("e-[hops: N must be a whole number from 1 to ").u64(kMaxCount).str("]").endl();
    return;
  }
  if (stream_ && stream_->active()) {
    out_.error("hops: sww01 is streaming (send stop first)");
    return;
  }
  sww01::Pipeline& p = sww01::shared_pipeline();
  const int16_t* audio = sww01::timing_audio();
  p.reset();
  uint32_t detections = 0;
  out_.str("m-hops-start-").u64(n).endl();
  timestamp();
  for (uint32_t i = 0; i < n; ++i) {
    if (interrupt_requested()) {
      out_.str("e-[hops: interrupted after ").u64(i).str(" of ").u64(n).str(" hops]").endl();
      return;
    }
    if (p.push_hop(audio).detected) ++detections;
  }
  timestamp();
  out_.str("m-hops-done-[").u64(n).chr(',').u64(detections).str("]").endl();
}

#endif

#if defined(TP_SWW_STREAM)
// The reference DUT's streaming commands (mlcommons/tiny
// reference_submissions/streaming_wakeword): their replies are the
// reference's, a timestamp where it takes one.
void Protocol::cmd_start(const Args&) {
  out_.str("Received command: start").endl();
  if (!stream_) {
    out_.error("start: streaming needs the second serial port and the kernel: not on this board");
    return;
  }
  if (stream_->active()) {
    out_.str("I2S Rx currently in progress. Ignoring request").endl();
    return;
  }
  out_.str("Listening for I2S data ... ").endl();
  timestamp();
  stream_->start();
  out_.str("DMA receive initiated.").endl();
}

void Protocol::cmd_stop(const Args&) {
  out_.str("Received command: stop").endl();
  if (!stream_ || !stream_->active()) {
    out_.str("I2S is already idle.  Ignoring stop request").endl();
    return;
  }
  stream_->stop();
  timestamp();
  out_.str("Streaming stopped.").endl();
  stream_->report(out_);
}
#endif  // TP_SWW_STREAM

// Each golden pair built into the image (cmake/selftest.cmake) through its
// model exactly as `db` + `infer` would run it, the output tensor compared
// byte for byte with TensorFlow Lite's. The staged input is gone afterwards
// (a new `db load` is needed); the active model stays.
void Protocol::cmd_serve(const Args& a) {
  if (!serve_hook_) {
    out_.error("serve: not in this image (built with -DTP_SERVE=OFF; the QEMU boards and native have it by default, the real boards with -DTP_SERVE=ON)");
    return;
  }
  serve_hook_(out_, a.tok, a.len, a.count);
}

void Protocol::cmd_selftest(const Args& a) {
  if (a.count != 1) {
    out_.error("selftest: takes no arguments");
    return;
  }
  if (selftest_.count == 0) {
    out_.error("selftest: no golden pairs in this image (built with -DTP_SELFTEST=OFF)");
    return;
  }
  const bench::Benchmark* const was = active_;
  std::size_t passed = 0;
  for (std::size_t i = 0; i < selftest_.count; ++i) {
    if (interrupt_requested()) {
      select(was);
      out_.str("e-[selftest: interrupted after ").u64(i).str(" of ").u64(selftest_.count).str(" pairs]").endl();
      return;
    }
    const bench::GoldenPair& g = selftest_.pairs[i];
    out_.str("m-selftest-[").str(g.model_id).chr(',').str(g.source).chr(',');
    const bench::Benchmark* b = nullptr;
    for (std::size_t k = 0; k < benchmark_count_; ++k) {
      if (std::strcmp(benchmarks_[k]->id, g.model_id) == 0) b = benchmarks_[k];
    }
    if (b == nullptr) {
      out_.str("FAIL,model not in this image]").endl();
      continue;
    }
    const engine::ModelDesc& m = *b->model;
    if (g.input_bytes != b->raw_input_bytes || g.input_bytes > mem_.staging_bytes ||
        g.output_bytes != m.output.bytes) {
      out_.str("FAIL,golden sizes do not match the model]").endl();
      continue;
    }
    if (m.arena_bytes > mem_.arena_bytes) {
      out_.str("FAIL,model needs a larger arena]").endl();
      continue;
    }
    select(b);
    std::memcpy(mem_.staging, g.input, g.input_bytes);
    run_inference();
    const uint8_t* got = mem_.arena + m.output.offset;
    std::size_t bad = g.output_bytes;
    for (std::size_t j = 0; j < g.output_bytes && bad == g.output_bytes; ++j) {
      if (got[j] != g.output[j]) bad = j;
    }
    if (bad == g.output_bytes) {
      ++passed;
      out_.str("pass]").endl();
    } else {
      out_.str("FAIL,byte ").u64(bad).str(": got ").hex2(got[bad]).str(" want ").hex2(g.output[bad]).str("]").endl();
    }
  }
  select(was);
  out_.str("m-selftest-done-[").u64(passed).chr('/').u64(selftest_.count).str("]").endl();
  if (passed != selftest_.count) {
    out_.str("e-[selftest: ").u64(selftest_.count - passed).str(" of ").u64(selftest_.count)
        .str(" golden pairs failed]").endl();
  }
}

void Protocol::select(const bench::Benchmark* b) {
  active_ = b;
  loading_ = false;
  expected_ = loaded_ = 0;
  has_results_ = false;
  result_count_ = 0;
}

void Protocol::cmd_model(const Args& a) {
  if (a.count == 1) {
    const engine::ModelDesc& m = *active_->model;
    out_.str("m-model-[").str(active_->id).str("]").endl();
    out_.str("m-model-arena-bytes-[").u64(m.arena_bytes).str("]").endl();
    // Kernel scratch is planned inside the arena (arena_bytes counts it): no
    // static scratch outside it.
    out_.str("m-model-scratch-bytes-[0]").endl();
    out_.str("m-kernels-[").str(m.kernel_backend).str("]").endl();
    out_.str("m-model-weight-bytes-[").u64(m.weight_bytes).str("]").endl();
    out_.str("m-model-macs-[").u64(m.macs).str("]").endl();
    out_.str("m-models-[");
    for (std::size_t i = 0; i < benchmark_count_; ++i) {
      if (i) out_.chr(',');
      out_.str(benchmarks_[i]->id);
    }
    out_.str("]").endl();
    return;
  }
  if (a.count == 2) {
    for (std::size_t i = 0; i < benchmark_count_; ++i) {
      if (a.is(1, benchmarks_[i]->id)) {
        select(benchmarks_[i]);
        out_.str("m-model-[").str(active_->id).str("]").endl();
        return;
      }
    }
  }
  out_.str("e-[model: unknown id; known:");
  for (std::size_t i = 0; i < benchmark_count_; ++i) out_.chr(' ').str(benchmarks_[i]->id);
  out_.str("]").endl();
}

}  // namespace tp::app
