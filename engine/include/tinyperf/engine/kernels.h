// int8 kernels of the tinyperf engine: parameter structs and entry points.
//
// Every operator has one parameter struct, filled in ahead of time by the
// model compiler (tools/model_compiler) and stored as constant data next to
// the weights, and one function taking that struct plus the activation
// pointers. Kernels allocate nothing, keep no state and never fail: the
// compiler has validated everything before emitting a call.
//
// Two namespaces carry the same functions:
//   tp::kernels::ref  the reference implementations (engine/kernels/reference),
//                     always compiled and callable, the definition of correct
//                     results (bit-exact with TensorFlow Lite Micro's reference
//                     kernels);
//   tp::kernels       the entry points generated code calls, with the layer's
//                     scratch (Scratch). They forward to the backend chosen at
//                     build time with the CMake variable TP_KERNEL_BACKEND
//                     (engine/kernels/backends/<backend>/dispatch.cc).
//                     A backend may route a call to an optimized variant when
//                     the parameters allow it and to ref:: otherwise.
//
// Outputs never overlap inputs, except ADD's output exactly over an input,
// and a whole call whose backend declares it safe (scratch_need.h
// ScratchNeed::alias_step: the model compiler plans those and check_program
// holds every call to it).
//
// Conventions (TFLite int8 quantization specification):
//   real = scale * (q - zero_point); activations are asymmetric int8, weights
//   symmetric int8 (zero point 0), biases int32 with scale
//   input_scale * filter_scale. Offsets below are stored the way the
//   arithmetic uses them: input_offset = -input zero point, output_offset =
//   +output zero point. Shifts follow TFLite: shift > 0 is a left shift,
//   shift < 0 a rounding right shift (see fixed_point.h).
#pragma once

#include <cstddef>
#include <cstdint>

