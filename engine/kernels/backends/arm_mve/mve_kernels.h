// Optimized kernels of the arm_mve backend. Each returns false (having
// written nothing) when the parameters do not fit it; the dispatcher then
// runs the reference kernel.
#pragma once

#include <cstdint>

#include "tinyperf/engine/kernels.h"

namespace tp::kernels::mve {

bool conv2d(const ConvParams& p, const int8_t* input, int8_t* output);
bool depthwise_conv2d(const DepthwiseConvParams& p, const int8_t* input, int8_t* output);

}  // namespace tp::kernels::mve
