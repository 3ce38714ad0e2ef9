// The image-classifier adapter vww01 and ic01 share: uint8 RGB bytes, each
// becomes b - 128 in the input tensor; results are the dequantized class
// scores. A benchmark of that kind declares only its id, model and raw input
// size (see ic01/ic01.cc).
#pragma once

#include "classification.h"
#include "tinyperf/benchmarks/benchmark.h"

namespace tp::bench {

template <const engine::ModelDesc& kModel>
struct ImageClassifier {
  static void load(const uint8_t* raw, int8_t* input_tensor) {
    detail::uint8_to_int8(raw, input_tensor, kModel.input.bytes);
  }
  static std::size_t results(const int8_t* output_tensor, const uint8_t*, float* values, std::size_t max_values) {
    return detail::dequantize_outputs(kModel.output, output_tensor, values, max_values);
  }
};

// raw_input_bytes is the declared size (declared::k<Name>InputBytes, not
// kModel.input.bytes): the model lives in another translation unit, and a
// Benchmark must be constant-initialized.
template <const engine::ModelDesc& kModel>
constexpr Benchmark image_classifier(const char* id, uint32_t raw_input_bytes) {
  return {id, &kModel, raw_input_bytes, &ImageClassifier<kModel>::load, &ImageClassifier<kModel>::results};
}

}  // namespace tp::bench
