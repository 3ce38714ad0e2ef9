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

inline ScratchNeed scratch_need_conv(const ConvParams&) { return {kLayerScratchBytes, false}; }

inline ScratchNeed scratch_need_depthwise(const DepthwiseConvParams&) { return {kLayerScratchBytes, false}; }

// FULLY_CONNECTED: the input expanded to int16 (2 bytes an element) when the
// fast path applies (depth >= 8, a multiple of 4). It may end where the
// layer's input ends, over it, when a single batch and the depth is a
// multiple of 8 (the kernel expands front to back: every input byte is read
// before it is written over). Depth 8k + 4: the first 8k elements expanded,
// then the output depth's folded biases with the last 4 columns added.
inline ScratchNeed scratch_need_fully_connected(const FullyConnectedParams& p) {
  const uint64_t k = static_cast<uint64_t>(p.input_depth);
  if (k < 8 || k % 4 != 0) return {};
  if (k % 8 == 0) return {scratch_align16(2 * k), p.batches == 1};
  return {scratch_align16(2 * (k & ~uint64_t{7}) + 4 * static_cast<uint64_t>(p.output_depth)), false};
}

inline ScratchNeed scratch_need_add(const AddParams&) { return {kAddTableBytes, false}; }

// AVERAGE_POOL_2D and SOFTMAX use none.

}  // namespace tp::kernels::arm_dsp
