// GEMM + requantization microkernel shared by the convolution kernels of the
// arm_dsp backend (assembly in gemm_m4.S, portable twin in gemm.cc).
#pragma once

#include <cstdint>

#include "dsp.h"
#include "tinyperf/engine/kernels.h"

namespace tp::kernels::arm_dsp {

// Field order is the assembly's frame layout: do not reorder.
struct GemmArgs {
  const int32_t* mult;      // per-channel multipliers (advanced per channel)
  const int32_t* shift;     // per-channel shifts (<= 0)
  int8_t* out;              // output byte of pixel 0, first channel
  int32_t zpc;              // fold: 2 * zp + 1; no fold: 1
  int32_t stride;           // bytes between the outputs of consecutive pixels
  int32_t stride3;          // 3 * stride
  const int32_t* mult_end;  // mult + number of channels
  const int32_t* bias;      // per-channel bias (doubled by the kernel if dbl)
  const int16_t* xbuf;      // activations, [steps][P][8] halfwords (see gemm_m4.S)
  uint32_t entry;           // used by the kernel
  const int8_t* w;          // weight rows of 8 * steps bytes, 4-byte aligned
  int32_t steps;            // K / 8 (>= 1)
  int32_t zp;               // output zero point (used when !fold)
};

// Requantization flavour of a layer (see gemm_m4.S).
struct GemmMode {
  bool dbl;   // activations are stored doubled: acc is 2 * the real sum
  bool corr;  // exact rounding of negative values needed (zp > -128)
  bool fold;  // zero point folded into the rounding constant (all e <= 22)
};

// Runs the microkernel for P (1..4) pixels over all channels.
void gemm_run(int P, const GemmMode& mode, GemmArgs& args);
// The same over int16 weights (conv_layout.h; args.w their bytes), P = 1 or 4.
void gemm16_run(int P, const GemmMode& mode, GemmArgs& args);

// Layer-level checks shared by every user of the microkernel (the GEMM
// itself also needs rq.per_channel): requantization whose multipliers are 0 or >= 2^30, shifts in [-31, 0],
// the full int8 activation range, and accumulator bounds (bias + K * 255 *
// 128) that keep every intermediate of the requantization in int32. Fills
// `mode` (dbl = doubling allowed).
bool gemm_mode_for(const Requant& rq, const int32_t* bias, int32_t channels,
                   int32_t k, GemmMode* mode);

// OR over i of (p[i] ^ (p[i] >> 31)): a cheap bound, |p[i]| <= result + 1.
uint32_t abs_or(const int32_t* p, int32_t n);

// Halfword offset of value k inside a pixel's [steps][P][8] column.
inline int32_t gemm_x_index(int32_t k, int32_t P, int32_t pixel) {
  static constexpr int8_t kLane[8] = {0, 2, 1, 3, 4, 6, 5, 7};
  return ((k >> 3) * P + pixel) * 8 + kLane[k & 7];
}

}  // namespace tp::kernels::arm_dsp
