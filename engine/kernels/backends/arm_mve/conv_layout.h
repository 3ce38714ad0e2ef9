// CONV_2D weights in 8-channel blocks (ConvParams::filter_layout
// kConvBlock8), the layout the model compiler writes for the arm_mve backend
// for the 1x1 convolutions conv_block8_fit() accepts: per group of 8 output
// channels, per 64 input channels (k / 64), the 8 channels' 64 weights one
// after another; under 64 input channels (K = 40: sww01) each channel's K
// weights padded with zeros to a multiple of 16 (Kp), the 8 channels' rows
// one after another. The b8 kernels (gen_gemm_asm.py b8_kernel) then read a
// channel's 64 (Kp) weights by one VLDM and a group's weights as one
// stream: no pointer per channel, no load per 16 weights. For K = 64 the
// layout is the plain [output channel][K] one (conv.cc runs those layers on
// the same kernels without the flag).
//
// The compiler (tools/model_compiler, backend arm_mve) and the tests include
// this header (host code: no Helium here); conv.cc reads the layout, with a
// plain C++ fallback (conv2d_block8_plain) for a call its kernel does not take.
#pragma once

#include <cstddef>
#include <cstdint>

#include "tinyperf/engine/kernels.h"
#include "../../reference/requant.h"

namespace tp::kernels::arm_mve {

inline constexpr int32_t kConvBlock8 = 1;
#define TP_ARM_MVE_CONV_BLOCK8 1  // for the compiler (planner.cc)

// The depths the compiler writes the layout for: those of the b8 kernels
// (gen_gemm_asm.py B8_KS) but 64, whose layout is the plain one.
inline bool conv_block8_depth(int32_t K) { return K == 40 || K == 128 || K == 192 || K == 256; }

// A channel's weights in the layout (K, or K rounded up to 16 under 64).
inline int32_t conv_block8_row(int32_t K) { return K % 64 == 0 ? K : (K + 15) / 16 * 16; }

// A 1x1 convolution, stride 1, no padding, one group, K of conv_block8_depth,
// a multiple of 8 output channels, output zero point -128 and the whole int8
// range (the b8 kernels have no rounding fixup: mve_util.h fixup_hidden), no
// left shift.
inline bool conv_block8_fit(const ConvParams& p) {
  if (p.filter.h != 1 || p.filter.w != 1 || p.stride_h != 1 || p.stride_w != 1 || p.pad_h != 0 ||
      p.pad_w != 0 || p.filter.c != p.input.c || !conv_block8_depth(p.filter.c) || p.output.c % 8 != 0 ||
      p.output.c != p.filter.n || p.input.h != p.output.h || p.input.w != p.output.w ||
      p.input.n != p.output.n) {
    return false;
  }
  const Requant& r = p.requant;
  if (r.output_offset != -128 || r.act_min != -128 || r.act_max != 127) return false;
  for (int32_t c = 0; c < (r.per_channel ? p.output.c : 1); ++c) {
    if (r.shift[c] > 0) return false;
  }
  return true;
}

// Byte index of weight (c, k) in the block layout of a K-deep filter.
inline std::size_t conv_block8_index(int32_t K, int32_t c, int32_t k) {
  const std::size_t kp = static_cast<std::size_t>(conv_block8_row(K)), s = kp < 64 ? kp : 64;
  return static_cast<std::size_t>(c / 8) * 8 * kp + static_cast<std::size_t>(k) / s * 8 * s +
         static_cast<std::size_t>(c % 8) * s + static_cast<std::size_t>(k) % s;
}

// Writes the [cout][K] filter `src` in the block layout to `dst`
// (cout * conv_block8_row(K) bytes, the padding zero).
inline void conv_block8_pack(const int8_t* src, int8_t* dst, int32_t K, int32_t cout) {
  for (std::size_t i = 0; i < static_cast<std::size_t>(cout) * conv_block8_row(K); ++i) dst[i] = 0;
  for (int32_t c = 0; c < cout; ++c) {
    for (int32_t k = 0; k < K; ++k) dst[conv_block8_index(K, c, k)] = src[static_cast<std::size_t>(c) * K + k];
  }
}

// The layer by TFLite's formula, reading the block layout (what conv.cc
// runs when its kernel does not take a call: an input not 4-aligned).
inline void conv2d_block8_plain(const ConvParams& p, const int8_t* input, int8_t* output) {
  const int32_t K = p.input.c, cout = p.output.c;
  const int32_t pixels = p.output.n * p.output.h * p.output.w;
  for (int32_t px = 0; px < pixels; ++px) {
    const int8_t* in = input + static_cast<std::size_t>(px) * K;
    for (int32_t c = 0; c < cout; ++c) {
      uint32_t acc = p.bias != nullptr ? static_cast<uint32_t>(p.bias[c]) : 0u;
      for (int32_t k = 0; k < K; ++k) {
        acc += static_cast<uint32_t>((in[k] + p.input_offset) * p.filter_data[conv_block8_index(K, c, k)]);
      }
      output[static_cast<std::size_t>(px) * cout + c] =
          static_cast<int8_t>(ref::detail::requantize(static_cast<int32_t>(acc), p.requant, c));
    }
  }
}

}  // namespace tp::kernels::arm_mve
