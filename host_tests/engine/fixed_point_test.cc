// Fixed-point helpers: rounding, saturation and the softmax math.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>

#include "tinyperf/engine/fixed_point.h"

namespace {

using namespace tp::fixedpoint;

// Exact reference for the rounding doubling high multiply: round(a*b/2^31)
// with halves rounded up (toward +infinity), computed in 128-bit.
int32_t srdhm_reference(int32_t a, int32_t b) {
  const __int128 ab2 = static_cast<__int128>(a) * b * 2;  // a*b/2^31 = ab2/2^32
  const __int128 r = (ab2 + (static_cast<__int128>(1) << 31)) >> 32;  // floor(x + 1/2)
  if (r > std::numeric_limits<int32_t>::max()) return std::numeric_limits<int32_t>::max();
  return static_cast<int32_t>(r);
}

TEST(FixedPoint, SaturatingRoundingDoublingHighMulEdges) {
  EXPECT_EQ(saturating_rounding_doubling_high_mul(kInt32Min, kInt32Min), kInt32Max);
  EXPECT_EQ(saturating_rounding_doubling_high_mul(kInt32Min, kInt32Max), -kInt32Max);
  EXPECT_EQ(saturating_rounding_doubling_high_mul(kInt32Max, kInt32Max), kInt32Max - 1);
  EXPECT_EQ(saturating_rounding_doubling_high_mul(0, kInt32Min), 0);
  // Multiplying by 0.5 (2^30): halves round up, also for negative values.
  EXPECT_EQ(saturating_rounding_doubling_high_mul(3, 1 << 30), 2);
  EXPECT_EQ(saturating_rounding_doubling_high_mul(-3, 1 << 30), -1);
  EXPECT_EQ(saturating_rounding_doubling_high_mul(1, 1 << 30), 1);
  EXPECT_EQ(saturating_rounding_doubling_high_mul(-1, 1 << 30), 0);
  EXPECT_EQ(saturating_rounding_doubling_high_mul(-5, 1 << 30), -2);
}

TEST(FixedPoint, SaturatingRoundingDoublingHighMulMatchesReference) {
  uint64_t state = 0x9E3779B97F4A7C15ull;
  auto next = [&] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return static_cast<int32_t>(static_cast<uint32_t>(state));
  };
  for (int i = 0; i < 200000; ++i) {
    int32_t a = next(), b = next();
    if (i % 4 == 1) a >>= (i % 31);  // small magnitudes too
    if (i % 4 == 2) b = (b & 0x7fffffff) | 0x40000000;  // typical multipliers
    ASSERT_EQ(saturating_rounding_doubling_high_mul(a, b), srdhm_reference(a, b)) << a << " " << b;
  }
}

TEST(FixedPoint, RoundingDivideByPotRoundsHalfAwayFromZero) {
  EXPECT_EQ(rounding_divide_by_pot(3, 1), 2);
  EXPECT_EQ(rounding_divide_by_pot(-3, 1), -2);
  EXPECT_EQ(rounding_divide_by_pot(5, 2), 1);   // 1.25
  EXPECT_EQ(rounding_divide_by_pot(6, 2), 2);   // 1.5
  EXPECT_EQ(rounding_divide_by_pot(7, 2), 2);   // 1.75
  EXPECT_EQ(rounding_divide_by_pot(-5, 2), -1);
  EXPECT_EQ(rounding_divide_by_pot(-6, 2), -2);
  EXPECT_EQ(rounding_divide_by_pot(-7, 2), -2);
  EXPECT_EQ(rounding_divide_by_pot(12345, 0), 12345);
  EXPECT_EQ(rounding_divide_by_pot(kInt32Max, 31), 1);
  EXPECT_EQ(rounding_divide_by_pot(kInt32Min, 31), -1);
  EXPECT_EQ(rounding_divide_by_pot(1 << 30, 31), 1);      // exactly 0.5
  EXPECT_EQ(rounding_divide_by_pot(-(1 << 30), 31), -1);  // exactly -0.5
  for (int32_t x = -1000; x <= 1000; ++x) {
    for (int e = 0; e < 6; ++e) {
      const double q = static_cast<double>(x) / (1 << e);
      const int32_t want = static_cast<int32_t>(q < 0 ? -std::floor(-q + 0.5) : std::floor(q + 0.5));
      ASSERT_EQ(rounding_divide_by_pot(x, e), want) << x << " " << e;
    }
  }
}

TEST(FixedPoint, SaturatingLeftShift) {
  EXPECT_EQ(saturating_left_shift(1, 5), 32);
  EXPECT_EQ(saturating_left_shift(-1, 5), -32);
  EXPECT_EQ(saturating_left_shift((1 << 26) - 1, 5), ((1 << 26) - 1) * 32);
  EXPECT_EQ(saturating_left_shift(1 << 26, 5), kInt32Max);
  EXPECT_EQ(saturating_left_shift(-(1 << 26) + 1, 5), (-(1 << 26) + 1) * 32);
  EXPECT_EQ(saturating_left_shift(-(1 << 26), 5), kInt32Min);
  EXPECT_EQ(saturating_left_shift(kInt32Max, 1), kInt32Max);
  EXPECT_EQ(saturating_left_shift(kInt32Min, 1), kInt32Min);
}

