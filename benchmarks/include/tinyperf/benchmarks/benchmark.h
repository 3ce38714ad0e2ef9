// One adapter per MLPerf Tiny benchmark id: raw bytes as the host sends them
// with `db` -> input tensor, and output tensor -> the values the DUT prints.
#pragma once

#include <cstddef>
#include <cstdint>

#include "tinyperf/engine/model.h"

namespace tp::bench {

struct Benchmark {
  const char* id;                        // the benchmark id, e.g. "kws01"
  const engine::ModelDesc* model;        // the compiled model it runs
  uint32_t raw_input_bytes;              // what `db load N` must announce
  // Converts the staged raw bytes (raw_input_bytes long) into the model's
  // input tensor. `raw` stays untouched and valid until results() is called.
  void (*load_input)(const uint8_t* raw, int8_t* input_tensor);
  // Turns the output tensor into the printed values (class scores or the
  // anomaly score). `raw` is the same staged input. Returns how many values
  // were written (at most max_values).
  std::size_t (*results)(const int8_t* output_tensor, const uint8_t* raw,
                         float* values, std::size_t max_values);
  // Float-input benchmarks: the index of the first raw element that is NaN
  // or infinite, or -1. The protocol refuses to run on such an input.
  // nullptr: every raw input is valid (int8/uint8 inputs).
  int32_t (*first_non_finite)(const uint8_t* raw) = nullptr;
};

// Every benchmark linked into the image, in a fixed order.
extern const Benchmark* const kAll[];
extern const std::size_t kCount;
const Benchmark* find(const char* id);  // nullptr when unknown

}  // namespace tp::bench
