// Optimized kernel variants of the arm_dsp backend. Each returns false when
// the parameters do not fit it (the dispatcher then runs the reference).
#pragma once

#include <cstdint>

#include "tinyperf/engine/kernels.h"

namespace tp::kernels::arm_dsp {

// The scratch by value where that measured fewer instructions (the copy
// stays in registers across the output stores), by reference for the
// depthwise kernel (passed on through dw_direct).
bool conv2d_gemm(const ConvParams& p, const int8_t* input, int8_t* output, Scratch scratch);
// CONV_2D with int16 weights (conv_layout.h) or few input channels
// (conv_smallk_layout.h) that conv2d_gemm refused: plain C++ over the
// layout (the reference's arithmetic).
void conv2d_int16_plain(const ConvParams& p, const int8_t* input, int8_t* output);
bool fully_connected(const FullyConnectedParams& p, const int8_t* input, int8_t* output, Scratch scratch);
// FULLY_CONNECTED with row-pair weights (fc_layout.h) that fully_connected
// refused: plain C++ over the layout (the reference's arithmetic).
void fully_connected_row_pairs_plain(const FullyConnectedParams& p, const int8_t* input, int8_t* output);
bool add(const AddParams& p, const int8_t* input1, const int8_t* input2, int8_t* output, Scratch scratch);
bool avg_pool(const AvgPoolParams& p, const int8_t* input, int8_t* output);
// DEPTHWISE_CONV_2D Kx1 over a column (W = 1, stride 1, no padding, depth
// multiplier 1): sww01's layers. depthwise.cc.
bool depthwise_column(const DepthwiseConvParams& p, const int8_t* input, int8_t* output,
                      const Scratch& scratch);
bool depthwise_conv2d_3x3(const DepthwiseConvParams& p, const int8_t* input, int8_t* output,
                          const Scratch& scratch);

}  // namespace tp::kernels::arm_dsp
