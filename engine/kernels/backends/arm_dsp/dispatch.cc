// Backend "arm_dsp" (Cortex-M4, Armv7E-M DSP extension): each entry point
// runs an optimized variant when the parameters fit it, else the reference
// (see README.md here for the kernels and their tests).
#include "conv.h"
#include "scratch.h"
#include "tinyperf/engine/kernels.h"

// TP_ARM_DSP_STATS (tests only): count calls served by optimized variants.
#ifdef TP_ARM_DSP_STATS
extern "C" {
int tp_arm_dsp_fast_calls[10];  // 8: planar column kernel (dw_column.cc)
}
#define TP_FAST(op) (++tp_arm_dsp_fast_calls[op], true)
#else
#define TP_FAST(op) true
#endif

namespace tp::kernels {

void conv2d_s8(const ConvParams& p, const int8_t* input, int8_t* output, const Scratch& scratch) {
  if (arm_dsp::conv2d_gemm(p, input, output, scratch) && TP_FAST(0)) return;
  if (p.filter_layout != 0) {  // arm_dsp's int16 weights (the compiler wrote them for this backend)
    arm_dsp::conv2d_int16_plain(p, input, output);
    return;
  }
  ref::conv2d_s8(p, input, output);
}

void depthwise_conv2d_s8(const DepthwiseConvParams& p, const int8_t* input, int8_t* output,
                         const Scratch& scratch) {
  if (arm_dsp::depthwise_conv2d_3x3(p, input, output, scratch) && TP_FAST(1)) return;
  if (arm_dsp::depthwise_column(p, input, output, scratch) && TP_FAST(5)) return;  // Kx1 columns (sww01)
  ref::depthwise_conv2d_s8(p, input, output);
}

void fully_connected_s8(const FullyConnectedParams& p, const int8_t* input, int8_t* output,
                        const Scratch& scratch) {
  if (arm_dsp::fully_connected(p, input, output, scratch) && TP_FAST(2)) return;
  if (p.filter_layout != 0) {  // arm_dsp's row pairs (the compiler wrote them for this backend)
    arm_dsp::fully_connected_row_pairs_plain(p, input, output);
    return;
  }
  ref::fully_connected_s8(p, input, output);
}

void avg_pool2d_s8(const AvgPoolParams& p, const int8_t* input, int8_t* output, const Scratch&) {
  if (arm_dsp::avg_pool(p, input, output) && TP_FAST(3)) return;
  ref::avg_pool2d_s8(p, input, output);
}

void add_s8(const AddParams& p, const int8_t* input1, const int8_t* input2, int8_t* output,
            const Scratch& scratch) {
  if (arm_dsp::add(p, input1, input2, output, scratch) && TP_FAST(4)) return;
  ref::add_s8(p, input1, input2, output);
}

void softmax_s8(const SoftmaxParams& p, const int8_t* input, int8_t* output, const Scratch&) {
  ref::softmax_s8(p, input, output);
}

}  // namespace tp::kernels
