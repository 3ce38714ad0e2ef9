// CONV_2D over few input channels (conv_smallk_layout.h) on Cortex-M4.
#pragma once

#include <cstddef>
#include <cstdint>

#include "tinyperf/engine/kernels.h"

namespace tp::kernels::arm_dsp {

// The fast path for filter_layout kConvSmallK; false when p does not fit it
// (then conv2d_smallk_plain runs the layer).
bool conv2d_smallk(const ConvParams& p, const int8_t* input, int8_t* output, Scratch scratch);
void conv2d_smallk_plain(const ConvParams& p, const int8_t* input, int8_t* output);

}  // namespace tp::kernels::arm_dsp
