// Optimized kernels of the arm_mve backend. Each returns false (having
// written nothing) when the parameters do not fit it; the dispatcher then
// runs the reference kernel.
#pragma once

#include <cstdint>

#include "tinyperf/engine/kernels.h"

namespace tp::kernels::mve {

// Argument blocks of the generated assembly kernels (gen_gemm_asm.py).
struct GemmArgs;
struct DwArgs;
struct FcArgs;
struct AddArgs;
struct Fc8Args;
struct Fc8pArgs;
struct DwlArgs;
struct DwrArgs;

// conv2d and depthwise_conv2d keep their buffers in `scratch` (sized by
// scratch_need.h) and return false with less than they need.
bool conv2d(const ConvParams& p, const int8_t* input, int8_t* output, const Scratch& scratch);
bool depthwise_conv2d(const DepthwiseConvParams& p, const int8_t* input, int8_t* output,
                      const Scratch& scratch);
// Any other depthwise shape of depth multiplier 1, channels in vector lanes
// (dw_column.cc: Kx1 columns without scratch, others with a tap list in
// `scratch`, false with less).
bool depthwise_lanes(const DepthwiseConvParams& p, const int8_t* input, int8_t* output,
                     const Scratch& scratch);
// Any ungrouped CONV_2D of at most kGenericMaxTaps taps (conv_generic.cc):
// the fallback for shapes conv2d does not take; its window column (K bytes)
// in `scratch`, false with less.
inline constexpr int32_t kGenericMaxTaps = 1536;
bool conv2d_generic(const ConvParams& p, const int8_t* input, int8_t* output, const Scratch& scratch);
bool fully_connected(const FullyConnectedParams& p, const int8_t* input, int8_t* output);
// fully_connected without its checks (n_out, K >= 1, every shift <= 0).
void fully_connected_run(const FullyConnectedParams& p, const int8_t* input, int8_t* output);
// `groups` groups of 4 outputs of one input vector (K >= 1 bytes, weight rows
// K apart), requantized to the whole int8 range (shifts <= 0; rq_stride 16:
// 4 multipliers / shifts per group, 0: the same 4 for every group): the last
// pixel of an odd run of 1x1 / im2col GEMM rows (conv.cc).
void fc_groups(const int8_t* in, int32_t k, const int8_t* w, int8_t* out, int32_t groups,
               const int32_t* bias, const int32_t* mult, const int32_t* shift, int32_t rq_stride,
               int32_t out_offset);
// The first 8 * (c_out / 8) outputs of the same by the 8-output kernels
// (tp_mve_fc8p_*: K 64, 128 or 256, rows 4-aligned; `variant` the fixup
// variant, mve_util.h fixup_variant). Returns how many outputs it wrote (0
// when the shape does not fit them); fc_groups does the rest.
int32_t fc_groups8(const int8_t* in, int32_t k, const int8_t* w, int8_t* out, int32_t c_out,
                   const int32_t* bias, const int32_t* mult, const int32_t* shift,
                   int32_t rq_stride, int32_t out_offset, int variant);
bool avg_pool2d(const AvgPoolParams& p, const int8_t* input, int8_t* output);
bool add(const AddParams& p, const int8_t* input1, const int8_t* input2, int8_t* output);

}  // namespace tp::kernels::mve
