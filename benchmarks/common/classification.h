// Shared pieces of the classification adapters (kws01, and vww01 and ic01
// through image_classifier.h).
#pragma once

#include <cstddef>
#include <cstdint>

#include "tinyperf/engine/model.h"

namespace tp::bench::detail {

// Class scores: every output element dequantized, (q - zp) * scale in float.
inline std::size_t dequantize_outputs(const engine::TensorDesc& out,
                                      const int8_t* output_tensor, float* values,
                                      std::size_t max_values) {
  const std::size_t n = out.bytes < max_values ? out.bytes : max_values;
  for (std::size_t i = 0; i < n; ++i) {
    values[i] = static_cast<float>(static_cast<int32_t>(output_tensor[i]) - out.zero_point) *
                out.scale;
  }
  return n;
}

// uint8 image bytes -> int8 tensor: b - 128.
inline void uint8_to_int8(const uint8_t* raw, int8_t* tensor, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    tensor[i] = static_cast<int8_t>(static_cast<int32_t>(raw[i]) - 128);
  }
}

}  // namespace tp::bench::detail
