// A board made of fakes for protocol tests: a console that records what the
// firmware writes, a settable clock and a pin that records its edges.
#pragma once

#include <cstring>
#include <utility>
#include <string>
#include <vector>

#include "protocol.h"
#include "tinyperf/board.h"

namespace tp::test {

class FakeConsole final : public drivers::Uart {
 public:
  // `incoming` arrives once read() has been called `reads_before_data`
  // times: bytes a host sends while a long command runs.
  bool read(uint8_t& byte) override {
    if (reads_before_data > 0) {
      --reads_before_data;
      return false;
    }
    if (incoming.empty()) return false;
    byte = static_cast<uint8_t>(incoming.front());
    incoming.erase(0, 1);
    return true;
  }
  std::string incoming;
  int reads_before_data = 0;
  drivers::RxLosses rx_losses() const override { return losses; }
  drivers::RxLosses losses;
  void write(const char* d, std::size_t n) override { out.append(d, n); }
  std::string take() { return std::exchange(out, {}); }
  std::string out;
};

class FakeClock final : public drivers::Clock {
 public:
  uint64_t micros() override { return now += step; }
  uint64_t now = 0;
  uint64_t step = 1;
};

class FakePin final : public drivers::OutputPin {
 public:
  void set(bool high) override {
    if (high != level) edges.push_back(high ? 'r' : 'f');
    level = high;
  }
  bool level = true;
  std::string edges;
};

// Two tiny "models": the output tensor is the sum of the input bytes into
// output[0] and the run count into output[1]; results are both values.
struct FakeModels {
  static inline int runs = 0;
  static void run(uint8_t* arena, const engine::LayerProbe* probe) {
    if (probe) probe->fn(probe->ctx, 0);
    if (probe) probe->fn(probe->ctx, 1);
    if (probe) probe->fn(probe->ctx, 2);
    int sum = 0;
    for (int i = 0; i < 8; ++i) sum += static_cast<int8_t>(arena[i]);
    arena[16] = static_cast<uint8_t>(sum);
    arena[17] = static_cast<uint8_t>(++runs);
  }
  static void load(const uint8_t* raw, int8_t* in) { std::memcpy(in, raw, 8); }
  static void load4(const uint8_t* raw, int8_t* in) {
    std::memset(in, 0, 8);
    std::memcpy(in, raw, 4);
  }
  static std::size_t results(const int8_t* out, const uint8_t*, float* v, std::size_t max) {
    if (max < 2) return 0;
    v[0] = out[0] / 256.0f;
    v[1] = out[1];
    return 2;
  }
  static constexpr const char* layer_names[] = {"SUM", "COUNT"};
  static constexpr uint64_t layer_macs[] = {8, 1};
  static constexpr engine::ModelDesc model{"m8", "fake", "reference", 32, {0, 8, 1.0f, 0, 1, {8}},
                                           {16, 2, 1.0f, 0, 1, {2}}, 9, 0, 2, layer_names, layer_macs, run};
  static constexpr bench::Benchmark m8{"m8", &model, 8, load, results};
  static constexpr bench::Benchmark m4{"m4", &model, 4, load4, results};
  static constexpr const bench::Benchmark* all[] = {&m8, &m4};
};

struct ProtocolFixture {
  explicit ProtocolFixture(bool energy = false)
      : board{"fake", console, clock, pin},
        protocol(board, energy, {arena, sizeof arena, staging, sizeof staging}, FakeModels::all, 2,
                 &FakeModels::m8) {}

  // Sends bytes and returns everything the DUT wrote in answer.
  std::string send(const std::string& bytes) {
    for (unsigned char c : bytes) protocol.on_byte(c);
    return console.take();
  }

  FakeConsole console;
  FakeClock clock;
  FakePin pin;
  board::Board board;
  alignas(16) uint8_t arena[32] = {};
  uint8_t staging[16] = {};
  app::Protocol protocol;
};

}  // namespace tp::test
