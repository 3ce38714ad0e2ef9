// How much kernel scratch the arm_dsp kernels want for one layer, so that
// the model compiler can plan it inside the arena (it includes this file
// through cmake/kernel_backends.cmake; kernels.h's Scratch carries it to the
// kernels). A kernel that starts using more says so here, and the plan
// follows.
#pragma once

#include <cstdint>

#include "tinyperf/engine/kernels.h"
#include "tinyperf/engine/scratch_need.h"

namespace tp::kernels::arm_dsp {

// Convolutions, depthwise convolutions: their blockings are tuned for it
// (they shrink with less).
inline constexpr uint32_t kLayerScratchBytes = 2304;
inline constexpr uint32_t kAddTableBytes = 2 * 256 * 4;  // ADD: two 256-entry int32 tables

// conv2d_gemm needs 2 bytes per tap for each pixel it expands (up to 4 at a
// time): kLayerScratchBytes holds two columns up to K = 576 taps (ic01's
// widest layer), one up to 1152, none beyond (the layer would fall back to
// the reference kernel). A wider layer whose rows need no repacking (filter
// width x input depth a multiple of 8: ic02's 3x3x80 and 3x3x160, K = 720
// and 1440) gets room for kWideConvColumns columns instead.
inline constexpr uint32_t kWideConvColumns = 4;
inline ScratchNeed scratch_need_conv(const ConvParams& p) {
  const uint64_t row = static_cast<uint64_t>(p.filter.w) * static_cast<uint64_t>(p.input.c);
  const uint64_t k = static_cast<uint64_t>(p.filter.h) * row;
  if (4 * k <= kLayerScratchBytes || row % 8 != 0) return {kLayerScratchBytes, false};
  return {scratch_align16(2 * k * kWideConvColumns), false};
}

inline ScratchNeed scratch_need_depthwise(const DepthwiseConvParams&) { return {kLayerScratchBytes, false}; }

// FULLY_CONNECTED: the input expanded to int16 (2 bytes an element) when the
// fast path applies (depth a multiple of 8). It may end where the layer's
// input ends, over it, when a single batch (the kernel expands front to
// back: every input byte is read before it is written over).
inline ScratchNeed scratch_need_fully_connected(const FullyConnectedParams& p) {
  if (p.input_depth % 8 != 0) return {};
  return {scratch_align16(2 * static_cast<uint64_t>(p.input_depth)), p.batches == 1};
}

inline ScratchNeed scratch_need_add(const AddParams&) { return {kAddTableBytes, false}; }

// AVERAGE_POOL_2D and SOFTMAX use none.

}  // namespace tp::kernels::arm_dsp
