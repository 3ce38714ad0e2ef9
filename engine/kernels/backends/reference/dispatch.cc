// Backend "reference": every entry point runs the reference kernel.
//
// An optimized backend (engine/kernels/backends/<name>/dispatch.cc, selected
// with -DTP_KERNEL_BACKEND=<name>) defines the same functions and routes
// each call to its own variant when the parameters fit it, else to ref::.
#include "tinyperf/engine/kernels.h"

namespace tp::kernels {

void conv2d_s8(const ConvParams& p, const int8_t* input, int8_t* output, const Scratch&) {
  ref::conv2d_s8(p, input, output);
}

void depthwise_conv2d_s8(const DepthwiseConvParams& p, const int8_t* input, int8_t* output,
                         const Scratch&) {
  ref::depthwise_conv2d_s8(p, input, output);
}

void fully_connected_s8(const FullyConnectedParams& p, const int8_t* input, int8_t* output,
                        const Scratch&) {
  ref::fully_connected_s8(p, input, output);
}

void avg_pool2d_s8(const AvgPoolParams& p, const int8_t* input, int8_t* output, const Scratch&) {
  ref::avg_pool2d_s8(p, input, output);
}

void add_s8(const AddParams& p, const int8_t* input1, const int8_t* input2, int8_t* output,
            const Scratch&) {
  ref::add_s8(p, input1, input2, output);
}

void softmax_s8(const SoftmaxParams& p, const int8_t* input, int8_t* output, const Scratch&) {
  ref::softmax_s8(p, input, output);
}

}  // namespace tp::kernels
