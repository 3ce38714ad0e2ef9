// The arm_dsp backend's one static scratch buffer, shared by all kernels
// (layers run one at a time). Its size is what backend_scratch_bytes()
// reports; kernels size their blocking to it and fall back otherwise.
#pragma once

#include <cstddef>
#include <cstdint>

#ifndef TP_ARM_DSP_SCRATCH_BYTES
#define TP_ARM_DSP_SCRATCH_BYTES 2304
#endif

namespace tp::kernels::arm_dsp {

inline constexpr std::size_t kScratchBytes = TP_ARM_DSP_SCRATCH_BYTES;
static_assert(kScratchBytes % 16 == 0, "scratch size must be a multiple of 16");

// 8-byte aligned (LDRD/LDM on the halfword activations).
extern int16_t g_scratch[kScratchBytes / 2];

}  // namespace tp::kernels::arm_dsp
