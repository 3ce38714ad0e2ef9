// Backend "arm_mve" (Cortex-M55, Helium): optimized int8 kernels where the
// parameters fit them, the reference kernels otherwise.
#include "tinyperf/engine/kernels.h"
#include "../../reference/depthwise_column.h"
#include "conv_layout.h"

#if defined(__ARM_FEATURE_MVE)
#include "mve_kernels.h"
#define TP_MVE 1
#else
#define TP_MVE 0
#endif

// TP_MVE_STATS (tests only): count the calls served by a Helium kernel, per
// op: [0] conv, [1] depthwise, [2] fully connected, [3] pool, [4] add.
// The other entries count paths inside the kernels (conv.cc, depthwise.cc,
// dw_column.cc).
#ifdef TP_MVE_STATS
extern "C" {
int tp_mve_fast_calls[40];
}
#define TP_MVE_FAST(op) (++tp_mve_fast_calls[op], true)
#else
#define TP_MVE_FAST(op) true
#endif

namespace tp::kernels {

void conv2d_s8(const ConvParams& p, const int8_t* input, int8_t* output, const Scratch& scratch) {
#if TP_MVE
  if (mve::conv2d(p, input, output, scratch) && TP_MVE_FAST(0)) return;
#endif
  if (p.filter_layout != 0) {  // the 8-channel blocks (the compiler wrote them for this backend)
    arm_mve::conv2d_block8_plain(p, input, output);
    return;
  }
#if TP_MVE
  // Other shapes (ic02's 3x3 over 40/80/160 channels): the generic Helium
  // path, its window column in the same scratch (conv_generic.cc).
  if (mve::conv2d_generic(p, input, output, scratch) && TP_MVE_FAST(0)) return;
#else
  (void)scratch;
#endif
  ref::conv2d_s8(p, input, output);
}

void depthwise_conv2d_s8(const DepthwiseConvParams& p, const int8_t* input, int8_t* output,
                         const Scratch& scratch) {
#if TP_MVE
  if (mve::depthwise_conv2d(p, input, output, scratch) && TP_MVE_FAST(1)) return;
  // Other shapes (sww01's Kx1 columns, ...): channels in lanes (dw_column.cc).
  if (mve::depthwise_lanes(p, input, output, scratch) && TP_MVE_FAST(1)) return;
#else
  (void)scratch;
#endif
  if (ref::depthwise_column_s8(p, input, output)) return;  // Kx1 columns (sww01)
  ref::depthwise_conv2d_s8(p, input, output);
}

void fully_connected_s8(const FullyConnectedParams& p, const int8_t* input, int8_t* output,
                        const Scratch&) {
#if TP_MVE
  if (mve::fully_connected(p, input, output) && TP_MVE_FAST(2)) return;
#endif
  ref::fully_connected_s8(p, input, output);
}

void avg_pool2d_s8(const AvgPoolParams& p, const int8_t* input, int8_t* output, const Scratch&) {
#if TP_MVE
  if (mve::avg_pool2d(p, input, output) && TP_MVE_FAST(3)) return;
#endif
  ref::avg_pool2d_s8(p, input, output);
}

void add_s8(const AddParams& p, const int8_t* input1, const int8_t* input2, int8_t* output,
            const Scratch&) {
#if TP_MVE
  if (mve::add(p, input1, input2, output) && TP_MVE_FAST(4)) return;
#endif
  ref::add_s8(p, input1, input2, output);
}

void softmax_s8(const SoftmaxParams& p, const int8_t* input, int8_t* output, const Scratch&) {
  ref::softmax_s8(p, input, output);
}

}  // namespace tp::kernels
