// Fixed-point arithmetic of the TFLite int8 quantization specification.
//
// Q-format values are plain int32_t "raw" integers here: a value with I
// integer bits (Q I.(31-I)) represents raw / 2^(31-I). The functions follow
// the semantics TFLite's kernels use (gemmlowp-style fixed point): rounding
// doubling high multiply, round-to-nearest division by a power of two,
// saturating shifts, and the polynomial exp / reciprocal used by SOFTMAX.
// Every operation is integer only and bit-exact on every target.
#pragma once

#include <cstdint>

namespace tp::fixedpoint {

inline constexpr int32_t kInt32Min = -2147483647 - 1;
inline constexpr int32_t kInt32Max = 2147483647;

// Wrapping x * 2^shift (0 <= shift <= 31), defined for every x.
inline int32_t shift_left_wrapping(int32_t x, int shift) {
  return static_cast<int32_t>(static_cast<uint32_t>(x) << shift);
}

// round(a * b / 2^31) with ties toward +infinity (the nudge is +2^30 for a
// non-negative product and 1 - 2^30 for a negative one, then the division
// truncates: -0.5 becomes 0, +0.5 becomes 1), saturating the single overflow
// case a == b == INT32_MIN: gemmlowp's SaturatingRoundingDoublingHighMul as
// TFLite uses it, and what Arm's VQRDMULH computes (it adds 2^31 to 2ab and
// shifts arithmetically: the same ties toward +infinity).
inline int32_t saturating_rounding_doubling_high_mul(int32_t a, int32_t b) {
  if (a == kInt32Min && b == kInt32Min) return kInt32Max;
  const int64_t ab = static_cast<int64_t>(a) * static_cast<int64_t>(b);
  const int64_t nudge = ab >= 0 ? (int64_t{1} << 30) : (1 - (int64_t{1} << 30));
  // Division truncates toward zero (not an arithmetic shift).
  return static_cast<int32_t>((ab + nudge) / (int64_t{1} << 31));
}

// x / 2^exponent rounded to nearest, ties away from zero (0 <= exponent <= 31).
inline int32_t rounding_divide_by_pot(int32_t x, int exponent) {
  const int32_t mask = static_cast<int32_t>((int64_t{1} << exponent) - 1);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

// x * 2^exponent for exponent > 0, saturating to the int32 range.
inline int32_t saturating_left_shift(int32_t x, int exponent) {
  const int32_t threshold = static_cast<int32_t>((int64_t{1} << (31 - exponent)) - 1);
  if (x > threshold) return kInt32Max;
  if (x < -threshold) return kInt32Min;
  return shift_left_wrapping(x, exponent);
}

// TFLite MultiplyByQuantizedMultiplier (double rounding): x * multiplier *
// 2^shift / 2^31 with multiplier in [2^30, 2^31) (or 0).
inline int32_t multiply_by_quantized_multiplier(int32_t x, int32_t multiplier,
                                                int shift) {
  const int left_shift = shift > 0 ? shift : 0;
  const int right_shift = shift > 0 ? 0 : -shift;
  return rounding_divide_by_pot(
      saturating_rounding_doubling_high_mul(shift_left_wrapping(x, left_shift),
                                            multiplier),
      right_shift);
}

// TFLite MultiplyByQuantizedMultiplierSmallerThanOneExp (left_shift <= 0).
inline int32_t multiply_by_quantized_multiplier_smaller_than_one(
    int32_t x, int32_t multiplier, int left_shift) {
  return rounding_divide_by_pot(
      saturating_rounding_doubling_high_mul(x, multiplier), -left_shift);
}

// TFLite MultiplyByQuantizedMultiplierGreaterThanOne (left_shift >= 0).
inline int32_t multiply_by_quantized_multiplier_greater_than_one(
    int32_t x, int32_t multiplier, int left_shift) {
  return saturating_rounding_doubling_high_mul(
      shift_left_wrapping(x, left_shift), multiplier);
}

// (a + b) / 2 rounded to nearest, ties away from zero, without overflow.
inline int32_t rounding_half_sum(int32_t a, int32_t b) {
  const int64_t sum = static_cast<int64_t>(a) + static_cast<int64_t>(b);
  const int64_t sign = sum >= 0 ? 1 : -1;
  return static_cast<int32_t>((sum + sign) / 2);
}

inline int count_leading_zeros(uint32_t x) {
  if (x == 0) return 32;
#if defined(__GNUC__)
  return __builtin_clz(x);
#else
  int n = 0;
  while ((x & 0x80000000u) == 0) {
    x <<= 1;
    ++n;
  }
  return n;
#endif
}

// exp(a) for a in [-1/4, 0), a and result in Q0.31. Taylor expansion around
// -1/8 to the fourth order.
inline int32_t exp_on_interval_between_negative_one_quarter_and_0_excl(
    int32_t a) {
  constexpr int32_t kExpMinusOneEighth = 1895147668;  // exp(-1/8) in Q0.31
  constexpr int32_t kOneThird = 715827883;             // 1/3 in Q0.31
  const int32_t x = a + (int32_t{1} << 28);            // a + 1/8
  const int32_t x2 = saturating_rounding_doubling_high_mul(x, x);
  const int32_t x3 = saturating_rounding_doubling_high_mul(x2, x);
  const int32_t x4 = saturating_rounding_doubling_high_mul(x2, x2);
  const int32_t x4_over_4 = rounding_divide_by_pot(x4, 2);
  const int32_t x4_over_24_plus_x3_over_6_plus_x2_over_2 = rounding_divide_by_pot(
      saturating_rounding_doubling_high_mul(x4_over_4 + x3, kOneThird) + x2, 1);
  return kExpMinusOneEighth +
         saturating_rounding_doubling_high_mul(
             kExpMinusOneEighth, x + x4_over_24_plus_x3_over_6_plus_x2_over_2);
}

// exp(a) for a <= 0. a is a Q IntegerBits.(31-IntegerBits) value, the
// result is Q0.31. The input is split into a part in [-1/4, 0) handled by
// the polynomial and a multiple of 1/4 whose bits each multiply by a
// constant exp(-2^k).
template <int IntegerBits>
int32_t exp_on_negative_values(int32_t a) {
  static_assert(IntegerBits >= 0 && IntegerBits < 31, "bad IntegerBits");
  constexpr int kFractionalBits = 31 - IntegerBits;
  constexpr int32_t kOneQuarter = int32_t{1} << (kFractionalBits - 2);
  const int32_t mask = kOneQuarter - 1;
  const int32_t a_mod_quarter_minus_one_quarter = (a & mask) - kOneQuarter;
  // Rescale from IntegerBits to 0 integer bits (saturating left shift).
  const int32_t rescaled =
      IntegerBits == 0
          ? a_mod_quarter_minus_one_quarter
          : saturating_left_shift(a_mod_quarter_minus_one_quarter, IntegerBits);
  int32_t result = exp_on_interval_between_negative_one_quarter_and_0_excl(rescaled);
  const int32_t remainder = a_mod_quarter_minus_one_quarter - a;

  // exp(-2^k) in Q0.31 for k = -2 .. 4.
  struct Step {
    int exponent;
    int32_t multiplier;
  };
  constexpr Step kSteps[] = {{-2, 1672461947}, {-1, 1302514674}, {0, 790015084},
                             {1, 290630308},   {2, 39332535},    {3, 720401},
                             {4, 242}};
  for (const Step& s : kSteps) {
    if (IntegerBits > s.exponent) {
      const int shift = kFractionalBits + s.exponent;
      if (remainder & (int32_t{1} << shift)) {
        result = saturating_rounding_doubling_high_mul(result, s.multiplier);
      }
    }
  }
  if (IntegerBits > 5) {
    // Below -32 the result is 0.
    const int32_t clamp = -(int32_t{1} << (IntegerBits > 5 ? 36 - IntegerBits : 0));
    if (a < clamp) result = 0;
  }
  if (a == 0) result = kInt32Max;  // exp(0) = 1, the largest Q0.31 value
  return result;
}

// 1 / (1 + a) for a in [0, 1), a and result in Q0.31 (Newton-Raphson, three
// iterations from the 48/17 - 32/17 x start).
inline int32_t one_over_one_plus_x_for_x_in_0_1(int32_t a) {
  constexpr int32_t k48Over17 = 1515870810;      // Q2.29
  constexpr int32_t kNeg32Over17 = -1010580540;  // Q2.29
  constexpr int32_t kOneQ2 = int32_t{1} << 29;   // 1.0 in Q2.29
  const int32_t half_denominator = rounding_half_sum(a, kInt32Max);  // Q0.31
  int32_t x = k48Over17 +
              saturating_rounding_doubling_high_mul(half_denominator, kNeg32Over17);
  for (int i = 0; i < 3; ++i) {
    const int32_t half_denominator_times_x =
        saturating_rounding_doubling_high_mul(half_denominator, x);  // Q2.29
    const int32_t one_minus_half_denominator_times_x = kOneQ2 - half_denominator_times_x;
    // Q2.29 * Q2.29 = Q4.27, rescaled to Q2.29.
    x = x + saturating_left_shift(saturating_rounding_doubling_high_mul(
                                      x, one_minus_half_denominator_times_x),
                                  2);
  }
  // x approximates 2 / (1 + a) in Q2.29; halve it and rescale to Q0.31.
  return saturating_left_shift(x, 1);
}

// Reciprocal of a positive fixed-point value x with x_integer_digits integer
// bits: returns s in Q0.31 and num_bits_over_unit such that
// 1/x = s * 2^-num_bits_over_unit.
inline int32_t get_reciprocal(int32_t x, int x_integer_digits,
                              int* num_bits_over_unit) {
  const int headroom_plus_one = count_leading_zeros(static_cast<uint32_t>(x));
  *num_bits_over_unit = x_integer_digits - headroom_plus_one;
  const uint32_t shifted =
      headroom_plus_one >= 32 ? 0u : static_cast<uint32_t>(x) << headroom_plus_one;
  const int32_t shifted_sum_minus_one =
      static_cast<int32_t>(shifted - (uint32_t{1} << 31));
  return one_over_one_plus_x_for_x_in_0_1(shifted_sum_minus_one);
}

}  // namespace tp::fixedpoint
