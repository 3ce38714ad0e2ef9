// Backend "arm_mve" (Cortex-M55, Helium): optimized int8 kernels where the
// parameters fit them, the reference kernels otherwise.
#include "tinyperf/engine/kernels.h"
#include "../../reference/depthwise_column.h"

#if defined(__ARM_FEATURE_MVE)
#include "mve_kernels.h"
#define TP_MVE 1
#else
#define TP_MVE 0
#endif

namespace tp::kernels {

void conv2d_s8(const ConvParams& p, const int8_t* input, int8_t* output, const Scratch&) {
#if TP_MVE
  if (mve::conv2d(p, input, output)) return;
  if (mve::conv2d_generic(p, input, output)) return;  // other shapes (ic02)
#endif
  ref::conv2d_s8(p, input, output);
}

void depthwise_conv2d_s8(const DepthwiseConvParams& p, const int8_t* input, int8_t* output,
                         const Scratch&) {
#if TP_MVE
  if (mve::depthwise_conv2d(p, input, output)) return;
#endif
  if (ref::depthwise_column_s8(p, input, output)) return;  // Kx1 columns (sww01)
  ref::depthwise_conv2d_s8(p, input, output);
}

void fully_connected_s8(const FullyConnectedParams& p, const int8_t* input, int8_t* output,
                        const Scratch&) {
#if TP_MVE
  if (mve::fully_connected(p, input, output)) return;
#endif
  ref::fully_connected_s8(p, input, output);
}

void avg_pool2d_s8(const AvgPoolParams& p, const int8_t* input, int8_t* output, const Scratch&) {
#if TP_MVE
  if (mve::avg_pool2d(p, input, output)) return;
#endif
  ref::avg_pool2d_s8(p, input, output);
}

void add_s8(const AddParams& p, const int8_t* input1, const int8_t* input2, int8_t* output,
            const Scratch&) {
#if TP_MVE
  if (mve::add(p, input1, input2, output)) return;
#endif
  ref::add_s8(p, input1, input2, output);
}

void softmax_s8(const SoftmaxParams& p, const int8_t* input, int8_t* output, const Scratch&) {
  ref::softmax_s8(p, input, output);
}

}  // namespace tp::kernels
