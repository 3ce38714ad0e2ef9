// SOFTMAX, int8 in, int8 out (scale 1/256, zero point -128). Reference
// implementation of TFLite's quantized softmax: differences to the row
// maximum are scaled by beta * input_scale into Q5.26, exponentiated in
// fixed point, summed in Q12.19, and multiplied by the fixed-point
// reciprocal of the sum.
#include "requant.h"

// On Arm this file is compiled at -Os: its -O3 code (the fixed-point
// helpers inlined twice) was 1.4 KB on the M4, where the SparkFun Edge's
// newlib image has ~150 B to spare; at -Os 370 B, and per inference the
// same instructions within a few hundred. (Not on the ARC EM, whose -Os
// code calls libgcc's millicode prologues, which its -nostdlib image does
// not link.)
#if defined(__arm__)
#pragma GCC optimize("Os")
#endif

namespace tp::kernels::ref {
namespace {

// exp of a difference to the row maximum (<= 0), scaled into Q5.26; one
// copy for both passes (flash: the SparkFun Edge's newlib image).
[[gnu::noinline]] int32_t scaled_exp(const SoftmaxParams& p, int32_t diff) {
  using namespace tp::fixedpoint;
  return exp_on_negative_values<5>(
      multiply_by_quantized_multiplier_greater_than_one(diff, p.input_multiplier, p.input_left_shift));
}

}  // namespace

void softmax_s8(const SoftmaxParams& p, const int8_t* input, int8_t* output) {
  using namespace tp::fixedpoint;
  constexpr int kAccumulationIntegerBits = 12;
  for (int32_t row = 0; row < p.outer_size; ++row) {
    const int8_t* in = input + row * p.depth;
    int8_t* out = output + row * p.depth;
    int32_t max_in_row = -128;
    for (int32_t c = 0; c < p.depth; ++c) {
      if (in[c] > max_in_row) max_in_row = in[c];
    }

    // The exponentials of rows up to kKeep wide are kept for the second
    // pass (the same values TFLite computes twice).
    constexpr int32_t kKeep = 32;
    int32_t kept[kKeep];
    const bool keep = p.depth <= kKeep;
    int32_t sum_of_exps = 0;  // Q12.19
    for (int32_t c = 0; c < p.depth; ++c) {
      const int32_t diff = in[c] - max_in_row;
      if (diff >= p.diff_min) {
        const int32_t e = scaled_exp(p, diff);
        if (keep) kept[c] = e;
        sum_of_exps += rounding_divide_by_pot(e, kAccumulationIntegerBits);
      }
    }

    int num_bits_over_unit = 0;
    const int32_t shifted_scale =
        get_reciprocal(sum_of_exps, kAccumulationIntegerBits, &num_bits_over_unit);
    const int exponent = num_bits_over_unit + 31 - 8;

    for (int32_t c = 0; c < p.depth; ++c) {
      const int32_t diff = in[c] - max_in_row;
      if (diff >= p.diff_min) {
        const int32_t e = keep ? kept[c] : scaled_exp(p, diff);
        const int32_t unsat = rounding_divide_by_pot(
            saturating_rounding_doubling_high_mul(shifted_scale, e), exponent);
        out[c] = static_cast<int8_t>(detail::clamp(unsat - 128, -128, 127));
      } else {
        out[c] = -128;
      }
    }
  }
}

}  // namespace tp::kernels::ref