namespace tp::kernels {

// Tensor shape in NHWC order (filters: see each struct).
struct Shape4 {
  int32_t n;
  int32_t h;
  int32_t w;
  int32_t c;
};

// Requantization of an int32 accumulator to the int8 output:
// out = clamp(MultiplyByQuantizedMultiplier(acc, multiplier[k], shift[k])
//             + output_offset, act_min, act_max)
// with k = output channel when per_channel != 0, else k = 0.
struct Requant {
  const int32_t* multiplier;
  const int32_t* shift;
  int32_t output_offset;  // output zero point
  int32_t act_min;        // clamp range, fused activation included
  int32_t act_max;
  uint8_t per_channel;
};

// CONV_2D. filter is OHWI: filter.n = output channels, filter.h/w = kernel
// size, filter.c = input channels per group (input.c / filter.c groups).
struct ConvParams {
  Shape4 input;
  Shape4 filter;
  Shape4 output;
  int32_t input_offset;  // -input zero point
  int16_t stride_h;
  int16_t stride_w;
  int16_t dilation_h;
  int16_t dilation_w;
  int16_t pad_h;  // top padding (bottom follows from the output size)
  int16_t pad_w;  // left padding
  const int8_t* filter_data;
  const int32_t* bias;  // output.c entries, or nullptr
  Requant requant;
  // bias[c] + input_offset * (sum of every filter tap of output channel c):
  // the accumulator's start value for an output whose window lies wholly
  // inside the input (no padding), so that the kernel can multiply raw int8
  // inputs. output.c entries, never nullptr. (Optimized kernels use it; the
  // reference kernels follow TFLite's formula literally.)
  const int32_t* folded_bias;
  // 0: filter_data as above. Otherwise a layout of the backend the model was
  // compiled for, which only that backend's kernels read (arm_dsp: 1 = int16
  // weights of 1x1 convolutions, arm_dsp/conv_layout.h).
  int32_t filter_layout;
};

// DEPTHWISE_CONV_2D. filter is 1HWC with C = input.c * depth_multiplier;
// output channel oc = ic * depth_multiplier + m.
struct DepthwiseConvParams {
  Shape4 input;
  Shape4 filter;
  Shape4 output;
  int32_t input_offset;
  int16_t stride_h;
  int16_t stride_w;
  int16_t dilation_h;
  int16_t dilation_w;
  int16_t pad_h;
  int16_t pad_w;
  int16_t depth_multiplier;
  const int8_t* filter_data;
  const int32_t* bias;  // output.c entries, or nullptr
  Requant requant;
  // As ConvParams::folded_bias: bias[c] + input_offset * sum of channel c's
  // filter taps, for windows wholly inside the input. output.c entries.
  const int32_t* folded_bias;
};

// FULLY_CONNECTED. filter is [output_depth][input_depth] (row-major).
// The input zero point is folded into the bias ahead of time:
//   folded_bias[o] = bias[o] - input_zero_point * sum_i filter[o][i]
// so acc = folded_bias[o] + sum_i filter[o][i] * input[i], which equals
// TFLite's sum_i filter * (input + input_offset) + bias exactly.
struct FullyConnectedParams {
  int32_t batches;
  int32_t input_depth;
  int32_t output_depth;
  const int8_t* filter_data;
  const int32_t* folded_bias;  // output_depth entries (never nullptr)
  Requant requant;
  // 0: filter_data as above. Otherwise a layout of the backend the model was
  // compiled for (the compiler's --backend), which only that backend's
  // kernels read (arm_dsp: 1 = its row pairs, arm_dsp/fc_layout.h).
  int32_t filter_layout;
};

// AVERAGE_POOL_2D (input and output share scale and zero point).
struct AvgPoolParams {
  Shape4 input;
  Shape4 output;
  int16_t filter_h;
  int16_t filter_w;
  int16_t stride_h;
  int16_t stride_w;
  int16_t pad_h;
  int16_t pad_w;
  int32_t act_min;
  int32_t act_max;
};

// ADD of two tensors of the same shape (no broadcasting).
struct AddParams {
  int32_t size;  // elements
  int32_t input1_offset;
  int32_t input2_offset;
  int32_t left_shift;
  int32_t input1_multiplier;
  int32_t input1_shift;  // <= 0
  int32_t input2_multiplier;
  int32_t input2_shift;  // <= 0
  int32_t output_multiplier;
  int32_t output_shift;  // <= 0
  int32_t output_offset;
  int32_t act_min;
  int32_t act_max;
};

// SOFTMAX over the last dimension; int8 output with scale 1/256, zero
// point -128.
struct SoftmaxParams {
  int32_t outer_size;
  int32_t depth;
  int32_t input_multiplier;
  int32_t input_left_shift;
  int32_t diff_min;
};

// Scratch memory for one kernel call: the arena range the model compiler
// planned for the layer (each backend folder's scratch_need.h says how much
// its kernels want), or {nullptr, 0}. The generated code passes it with every
// call. Kernels use at most `bytes` from `data` (16-byte aligned) and fall
// back to slower paths with less; they keep nothing in it between calls.
struct Scratch {
  void* data = nullptr;
  std::size_t bytes = 0;
};

// Reference implementations.
namespace ref {
void conv2d_s8(const ConvParams& p, const int8_t* input, int8_t* output);
void depthwise_conv2d_s8(const DepthwiseConvParams& p, const int8_t* input,
                         int8_t* output);
void fully_connected_s8(const FullyConnectedParams& p, const int8_t* input,
                        int8_t* output);
void avg_pool2d_s8(const AvgPoolParams& p, const int8_t* input,
                   int8_t* output);
void add_s8(const AddParams& p, const int8_t* input1, const int8_t* input2,
            int8_t* output);
void softmax_s8(const SoftmaxParams& p, const int8_t* input, int8_t* output);
}  // namespace ref

// Entry points used by generated code (backend chosen at build time).
void conv2d_s8(const ConvParams& p, const int8_t* input, int8_t* output, const Scratch& scratch);
void depthwise_conv2d_s8(const DepthwiseConvParams& p, const int8_t* input, int8_t* output,
                         const Scratch& scratch);
void fully_connected_s8(const FullyConnectedParams& p, const int8_t* input, int8_t* output,
                        const Scratch& scratch);
void avg_pool2d_s8(const AvgPoolParams& p, const int8_t* input, int8_t* output, const Scratch& scratch);
void add_s8(const AddParams& p, const int8_t* input1, const int8_t* input2, int8_t* output,
            const Scratch& scratch);
void softmax_s8(const SoftmaxParams& p, const int8_t* input, int8_t* output, const Scratch& scratch);

}  // namespace tp::kernels
