// How much kernel scratch each backend wants for one layer, so that the
// model compiler can plan it inside the arena (set_scratch in kernels.h).
// Shared by the compiler (host) and the backends (their sizing constants):
// a backend whose kernels start using more scratch says so here, and the
// plan follows.
#pragma once

#include <cstdint>
#include <cstring>

#include "tinyperf/engine/kernels.h"

namespace tp::kernels {

struct ScratchNeed {
  uint32_t bytes = 0;
  // The scratch may end where the layer's (first) input ends, covering it,
  // when that input is not read after this layer: the kernel reads each
  // input byte before writing over it (arm_dsp FULLY_CONNECTED expands its
  // int8 input to int16 front to back, 2 output bytes per input byte).
  bool may_overlap_input = false;
};

namespace arm_dsp {
// What the arm_dsp kernels get for convolutions, depthwise convolutions
// and ADD: their blockings are tuned for it (they shrink with less).
inline constexpr uint32_t kLayerScratchBytes = 2304;
inline constexpr uint32_t kAddTableBytes = 2 * 256 * 4;  // two 256-entry int32 tables
}  // namespace arm_dsp

inline uint32_t scratch_align16(uint64_t v) { return static_cast<uint32_t>((v + 15) / 16 * 16); }

inline ScratchNeed scratch_need_conv(const char* backend, const ConvParams&) {
  if (std::strcmp(backend, "arm_dsp") == 0) return {arm_dsp::kLayerScratchBytes, false};
  return {};
}

inline ScratchNeed scratch_need_depthwise(const char* backend, const DepthwiseConvParams&) {
  if (std::strcmp(backend, "arm_dsp") == 0) return {arm_dsp::kLayerScratchBytes, false};
  return {};
}

inline ScratchNeed scratch_need_fully_connected(const char* backend, const FullyConnectedParams& p) {
  // The input expanded to int16 (2 bytes an element) when the fast path
  // applies (depth a multiple of 8).
  if (std::strcmp(backend, "arm_dsp") == 0 && p.input_depth % 8 == 0) {
    return {scratch_align16(2 * static_cast<uint64_t>(p.input_depth)), p.batches == 1};
  }
  return {};
}

inline ScratchNeed scratch_need_add(const char* backend, const AddParams&) {
  if (std::strcmp(backend, "arm_dsp") == 0) return {arm_dsp::kAddTableBytes, false};
  return {};
}

// AVERAGE_POOL_2D and SOFTMAX use no scratch in any backend.

}  // namespace tp::kernels
