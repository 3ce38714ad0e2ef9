// DEPTHWISE_CONV_2D over a column: input [N, H, 1, C], filter [1, K, 1, C],
// stride 1, no dilation, no padding (every window inside the input), depth
// multiplier 1, as the sww01 model's Kx1 layers are. Plain C++: the
// arm_mve backend's fallback for the columns its lanes kernel does not take
// (more than kLanesMaxTaps taps; dw_column.cc); the generic reference walks
// every tap with bounds checks (about 65 instructions per MAC on the
// Cortex-M4). arm_dsp has column kernels of its own (its dw_column.cc) and
// leaves the columns they refuse to the generic reference (flash: the
// SparkFun Edge image has no room for this one beside them).
//
// Bit-exact with ref::depthwise_conv2d_s8: the same int32 sum (the input
// offset folded into folded_bias: bias + offset * sum of the taps, exact in
// int32), the same requantization, and the same order of reads and writes
// (output rows top-down, channels ascending), so a layer the planner runs
// in place reads and writes its buffer exactly as the reference does.
#pragma once

#include "requant.h"

namespace tp::kernels::ref {

inline bool depthwise_column_s8(const DepthwiseConvParams& p, const int8_t* input, int8_t* output) {
  const int32_t C = p.input.c, K = p.filter.h;
  if (p.depth_multiplier != 1 || p.input.w != 1 || p.filter.w != 1 || p.output.w != 1) return false;
  if (p.stride_h != 1 || p.dilation_h != 1 || p.pad_h != 0 || p.pad_w != 0) return false;
  if (p.output.c != C || p.filter.c != C || p.output.h != p.input.h - K + 1 || p.output.n != p.input.n) {
    return false;
  }
  if (p.folded_bias == nullptr) return false;
  for (int32_t n = 0; n < p.output.n; ++n) {
    for (int32_t oy = 0; oy < p.output.h; ++oy) {
      const int8_t* x = input + (n * p.input.h + oy) * C;
      int8_t* o = output + (n * p.output.h + oy) * C;
      for (int32_t c = 0; c < C; ++c) {
        int32_t acc = p.folded_bias[c];
        const int8_t* xc = x + c;
        const int8_t* wc = p.filter_data + c;
        for (int32_t k = 0; k < K; ++k) acc += int32_t{xc[k * C]} * int32_t{wc[k * C]};
        o[c] = detail::requantize(acc, p.requant, c);
      }
    }
  }
  return true;
}

}  // namespace tp::kernels::ref
