// ad01's input conversion (benchmarks/ad01/ad01.cc) against the plain
// definition the reference firmware uses: clamp(roundf(f / s) + zp, -128,
// 127), NaN to the zero point; on every float near a rounding boundary of
// the model's own scale and on random bit patterns.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "../../benchmarks/adapters.h"
#include "tinyperf/models/registry.h"

namespace {

int8_t reference(float f, float scale, int32_t zp) {
  const float r = std::round(f / scale);
  if (!(r == r)) return static_cast<int8_t>(zp);
  const float hi = static_cast<float>(127 - zp), lo = static_cast<float>(-128 - zp);
  if (r >= hi) return 127;
  if (r <= lo) return -128;
  return static_cast<int8_t>(static_cast<int32_t>(r) + zp);
}

float from_bits(uint32_t u) {
  float f;
  std::memcpy(&f, &u, sizeof f);
  return f;
}

TEST(Ad01Quantize, MatchesRoundfNearEveryHalfAndOnRandomFloats) {
  const float scale = tp::models::ad01.input.scale;
  const int32_t zp = tp::models::ad01.input.zero_point;
  int checked = 0;
  // Around each x.5 * scale for the integers that matter (and beyond the clamp).
  for (int k = -400; k <= 400; ++k) {
    const float centre = (static_cast<float>(k) + 0.5f) * scale;
    float f = centre;
    for (int i = 0; i < 40; ++i) f = std::nextafter(f, -std::numeric_limits<float>::infinity());
    for (int i = 0; i < 80; ++i) {
      ASSERT_EQ(tp::bench::ad01_quantize(f, scale, zp), reference(f, scale, zp)) << f;
      f = std::nextafter(f, std::numeric_limits<float>::infinity());
      ++checked;
    }
  }
  // Random bit patterns (every exponent: tiny, huge, infinities, NaNs).
  uint32_t x = 12345;
  for (int i = 0; i < 2000000; ++i) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    const float f = from_bits(x);
    ASSERT_EQ(tp::bench::ad01_quantize(f, scale, zp), reference(f, scale, zp)) << f << " bits " << x;
    ++checked;
  }
  for (float f : {0.0f, -0.0f, 0.5f, -0.5f, 1e30f, -1e30f, std::numeric_limits<float>::infinity(),
                  -std::numeric_limits<float>::infinity(), std::numeric_limits<float>::quiet_NaN(),
                  std::numeric_limits<float>::denorm_min()}) {
    EXPECT_EQ(tp::bench::ad01_quantize(f, scale, zp), reference(f, scale, zp)) << f;
  }
  // Other zero points and scales too (the function takes them as arguments).
  for (int32_t z : {-128, -1, 0, 1, 127}) {
    for (float s : {1.0f, 0.25f, 3.0f}) {
      for (float f = -300.0f; f <= 300.0f; f += 0.125f) {
        ASSERT_EQ(tp::bench::ad01_quantize(f, s, z), reference(f, s, z)) << f << " " << s << " " << z;
      }
    }
  }
  EXPECT_GT(checked, 2000000);
}

}  // namespace

// Issue #21: ad01 names the first NaN or infinite element of its raw input
// (the protocol refuses to run on it); every finite float is accepted,
// checked on the bits against std::isfinite over random and special values.
namespace {
TEST(Ad01Input, FirstNonFiniteElement) {
  ASSERT_NE(tp::bench::kAd01.first_non_finite, nullptr);
  std::vector<uint8_t> raw(640 * 4, 0);
  auto put = [&](std::size_t i, float f) { std::memcpy(&raw[4 * i], &f, 4); };
  EXPECT_EQ(tp::bench::kAd01.first_non_finite(raw.data()), -1);
  put(639, std::numeric_limits<float>::infinity());
  EXPECT_EQ(tp::bench::kAd01.first_non_finite(raw.data()), 639);
  put(17, -std::numeric_limits<float>::infinity());
  EXPECT_EQ(tp::bench::kAd01.first_non_finite(raw.data()), 17);
  put(3, std::numeric_limits<float>::quiet_NaN());
  EXPECT_EQ(tp::bench::kAd01.first_non_finite(raw.data()), 3);
  put(3, std::numeric_limits<float>::max());
  put(17, -std::numeric_limits<float>::denorm_min());
  put(639, 0.0f);
  EXPECT_EQ(tp::bench::kAd01.first_non_finite(raw.data()), -1);
  uint32_t x = 12345;
  for (int n = 0; n < 200000; ++n) {
    x = x * 1664525u + 1013904223u;
    const float f = from_bits(x);
    std::memcpy(&raw[0], &x, 4);
    EXPECT_EQ(tp::bench::kAd01.first_non_finite(raw.data()) == 0, !std::isfinite(f)) << std::hex << x;
  }
}
}  // namespace
