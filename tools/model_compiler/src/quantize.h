// Set-up arithmetic of TFLite's int8 kernels, reproduced operation for
// operation (which values are float, which double, how they are rounded),
// because the requantization multipliers must be the very integers TFLite
// Micro derives for the results to be bit-exact.
#pragma once

#include <cstdint>

namespace tp::compiler {

// TFLite QuantizeMultiplier (double-rounding build, the TFLM default):
// m ~= q * 2^shift / 2^31 with q in [2^30, 2^31).
void quantize_multiplier(double m, int32_t* quantized, int* shift);

// QuantizeMultiplierSmallerThanOneExp / GreaterThanOne. Return false where
// TFLite's checks would abort (m outside the function's range).
bool quantize_multiplier_smaller_than_one_exp(double m, int32_t* quantized,
                                              int* left_shift);
bool quantize_multiplier_greater_than_one(double m, int32_t* quantized,
                                          int* left_shift);

// Per-channel effective scale of CONV_2D / DEPTHWISE_CONV_2D / per-channel
// FULLY_CONNECTED: double(input) * double(filter) / double(output).
double conv_effective_scale(float input_scale, float filter_scale,
                            float output_scale);

// Per-tensor FULLY_CONNECTED: the product input*filter is taken in float.
double fc_per_tensor_effective_scale(float input_scale, float filter_scale,
                                     float output_scale);

// TFLite PreprocessSoftmaxScaling + CalculateInputRadius for int8 softmax.
bool softmax_scaling(double beta, double input_scale, int input_integer_bits,
                     int32_t* multiplier, int* left_shift);
int softmax_input_radius(int input_integer_bits, int input_left_shift,
                         int total_signed_bits = 31);

// TFLite CalculateActivationRangeQuantized for an int8 output.
// activation: 0 NONE, 1 RELU, 2 RELU_N1_TO_1, 3 RELU6. Returns false for
// other activations or when quantizing a bound overflows.
bool int8_activation_range(int activation, float output_scale,
                           int32_t output_zero_point, int32_t* act_min,
                           int32_t* act_max);

}  // namespace tp::compiler
