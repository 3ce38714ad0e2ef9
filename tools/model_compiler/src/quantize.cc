#include "quantize.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace tp::compiler {

void quantize_multiplier(double m, int32_t* quantized, int* shift) {
  if (m == 0.0) {
    *quantized = 0;
    *shift = 0;
    return;
  }
  const double q = std::frexp(m, shift);  // m = q * 2^shift, |q| in [0.5, 1)
  auto q_fixed = static_cast<int64_t>(std::round(q * static_cast<double>(int64_t{1} << 31)));
  if (q_fixed == (int64_t{1} << 31)) {  // q rounded up to 1.0
    q_fixed /= 2;
    ++*shift;
  }
  if (*shift < -31) {  // flush multipliers below 2^-31 to zero
    *shift = 0;
    q_fixed = 0;
  }
  *quantized = static_cast<int32_t>(q_fixed);
}

bool quantize_multiplier_smaller_than_one_exp(double m, int32_t* quantized,
                                              int* left_shift) {
  if (!(m < 1.0) || !(m > 0.0)) return false;
  int shift = 0;
  quantize_multiplier(m, quantized, &shift);
  if (shift > 0) return false;
  *left_shift = shift;
  return true;
}

bool quantize_multiplier_greater_than_one(double m, int32_t* quantized,
                                          int* left_shift) {
  if (!(m > 1.0)) return false;
  quantize_multiplier(m, quantized, left_shift);
  return *left_shift >= 0;
}

double conv_effective_scale(float input_scale, float filter_scale,
                            float output_scale) {
  return static_cast<double>(input_scale) * static_cast<double>(filter_scale) /
         static_cast<double>(output_scale);
}

double fc_per_tensor_effective_scale(float input_scale, float filter_scale,
                                     float output_scale) {
  const float product = input_scale * filter_scale;  // float multiply
  return static_cast<double>(product) / static_cast<double>(output_scale);
}

bool softmax_scaling(double beta, double input_scale, int input_integer_bits,
                     int32_t* multiplier, int* left_shift) {
  const double max_real_multiplier = static_cast<double>((int64_t{1} << 31) - 1);
  const double real = std::min<double>(
      beta * input_scale * static_cast<double>(1 << (31 - input_integer_bits)),
      max_real_multiplier);
  return quantize_multiplier_greater_than_one(real, multiplier, left_shift);
}

int softmax_input_radius(int input_integer_bits, int input_left_shift,
                         int total_signed_bits) {
  const double max_input_rescaled =
      1.0 * ((1 << input_integer_bits) - 1) *
      static_cast<double>(int64_t{1} << (total_signed_bits - input_integer_bits)) /
      static_cast<double>(int64_t{1} << input_left_shift);
  return static_cast<int>(std::floor(max_input_rescaled));
}

namespace {

// TFLite's Quantize() helper of the activation range: float division,
// rounded half away from zero in float.
bool quantize_bound(float scale, int32_t zero_point, float f, int32_t* q) {
  const float tmp = std::round(f / scale);
  if (!(tmp >= static_cast<float>(std::numeric_limits<int32_t>::min()) &&
        tmp <= static_cast<float>(std::numeric_limits<int32_t>::max()))) {
    return false;
  }
  *q = zero_point + static_cast<int32_t>(tmp);
  return true;
}

}  // namespace

bool int8_activation_range(int activation, float output_scale,
                           int32_t output_zero_point, int32_t* act_min,
                           int32_t* act_max) {
  const int32_t qmin = -128;
  const int32_t qmax = 127;
  int32_t q = 0;
  switch (activation) {
    case 0:  // NONE
      *act_min = qmin;
      *act_max = qmax;
      return true;
    case 1:  // RELU
      if (!quantize_bound(output_scale, output_zero_point, 0.0f, &q)) return false;
      *act_min = std::max(qmin, q);
      *act_max = qmax;
      return true;
    case 2:  // RELU_N1_TO_1
      if (!quantize_bound(output_scale, output_zero_point, -1.0f, &q)) return false;
      *act_min = std::max(qmin, q);
      if (!quantize_bound(output_scale, output_zero_point, 1.0f, &q)) return false;
      *act_max = std::min(qmax, q);
      return true;
    case 3:  // RELU6
      if (!quantize_bound(output_scale, output_zero_point, 0.0f, &q)) return false;
      *act_min = std::max(qmin, q);
      if (!quantize_bound(output_scale, output_zero_point, 6.0f, &q)) return false;
      *act_max = std::min(qmax, q);
      return true;
    default:
      return false;
  }
}

}  // namespace tp::compiler
