// CONV_2D weights as int16 (ConvParams::filter_layout kConvInt16), the
// layout the model compiler writes for the arm_dsp backend for the small
// 1x1 convolutions conv_int16_fit() accepts: the GEMM (gemm_m4.S) then loads
// 8 weights with one LDM instead of LDRD + 4 SXTB16, 21 instructions per 32
// MACs instead of 25, for twice the bytes of flash.
//
// [output channel][K] int16, K = input channels (a multiple of 8), each
// group of 8 in the activations' order (k0,k2),(k1,k3),(k4,k6),(k5,k7)
// (gemm.h, gemm_x_index), little-endian, as the bytes of the int8 array.
// The compiler (tools/model_compiler, backend arm_dsp) and the tests
// include this header; conv.cc reads the layout, with a plain C++ fallback
// for layers its GEMM does not take.
#pragma once

#include <cstddef>
#include <cstdint>

#include "tinyperf/engine/kernels.h"

namespace tp::kernels::arm_dsp {

inline constexpr int32_t kConvInt16 = 1;
#define TP_ARM_DSP_CONV_INT16 1  // for the compiler (planner.cc)

// Most bytes of int8 weights a layer may double (the flash it costs) when
// the board does not say: the compiler's default (tinyperf-compile
// --conv-int16-max-weights). A board declares its own in its board.cmake
// (TP_BOARD_CONV_INT16_MAX_WEIGHTS, default its CPU's: arch/cortex_m4f).
inline constexpr int64_t kConvInt16MaxWeights = 4096;

// A 1x1 convolution, stride 1, no padding or dilation, one group, K a
// multiple of 8, per-channel requantization with a bias (what the GEMM
// path takes), whatever its size.
inline bool conv_int16_shape_fit(const ConvParams& p, bool has_bias) {
  const int64_t K = p.filter.c;
  return p.filter.h == 1 && p.filter.w == 1 && p.stride_h == 1 && p.stride_w == 1 && p.pad_h == 0 &&
         p.pad_w == 0 && p.dilation_h == 1 && p.dilation_w == 1 && p.filter.c == p.input.c && K >= 8 &&
         K % 8 == 0 && p.requant.per_channel != 0 && has_bias;
}

// The same with weights of at most max_weights bytes (int8).
inline bool conv_int16_fit(const ConvParams& p, bool has_bias, int64_t max_weights = kConvInt16MaxWeights) {
  return conv_int16_shape_fit(p, has_bias) && static_cast<int64_t>(p.output.c) * p.filter.c <= max_weights;
}

// Halfword index of weight (c, k) in the int16 layout.
inline std::size_t conv_int16_index(int32_t K, int32_t c, int32_t k) {
  static constexpr int8_t kLane[8] = {0, 2, 1, 3, 4, 6, 5, 7};  // its own inverse
  return static_cast<std::size_t>(c) * static_cast<std::size_t>(K) + static_cast<std::size_t>(k & ~7) +
         static_cast<std::size_t>(kLane[k & 7]);
}

inline int32_t conv_int16_weight(const int8_t* w, int32_t K, int32_t c, int32_t k) {
  const std::size_t i = 2 * conv_int16_index(K, c, k);
  return static_cast<int16_t>(static_cast<uint16_t>(static_cast<uint8_t>(w[i]) |
                                                    (static_cast<uint32_t>(static_cast<uint8_t>(w[i + 1])) << 8)));
}

// Writes the [cout][K] int8 filter `src` as int16 to `dst` (2 * cout * K bytes).
inline void conv_int16_pack(const int8_t* src, int8_t* dst, int32_t K, int32_t cout) {
  for (int32_t c = 0; c < cout; ++c) {
    for (int32_t k = 0; k < K; ++k) {
      const uint32_t v = static_cast<uint32_t>(static_cast<int32_t>(src[static_cast<std::size_t>(c) * K + k])) & 0xFFFFu;
      const std::size_t i = 2 * conv_int16_index(K, c, k);
      dst[i] = static_cast<int8_t>(static_cast<uint8_t>(v & 0xFF));
      dst[i + 1] = static_cast<int8_t>(static_cast<uint8_t>(v >> 8));
    }
  }
}

}  // namespace tp::kernels::arm_dsp