TEST(FixedPoint, MultiplyByQuantizedMultiplier) {
  // 0.5 with no shift, 0.5 * 2^-3, 0.75 * 2^2.
  EXPECT_EQ(multiply_by_quantized_multiplier(100, 1 << 30, 0), 50);
  EXPECT_EQ(multiply_by_quantized_multiplier(100, 1 << 30, -3), 6);  // 6.25
  EXPECT_EQ(multiply_by_quantized_multiplier(-100, 1 << 30, -3), -6);
  EXPECT_EQ(multiply_by_quantized_multiplier(12, 1 << 30, -3), 1);  // 0.75
  EXPECT_EQ(multiply_by_quantized_multiplier(-12, 1 << 30, -3), -1);
  EXPECT_EQ(multiply_by_quantized_multiplier(20, 3 << 29, 2), 60);
  // Double rounding: 0.5 * 5 = 2.5 -> 3 in the high multiply, then / 2 = 1.5 -> 2.
  EXPECT_EQ(multiply_by_quantized_multiplier(5, 1 << 30, -1), 2);
  EXPECT_EQ(multiply_by_quantized_multiplier(0, 1 << 30, 10), 0);
  // Saturation of the high multiply: INT32_MIN * -1.0 ~ INT32_MIN * INT32_MIN.
  EXPECT_EQ(multiply_by_quantized_multiplier(kInt32Min, kInt32Min, 0), kInt32Max);
  EXPECT_EQ(multiply_by_quantized_multiplier_smaller_than_one(1000, 1 << 30, -2), 125);
  EXPECT_EQ(multiply_by_quantized_multiplier_greater_than_one(-7, 1 << 30, 3), -28);
}

TEST(FixedPoint, RoundingHalfSum) {
  EXPECT_EQ(rounding_half_sum(1, 2), 2);
  EXPECT_EQ(rounding_half_sum(-1, -2), -2);
  EXPECT_EQ(rounding_half_sum(kInt32Max, kInt32Max), kInt32Max);
  EXPECT_EQ(rounding_half_sum(kInt32Min, kInt32Min), kInt32Min);
  EXPECT_EQ(rounding_half_sum(kInt32Max, kInt32Min), -1);  // -0.5 -> -1
}

TEST(FixedPoint, CountLeadingZeros) {
  EXPECT_EQ(count_leading_zeros(0u), 32);
  EXPECT_EQ(count_leading_zeros(1u), 31);
  EXPECT_EQ(count_leading_zeros(0x80000000u), 0);
  EXPECT_EQ(count_leading_zeros(0x00010000u), 15);
}

TEST(FixedPoint, ExpOnNegativeValuesApproximatesExp) {
  EXPECT_EQ(exp_on_negative_values<5>(0), kInt32Max);
  // Q5.26 inputs in [-32, 0).
  for (int32_t raw = -(31 << 26); raw < 0; raw += 104729) {
    const double x = raw / static_cast<double>(1 << 26);
    const double got = exp_on_negative_values<5>(raw) / 2147483648.0;
    ASSERT_NEAR(got, std::exp(x), 2e-8 + 1e-6 * std::exp(x)) << x;
  }
  // Exactly -1/4 and multiples exercise the barrel shifter.
  // (The polynomial is accurate to about 3e-7.)
  EXPECT_NEAR(exp_on_negative_values<5>(-(1 << 24)) / 2147483648.0, std::exp(-0.25), 5e-7);
  EXPECT_NEAR(exp_on_negative_values<5>(-(1 << 26)) / 2147483648.0, std::exp(-1.0), 5e-7);
  EXPECT_NEAR(exp_on_negative_values<5>(-(3 << 26)) / 2147483648.0, std::exp(-3.0), 5e-8);
  // Other integer-bit counts, including the below -32 clamp.
  EXPECT_NEAR(exp_on_negative_values<0>(-(1 << 30)) / 2147483648.0, std::exp(-0.5), 5e-7);
  EXPECT_EQ(exp_on_negative_values<8>(-(33 << 23)), 0);
}

TEST(FixedPoint, ReciprocalApproximatesOneOver) {
  for (int i = 1; i < 1000; ++i) {
    const double x = i / 1000.0;  // in (0, 1)
    const int32_t raw = static_cast<int32_t>(std::lround(x * 2147483648.0));
    const double got = one_over_one_plus_x_for_x_in_0_1(raw) / 2147483648.0;
    ASSERT_NEAR(got, 1.0 / (1.0 + x), 1e-8) << x;
  }
  // Sum of exps in Q12.19: 3.0 -> 1/3 = s * 2^-num_bits_over_unit.
  int bits = 0;
  const int32_t s = get_reciprocal(3 << 19, 12, &bits);
  EXPECT_NEAR(std::ldexp(s / 2147483648.0, -bits), 1.0 / 3.0, 1e-8);
  EXPECT_EQ(bits, 1);
}

}  // namespace
