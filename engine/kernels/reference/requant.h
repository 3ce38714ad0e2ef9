// Shared inline helpers of the reference kernels (private to engine/kernels).
#pragma once

#include <cstdint>

#include "tinyperf/engine/fixed_point.h"
#include "tinyperf/engine/kernels.h"

namespace tp::kernels::ref::detail {

inline int32_t clamp(int32_t v, int32_t lo, int32_t hi) {
  return v < lo ? lo : (v > hi ? hi : v);
}

// int32 accumulator of output channel `channel` -> int8 output value.
inline int8_t requantize(int32_t acc, const Requant& rq, int32_t channel) {
  const int32_t k = rq.per_channel ? channel : 0;
  int32_t v = fixedpoint::multiply_by_quantized_multiplier(acc, rq.multiplier[k],
                                                           rq.shift[k]);
  v += rq.output_offset;
  return static_cast<int8_t>(clamp(v, rq.act_min, rq.act_max));
}

// Index of element (n, y, x, c) in an NHWC tensor.
inline int32_t offset(const Shape4& s, int32_t n, int32_t y, int32_t x, int32_t c) {
  return ((n * s.h + y) * s.w + x) * s.c + c;
}

}  // namespace tp::kernels::ref::detail
