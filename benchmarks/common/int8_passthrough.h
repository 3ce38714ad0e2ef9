// The adapter kws01 and sww01 share: the raw bytes are the model's int8
// input tensor, copied in unchanged; results are the dequantized output
// scores. A benchmark of that kind declares only its id, model and raw input
// size (see kws01/kws01.cc).
#pragma once

#include "classification.h"
#include "tinyperf/benchmarks/benchmark.h"
#include "tinyperf/engine/runtime.h"

namespace tp::bench {

template <const engine::ModelDesc& kModel>
struct Int8Passthrough {
  static void load(const uint8_t* raw, int8_t* input_tensor) {
    engine::copy_bytes(input_tensor, raw, kModel.input.bytes);
  }
  static std::size_t results(const int8_t* output_tensor, const uint8_t*, float* values, std::size_t max_values) {
    return detail::dequantize_outputs(kModel.output, output_tensor, values, max_values);
  }
};

// raw_input_bytes is the declared size (see image_classifier.h for why it is
// not kModel.input.bytes).
template <const engine::ModelDesc& kModel>
constexpr Benchmark int8_passthrough(const char* id, uint32_t raw_input_bytes) {
  return {id, &kModel, raw_input_bytes, &Int8Passthrough<kModel>::load, &Int8Passthrough<kModel>::results};
}

}  // namespace tp::bench
